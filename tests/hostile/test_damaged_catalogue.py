"""Damaged product photos, photos that trip the vision code or the classifier, and odd CSV rows cost only
themselves: the rest of the catalogue is imported and the command succeeds."""

from __future__ import annotations

import io
import os
import re
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image

from tests.conftest import draw_garment
from tests.unit.services.garment_fakes import FakeClassifier
from wardrobe_app.cli import main
from wardrobe_app.services.wardrobe import Wardrobe


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def damaged_shop(folder: Path) -> tuple[set[str], set[str]]:
    """A shop folder of good and damaged photos: (names that must be imported, names that must fail)."""
    folder.mkdir(parents=True)
    good = cv2.imencode(".jpg", draw_garment(seed=1))[1].tobytes()
    for n in range(3):
        cv2.imwrite(str(folder / f"good{n}.jpg"), draw_garment(seed=10 + n))
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "truncated.jpg").write_bytes(good[: len(good) // 3])
    (folder / "header-only.jpg").write_bytes(good[:20])
    (folder / "garbage.jpg").write_bytes(os.urandom(4000))
    (folder / "text.png").write_text("hello")
    (folder / "dir.jpg").mkdir()
    (folder / "dangling.jpg").symlink_to(folder / "nowhere.jpg")
    png = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + _chunk(b"IEND", b"")
    )
    (folder / "bomb.png").write_bytes(png)
    Image.new("RGB", (1, 1), (255, 0, 0)).save(folder / "one-pixel.png")
    Image.new("RGB", (3, 500), (200, 30, 30)).save(folder / "thin.png")
    Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(folder / "transparent.png")
    Image.new("L", (80, 80), 128).save(folder / "grey.jpg")
    Image.new("CMYK", (80, 80), (0, 128, 0, 0)).save(folder / "cmyk.jpg")
    Image.fromarray(np.full((60, 60), 40000, np.uint16)).save(folder / "16bit.png")
    Image.new("P", (60, 60)).save(folder / "palette.png")
    gif = io.BytesIO()
    Image.new("RGB", (40, 40), (0, 0, 255)).save(gif, "GIF")
    (folder / "gif-named.jpg").write_bytes(gif.getvalue())
    odd = Image.new("RGB", (50, 30), (10, 200, 10))
    exif = odd.getexif()
    exif[0x0112] = 99  # an orientation that does not exist
    odd.save(folder / "bad-orientation.jpg", exif=exif)
    must_fail = {"empty.jpg", "truncated.jpg", "header-only.jpg", "garbage.jpg", "text.png", "bomb.png"}
    must_import = {"good0.jpg", "good1.jpg", "good2.jpg"}
    return must_import, must_fail


def test_damaged_photos_and_rows_never_abort_the_import(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WARDROBE_CLASSIFIER", "none")
    must_import, must_fail = damaged_shop(tmp_path / "shop")
    csv_path = tmp_path / "shop.csv"
    csv_path.write_bytes(
        b'id,name,price\ngood0,Good,5\n,,\n\x00\x00\ngood1,"Unterminated,1\ngood2,Fine,-1\nheader-only,a,b,c,d\n'
    )
    code = main(
        ["--data-dir", str(data_dir), "catalogue", "import", "Shop", str(tmp_path / "shop"), "--csv", str(csv_path)]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    counts = re.search(r"added (\d+), already there 0, failed (\d+) of (\d+) photos", out)
    assert counts is not None, out
    added, failed, total = map(int, counts.groups())
    assert added + failed == total and added >= len(must_import) and failed >= len(must_fail)
    assert "Traceback" not in err
    for name in must_fail:
        assert f"{name}:" in err
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        from wardrobe_app.services.similar import SimilarSearch

        search = SimilarSearch(wardrobe.sessions, wardrobe.data_dir, wardrobe.classifier)
        products = search.collection_items(*search.collection("Shop"))
    names = {p.source_name for p in products}
    assert must_import <= names and not names & must_fail
    by_id = {p.external_id: p for p in products}
    assert by_id["good0"].name == "Good" and by_id["good2"].price is None


class _PickyClassifier(FakeClassifier):
    """Fails on any batch holding a tiny photo (as a real network may on odd shapes)."""

    def classify(self, images: Sequence[np.ndarray], masks: Sequence[np.ndarray] | None = None) -> Any:
        if any(min(image.shape[:2]) < 8 for image in images):
            raise ValueError("cannot resize an image this small")
        return super().classify(images, masks)


def test_a_photo_the_classifier_cannot_take_stays_unclassified(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    folder.mkdir()
    for n in range(3):
        cv2.imwrite(str(folder / f"good{n}.jpg"), draw_garment((40, 40, 200), seed=10 + n))
    Image.new("RGB", (3, 500), (200, 30, 30)).save(folder / "thin.png")
    with Wardrobe.open(data_dir, classifier=_PickyClassifier()) as wardrobe:
        report = wardrobe.import_catalogue("Shop", folder)
        assert (report.added, report.failed) == (4, [])
        from wardrobe_app.services.similar import SimilarSearch

        search = SimilarSearch(wardrobe.sessions, wardrobe.data_dir, wardrobe.classifier)
        products = {p.source_name: p for p in search.collection_items(*search.collection("Shop"))}
    assert products["thin.png"].category is None
    assert all(products[f"good{n}.jpg"].category == "t-shirt" for n in range(3))  # the rest still classified


def test_a_photo_that_trips_the_vision_code_costs_only_itself(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wardrobe_app.services import importing

    folder = tmp_path / "shop"
    folder.mkdir()
    for n in range(3):
        cv2.imwrite(str(folder / f"good{n}.jpg"), draw_garment(seed=10 + n))
    real = importing.process_photo

    def fragile(path: Path, data: bytes | None = None) -> Any:
        if path.name == "good1.jpg":
            raise RuntimeError("an OpenCV assertion")
        return real(path, data)

    monkeypatch.setattr(importing, "process_photo", fragile)
    with Wardrobe.open(data_dir, classifier=FakeClassifier()) as wardrobe:
        report = wardrobe.import_catalogue("Shop", folder)
        assert report.added == 2
        assert [(Path(p).name, "RuntimeError" in why) for p, why in report.failed] == [("good1.jpg", True)]
        results = wardrobe.add_photos([folder])
        assert [r.ok for r in results] == [True, False, True]
