"""Every folder the closet makes is 0700 and every file 0600, whatever the umask, after any kind of write.

The data dir itself is 0700, but it may be a folder the person cannot make private (a shared or synced one,
where ``make_private`` leaves it as it is); then only the modes of what is inside keep the closet theirs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from wardrobe_app.services.wardrobe import Wardrobe

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _not_private(data_dir: Path) -> list[str]:
    wrong = []
    for path in [data_dir, *data_dir.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_symlink():
            continue
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong.append(f"{oct(mode)} {path.relative_to(data_dir)}")
    return wrong


@posix_only
def test_a_lived_in_closet_and_its_restore_stay_private(
    umask: int, data_dir: Path, photo_factory: PhotoFactory, tmp_path: Path
) -> None:
    closet = Wardrobe.open(data_dir, classifier="none")
    for i, category in enumerate(("shirt", "jeans", "sneakers")):
        closet.add_photo(photo_factory(f"p{i}.jpg", seed=i, colour_bgr=(40 * i, 80, 160)), category=category)
    outfit = closet.outfit([i.id for i in closet.items()])
    closet.feedback(outfit, "casual", True)
    closet.retrain()  # the learnt taste is saved under ranker/
    closet.set_outfit_settings(hemisphere="south")
    closet.remove(closet.items()[0].id)
    assert _not_private(data_dir) == []

    archive = closet.export(tmp_path / "backup.zip")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    closet.restore(archive)
    assert _not_private(data_dir) == []
    closet.close()
