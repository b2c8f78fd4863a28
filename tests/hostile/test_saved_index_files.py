"""Planted files in <data dir>/indexes/: links out, FIFOs, directories, huge sidecars never crash, hang or leak."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tests.conftest import PhotoFactory
from tests.unit.services.test_similar import closet
from wardrobe_app.search.approximate import ApproximateIndex
from wardrobe_app.services.wardrobe import Wardrobe

__all__ = ["closet"]


def _saved(folder: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    data = rng.standard_normal((400, 16)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    ids = np.arange(400, dtype=np.int64)
    path = folder / "index.ivf"
    ApproximateIndex.build(ids, data).save(path, ids, data, {"collection": 1})
    return path, ids, data


def _finishes(fn: Callable[[], object], seconds: float = 20.0) -> list[object]:
    out: list[object] = []
    thread = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "it hung"
    return out


def test_a_fifo_sidecar_is_refused_without_hanging(tmp_path: Path) -> None:
    path, ids, data = _saved(tmp_path)
    sidecar = path.with_name(path.name + ".json")
    sidecar.unlink()
    os.mkfifo(sidecar)
    assert _finishes(lambda: ApproximateIndex.load(path, ids, data, {"collection": 1})) == [None]


def test_a_sidecar_linked_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "indexes"
    folder.mkdir()
    path, ids, data = _saved(folder)
    sidecar = path.with_name(path.name + ".json")
    outside = tmp_path / "outside.json"
    shutil.move(sidecar, outside)  # a perfectly valid sidecar, but reached through a link
    sidecar.symlink_to(outside)
    assert ApproximateIndex.load(path, ids, data, {"collection": 1}) is None
    assert ApproximateIndex.load(path, ids, data, {"collection": 1}) is None


def test_a_huge_sidecar_is_refused_unread(tmp_path: Path) -> None:
    path, ids, data = _saved(tmp_path)
    sidecar = path.with_name(path.name + ".json")
    with sidecar.open("r+b") as handle:
        handle.truncate(1 << 31)  # sparse: 2 GiB the loader must not read
    assert ApproximateIndex.load(path, ids, data, {"collection": 1}) is None


def test_indexes_linked_out_of_the_data_dir_are_neither_followed_nor_a_crash(
    closet: tuple[Wardrobe, dict[str, int]],
    tmp_path: Path,
    photo_factory: PhotoFactory,
) -> None:
    wardrobe, ids = closet
    outside = tmp_path / "outside-indexes"
    outside.mkdir()
    (wardrobe.data_dir / "indexes").symlink_to(outside, target_is_directory=True)
    wardrobe._similar_search().approximate_from = 3
    found = wardrobe.similar(ids["red shirt"], k=2, same_category=False)
    assert len(found) == 2
    assert list(outside.iterdir()) == []  # nothing written through the link


def test_a_directory_where_the_index_file_should_be(closet: tuple[Wardrobe, dict[str, int]]) -> None:
    wardrobe, ids = closet
    search = wardrobe._similar_search()
    search.approximate_from = 3
    path = search.index_path(1, search._classifier().version)  # type: ignore[union-attr]
    path.mkdir(parents=True)
    (path / "keep.txt").write_text("x", encoding="utf-8")
    path.with_name(path.name + ".json").mkdir()
    assert len(wardrobe.similar(ids["red shirt"], k=2, same_category=False)) == 2
    assert (path / "keep.txt").read_text(encoding="utf-8") == "x"  # nothing deleted
