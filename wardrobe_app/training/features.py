"""Cached VGG16 activations for training: block4_pool maps of photos and augmented views, in chunks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wardrobe_app.ml.dataset import read_rgb
from wardrobe_app.ml.preprocess import augment, caffe, on_plain_background, resize_square

log = logging.getLogger(__name__)

CHUNK = 128
#: Shape of VGG16's block4_pool output at 224 px.
BLOCK4_SHAPE = (14, 14, 512)

MaskFn = Callable[[np.ndarray], np.ndarray]
#: Makes the network input of (photo, view) - e.g. wardrobe_app.training.views.HeavyViews.
ViewFn = Callable[[Path, int], np.ndarray]


def block4_extractor(vgg: Any) -> Any:
    """A Keras model from the VGG16 input to block4_pool."""
    import keras

    return keras.Model(vgg.input, vgg.get_layer("block4_pool").output, name="vgg16_to_block4")


def view_input(path: Path, view: int, seed: int, mask_fn: MaskFn | None = None) -> np.ndarray:
    """Network input of one photo: view 0 is the photo itself, view k>0 a seeded augmentation."""
    rgb = read_rgb(path)
    if mask_fn is not None:
        rgb = on_plain_background(rgb, mask_fn(rgb))
    if view > 0:
        rng = np.random.default_rng([seed, view, int.from_bytes(path.stem.encode()[:8].ljust(8, b"0"), "little")])
        rgb = augment(rgb, rng, flip=(view % 2 == 1))
    return caffe(resize_square(rgb))


def cache_block4(
    extractor: Any,
    paths: Sequence[Path],
    out_dir: Path,
    view: int = 0,
    seed: int = 0,
    mask_fn: MaskFn | None = None,
    batch_size: int = 16,
    view_fn: ViewFn | None = None,
) -> np.ndarray:
    """block4_pool maps (float16) of every photo's view, cached in chunk files so an interrupted run resumes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    chunks: list[np.ndarray] = []
    started = time.monotonic()
    done_before = 0
    for start in range(0, len(paths), CHUNK):
        chunk_file = out_dir / f"v{view}_{start:06d}.npy"
        part = paths[start : start + CHUNK]
        if chunk_file.exists():
            cached = np.load(chunk_file)
            if cached.shape[0] == len(part):
                chunks.append(cached)
                done_before += len(part)
                continue
        batch = np.stack(
            [view_fn(p, view) if view_fn is not None else view_input(p, view, seed, mask_fn) for p in part]
        )
        maps = np.concatenate(
            [
                np.asarray(extractor(batch[i : i + batch_size], training=False)).astype(np.float16)
                for i in range(0, len(batch), batch_size)
            ]
        )
        tmp = chunk_file.with_suffix(".tmp.npy")
        np.save(tmp, maps)
        tmp.replace(chunk_file)
        chunks.append(maps)
        done = start + len(part) - done_before
        rate = (time.monotonic() - started) / max(done, 1)
        log.info(
            "%s view %d: %d/%d photos, %.0f ms/photo, ~%.0f s left",
            out_dir.name,
            view,
            start + len(part),
            len(paths),
            rate * 1000,
            rate * (len(paths) - start - len(part)),
        )
    return np.concatenate(chunks) if chunks else np.zeros((0, *BLOCK4_SHAPE), np.float16)
