"""Every write of the closet on a disk that turned read-only (or failing, or full): a typed error, never a traceback."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import closet_snapshot
from wardrobe_app.db import photo_files
from wardrobe_app.domain import DataDirError, DiskFullError
from wardrobe_app.services.wardrobe import Wardrobe

WRITES: dict[str, Callable[[Wardrobe, list[int]], Any]] = {
    "fixing a cut-out": lambda w, ids: w.save_cutout(ids[0], w.cutout_image(ids[0]).mask),
    "retraining": lambda w, _ids: w.retrain(),
    "outfit settings": lambda w, _ids: w.set_outfit_settings(hemisphere="south"),
    "emptying the trash": lambda w, _ids: w.empty_trash(),
    "removing a catalogue": lambda w, _ids: w.remove_catalogue("Shop"),
    "doctor --repair": lambda w, _ids: w.doctor(repair=True),
}


@pytest.fixture
def lived_in(small_closet: Wardrobe, photo_factory: PhotoFactory) -> tuple[Wardrobe, list[int]]:
    ids = [i.id for i in small_closet.items()]
    small_closet.feedback(small_closet.outfit(ids), "casual", True)
    shop = photo_factory("shop/p.jpg", seed=150, colour_bgr=(200, 200, 20)).parent
    small_closet.import_catalogue("Shop", shop)
    extra = small_closet.add_photo(photo_factory("extra.jpg", seed=151), category="hat")
    small_closet.remove(extra.id)
    return small_closet, ids


def _disk_fails(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def fail(*_args: object, **_kwargs: object) -> Any:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", fail)
    monkeypatch.setattr(photo_files.tempfile, "mkstemp", fail)
    monkeypatch.setattr(Path, "unlink", fail)


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize(("code", "error"), [(errno.EROFS, DataDirError), (errno.ENOSPC, DiskFullError)])
def test_a_write_on_a_read_only_or_full_disk_is_a_typed_error(
    lived_in: tuple[Wardrobe, list[int]],
    monkeypatch: pytest.MonkeyPatch,
    write: str,
    code: int,
    error: type[Exception],
) -> None:
    """Before: a raw OSError traceback from each of these (the GUI showed a crash box, the CLI a traceback)."""
    wardrobe, ids = lived_in
    before = closet_snapshot(wardrobe)
    with monkeypatch.context() as patched:
        _disk_fails(patched, code)
        with pytest.raises(error):
            WRITES[write](wardrobe, ids)
    assert closet_snapshot(wardrobe) == before or write in ("emptying the trash", "removing a catalogue")
