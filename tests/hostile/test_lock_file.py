"""The writer lock's file replaced by a folder or a link (a sync tool, a careless clean-up): a clear error.

Taking the lock raised a raw IsADirectoryError (a traceback from the CLI); through a link, the file it points
at must never be opened for writing, truncated or locked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import closet_snapshot
from wardrobe_app.db.closet_lock import LOCK_FILENAME
from wardrobe_app.domain import DataDirError
from wardrobe_app.services.wardrobe import Wardrobe


@pytest.mark.parametrize("replaced_by", ["folder", "link"])
def test_a_lock_file_that_is_no_file_is_a_clear_error_and_changes_nothing(
    small_closet: Wardrobe, tmp_path: Path, replaced_by: str
) -> None:
    data_dir = small_closet.data_dir
    before = closet_snapshot(small_closet)
    precious = tmp_path / "precious.txt"
    precious.write_text("someone's notes")
    lock = data_dir / LOCK_FILENAME
    lock.unlink()
    if replaced_by == "folder":
        lock.mkdir()
    else:
        lock.symlink_to(precious)
    with pytest.raises(DataDirError, match="writer lock"):
        small_closet.remove(before[0][0])
    assert closet_snapshot(small_closet) == before
    assert precious.read_text() == "someone's notes"
