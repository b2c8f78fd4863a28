"""An item folder of the closet that is a symbolic link out of it: housekeeping never deletes or exports through it.

With ``masks`` linking to another folder, orphan collection (run on open after a crash, by ``doctor --repair``,
after removing a catalogue) deleted every file out there, whatever its name.
"""

from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path

import pytest

from wardrobe_app.domain import WardrobeError
from wardrobe_app.services.wardrobe import Wardrobe

SHAPED = "ab" + "c" * 62 + ".png"  # the shape of an item file: not a reason to delete it out there


def _precious(folder: Path) -> list[Path]:
    (folder / "ab").mkdir(parents=True)
    files = [folder / "keep.txt", folder / "ab" / SHAPED]
    for path in files:
        path.write_text("precious")
    return files


@pytest.mark.parametrize("linked", ["masks", "photos/ab"])
def test_orphan_collection_never_deletes_through_a_linked_folder(
    small_closet: Wardrobe, tmp_path: Path, linked: str
) -> None:
    data_dir = small_closet.data_dir
    outside = tmp_path / "elsewhere"
    files = _precious(outside)
    link = data_dir / linked
    if link.exists():
        link.rename(link.with_name(link.name + ".moved"))
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside / "ab" if linked == "photos/ab" else outside, target_is_directory=True)
    small_closet.collect_orphans()
    (data_dir / ".writes-pending").touch()  # as a crash leaves it: the next open collects orphans
    Wardrobe.open(data_dir, classifier="none").close()
    with contextlib.suppress(WardrobeError):  # the closet's masks are out of reach: doctor may say so
        small_closet.doctor(repair=True)
    assert all(path.read_text() == "precious" for path in files)


def test_export_never_packs_files_through_a_linked_folder(small_closet: Wardrobe, tmp_path: Path) -> None:
    secrets = tmp_path / "dot-ssh"
    secrets.mkdir()
    (secrets / "id_ed25519").write_text("PRIVATE KEY")
    (small_closet.data_dir / "ranker").symlink_to(secrets, target_is_directory=True)
    archive = small_closet.export(tmp_path / "backup.zip")
    with zipfile.ZipFile(archive) as packed:
        assert not [name for name in packed.namelist() if name.startswith("ranker/")]
        assert b"PRIVATE KEY" not in b"".join(packed.read(n) for n in packed.namelist())


def test_doctor_repair_removes_a_linked_folder_never_the_links_out_there(data_dir: Path, tmp_path: Path) -> None:
    """``masks`` linking to another folder that has links of its own: ``--repair`` removes ``masks`` (the closet's
    link), never the person's links in that other folder (it removed ``elsewhere/latest.txt``)."""
    outside = tmp_path / "elsewhere"
    files = _precious(outside)
    shortcut = outside / "latest.txt"
    shortcut.symlink_to(files[0])
    with Wardrobe.open(data_dir, classifier="none") as closet:
        (data_dir / "masks").symlink_to(outside, target_is_directory=True)
        report = closet.doctor(repair=True)
    assert report.repaired == ("removed the symbolic link masks",)
    assert shortcut.is_symlink() and all(path.read_text() == "precious" for path in files)
