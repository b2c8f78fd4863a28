"""The kind fine-tune's data: which packed photos carry a kind, and the pack of only those."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from wardrobe_app.training.finetune_kinds import kind_targets, subset_pack

CSV = """split,class,file,kind
train,shoes,aaa.jpg,sneakers
validation,pants,bbb.jpg,jeans
test,shoes,ccc.jpg,boots
train,shoes,ddd.jpg,unsure
"""


def test_only_training_and_validation_rows_with_a_kind_count(tmp_path: Path) -> None:
    labels = tmp_path / "kinds.csv"
    labels.write_text(CSV, encoding="utf-8")
    names = ["0_shoes_aaa", "1_pants_bbb", "2_shoes_ccc", "3_shoes_ddd", "4_t-shirt_eee"]
    target, kinds = kind_targets(names, labels)
    assert kinds == ("jeans", "sneakers")  # held-out test rows and "unsure" never train
    assert target.tolist() == [1, 0, -1, -1, -1]


def test_the_subset_pack_keeps_photos_masks_and_names_together(tmp_path: Path) -> None:
    labels = tmp_path / "kinds.csv"
    labels.write_text(CSV, encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    photos = [bytes([i]) * (i + 1) for i in range(4)]
    masks = [b"", b"m" * 2, b"", b"k"]
    np.savez(
        pack / "pack.npz",
        photos=np.frombuffer(b"".join(photos), np.uint8),
        photo_sizes=np.array([len(p) for p in photos]),
        masks=np.frombuffer(b"".join(masks), np.uint8),
        mask_sizes=np.array([len(m) for m in masks]),
        labels=np.array([8, 5, 8, 0]),
        splits=np.array([0, 1, 0, 0]),
    )
    names = ["0_shoes_aaa", "1_pants_bbb", "2_shoes_ccc", "3_t-shirt_zzz"]
    (pack / "pack.json").write_text(json.dumps({"labels": [], "splits": [], "names": names}), encoding="utf-8")
    assert subset_pack(pack, labels, tmp_path / "out") == 2
    raw = np.load(tmp_path / "out" / "pack.npz")
    assert raw["photos"].tobytes() == photos[0] + photos[1]
    assert raw["mask_sizes"].tolist() == [0, 2] and raw["masks"].tobytes() == b"mm"
    assert raw["labels"].tolist() == [8, 5]
    assert json.loads((tmp_path / "out" / "pack.json").read_text(encoding="utf-8"))["names"] == names[:2]
