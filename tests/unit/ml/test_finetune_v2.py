"""Fine-tuning helpers of 2.x: cached map chunks, which layers train, the epoch choice, masks never recomputed."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from wardrobe_app.training.features import CHUNK
from wardrobe_app.training.finetune_v2 import block5_from, chosen_epoch, load_maps, selection_score
from wardrobe_app.training.views import MaskStore


def test_load_maps_joins_chunks_and_waits_for_a_missing_one(tmp_path: Path) -> None:
    n = CHUNK + 3
    first = np.full((CHUNK, 2, 2, 1), 1, np.float16)
    np.save(tmp_path / "v2_000000.npy", first)
    assert load_maps(tmp_path, 2, n) is None  # the second chunk is not cached yet
    np.save(tmp_path / f"v2_{CHUNK:06d}.npy", np.full((3, 2, 2, 1), 2, np.float16))
    maps = load_maps(tmp_path, 2, n)
    assert maps is not None and maps.shape == (n, 2, 2, 1)
    assert maps[0, 0, 0, 0] == 1 and maps[-1, 0, 0, 0] == 2
    assert load_maps(tmp_path, 3, n) is None  # another view


def test_trained_layers_follow_the_start() -> None:
    assert block5_from("block4_pool") == ("block5_conv1", "block5_conv2", "block5_conv3")
    assert block5_from("block5_conv1") == ("block5_conv2", "block5_conv3")
    assert block5_from("block5_conv2") == ("block5_conv3",)


def test_the_epoch_is_chosen_on_validation_figures(tmp_path: Path) -> None:
    def record(epoch: int, top1: float, group: float, dress: float, extra: float) -> dict[str, object]:
        small = {"top1": top1, "group": group, "dress_recall": dress}
        return {"epoch": epoch, "score": selection_score(small, {"top1": extra})}

    history = [record(1, 0.90, 0.96, 0.70, 0.5), record(2, 0.89, 0.97, 0.75, 0.6), record(3, 0.91, 0.95, 0.6, 0.4)]
    (tmp_path / "history.json").write_text(json.dumps(history))
    assert chosen_epoch(tmp_path) == 2
    # a wrong group weighs as much as a wrong label, and a missed dress half as much
    assert selection_score({"top1": 0.9, "group": 0.97, "dress_recall": 0.7}, {"top1": 0.5}) > selection_score(
        {"top1": 0.9, "group": 0.96, "dress_recall": 0.7}, {"top1": 0.5}
    )


def test_a_mask_store_that_may_not_compute_skips_photos_without_a_mask(tmp_path: Path) -> None:
    store = MaskStore(tmp_path / "masks", compute=False)
    rgb = np.zeros((40, 30, 3), np.uint8)
    photo = tmp_path / "shirt.jpg"
    assert store.mask(photo, rgb) is None
    assert not store.has(photo)  # nothing was written
    small = np.zeros((20, 15), np.uint8)
    small[5:15, 4:11] = 255
    cv2.imwrite(str(store.path(photo)), small)
    mask = store.mask(photo, rgb)
    assert mask is not None and mask.shape == (40, 30) and mask.max() == 255 and mask[0, 0] == 0
