"""A shop catalogue folder holding byte-identical photos imports the rest and reports the copies."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from tests.conftest import draw_garment
from wardrobe_app.cli import main
from wardrobe_app.services.wardrobe import Wardrobe


def _shop(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"{100 + i}.jpg"
        cv2.imwrite(str(path), draw_garment(seed=100 + i))
        paths.append(path)
    return paths


def test_two_identical_photos_in_a_catalogue_folder(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _shop(tmp_path / "shop", 3)
    (tmp_path / "shop" / "100b.jpg").write_bytes(paths[0].read_bytes())  # same batch as 100.jpg
    code = main(["--data-dir", str(data_dir), "catalogue", "import", "Shop", str(tmp_path / "shop")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "added 3" in out
    assert "skipped" in err and "100b.jpg" in err and "same photo as 100.jpg" in err
    assert "copies skipped 1" in out
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        assert [(c.name, c.items) for c in wardrobe.catalogues()] == [("Shop", 3)]


@pytest.mark.parametrize("batch_size", [1, 2, 16])
def test_copies_in_and_across_batches_are_skipped(data_dir: Path, tmp_path: Path, batch_size: int) -> None:
    paths = _shop(tmp_path / "shop", 4)
    for name in ("100b.jpg", "100c.jpg", "101b.jpg", "zzz.jpg"):  # several copies of one photo, some far apart
        source = paths[1] if name.startswith("101") else paths[0]
        (tmp_path / "shop" / name).write_bytes(source.read_bytes())
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        from wardrobe_app.services.catalogue import CatalogueStore

        store = CatalogueStore(wardrobe.sessions, wardrobe.files, wardrobe.classifier)
        report = store.import_folder("Shop", tmp_path / "shop", batch_size=batch_size)
        assert report.total == 8
        assert report.added == 4
        assert report.failed == [] and report.already_in == 0
        assert sorted(Path(p).name for p, _ in report.duplicates) == ["100b.jpg", "100c.jpg", "101b.jpg", "zzz.jpg"]
        assert all("same photo as 10" in why for _, why in report.duplicates)
        assert wardrobe.catalogues()[0].items == 4
        # running it again finds everything already there
        again = store.import_folder("Shop", tmp_path / "shop", batch_size=batch_size)
        assert again.added == 0 and again.already_in == 8
