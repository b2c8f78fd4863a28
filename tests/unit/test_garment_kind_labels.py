"""The committed shoe/trouser kind labels are well formed, and the CSV builder maps codes right."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from benchmarks.labelling.build_csv import CODES, build

REPO = Path(__file__).resolve().parents[2]
LABELS = REPO / "assets" / "labels" / "garment_kinds.csv"
UUID_JPG = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.jpg$")


def _rows() -> list[dict[str, str]]:
    with open(LABELS, newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["split", "class", "file", "kind"]
        return list(reader)


def test_every_label_is_a_known_kind_of_its_class() -> None:
    rows = _rows()
    assert rows
    for row in rows:
        assert row["split"] in {"train", "validation", "test"}
        assert row["kind"] in CODES[row["class"]].values(), row
        assert UUID_JPG.match(row["file"]), row["file"]


def test_each_photo_is_labelled_once() -> None:
    keys = [(r["split"], r["class"], r["file"]) for r in _rows()]
    assert len(keys) == len(set(keys))


def test_build_maps_code_letters_to_kinds_in_sheet_order(tmp_path: Path) -> None:
    (tmp_path / "train_shoes_manifest.csv").write_text(
        "sheet,index,file\ntrain_shoes_001.png,0,a.jpg\ntrain_shoes_001.png,1,b.jpg\ntrain_shoes_002.png,2,c.jpg\n"
    )
    (tmp_path / "train_shoes_codes.txt").write_text("1 LO  # slippers then formal\n2 U\n")
    assert build(tmp_path) == [
        ("train", "shoes", "a.jpg", "slippers"),
        ("train", "shoes", "b.jpg", "formal shoes"),
        ("train", "shoes", "c.jpg", "unsure"),
    ]


def test_build_refuses_a_sheet_with_the_wrong_number_of_codes(tmp_path: Path) -> None:
    (tmp_path / "test_pants_manifest.csv").write_text(
        "sheet,index,file\ntest_pants_001.png,0,a.jpg\ntest_pants_001.png,1,b.jpg\n"
    )
    (tmp_path / "test_pants_codes.txt").write_text("001 J\n")
    with pytest.raises(SystemExit, match="1 codes for 2 photos"):
        build(tmp_path)
