"""Pack the training photos small enough to travel to a GPU machine: 224 px WebP, labels, and segmenter masks.

    python -m wardrobe_app.training.photo_pack --data ../shared/datasets --out .gpu/pack [--workers 2]

Each photo is resized exactly as the app's network input is made (whole photo to 224x224, aspect not kept), so
what the GPU trains on is what the app feeds the network, up to WebP loss. Masks come from the app's own
segmenter (``wardrobe_app.vision.segment.cut_out``) on the 224 px photo and are stored at 96 px; a photo whose
cut-out fell back from GrabCut gets no mask (it is never composited). The pack is resumable: photos already
packed are kept (``parts/``), so an interrupted run continues.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from wardrobe_app.ml.dataset import list_folder, read_rgb
from wardrobe_app.ml.preprocess import INPUT_SIZE, resize_square

log = logging.getLogger("wardrobe_app.training.photo_pack")

#: (dataset, split) packed, in this order; the split id stored per photo is the index here.
SPLITS: tuple[tuple[str, str], ...] = (
    ("clothing-small", "train"),
    ("clothing-small", "validation"),
    ("clothing-extra", "train"),
    ("clothing-extra", "validation"),
)
MASK_SIDE = 96
QUALITY = 80


def pack_one(path: Path) -> tuple[bytes, bytes]:
    """WebP bytes of the 224 px network view and PNG bytes of its 96 px mask (empty: no GrabCut mask)."""
    from wardrobe_app.vision.segment import cut_out

    rgb = resize_square(read_rgb(path), INPUT_SIZE)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "WEBP", quality=QUALITY, method=4)
    cut = cut_out(rgb)
    mask = b""
    if cut.method == "grabcut" and cut.mask.any():
        small = cv2.resize(cut.mask, (MASK_SIDE, MASK_SIDE), interpolation=cv2.INTER_NEAREST)
        ok, png = cv2.imencode(".png", small)
        mask = png.tobytes() if ok else b""
    return buffer.getvalue(), mask


def main(argv: Sequence[str] | None = None) -> int:
    from wardrobe_app.training.v2_data import LABELS_V2

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding clothing-small/ and clothing-extra/")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    parts = args.out / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[int, int, str]] = []
    todo: list[tuple[Path, Path]] = []
    for split_id, (dataset, split) in enumerate(SPLITS):
        listed = list_folder(args.data / dataset / split, LABELS_V2)
        for path, label in zip(listed.paths, listed.labels, strict=True):
            name = f"{split_id}_{path.parent.name}_{path.stem}"
            rows.append((split_id, int(label), name))
            if not (parts / f"{name}.webp").exists():
                todo.append((path, parts / name))
    log.info("%d photos, %d to pack", len(rows), len(todo))
    with ProcessPoolExecutor(args.workers) as pool:
        for done, ((_, stem), (webp, mask)) in enumerate(zip(todo, pool.map(pack_one, [p for p, _ in todo], chunksize=8), strict=True)):
            stem.with_suffix(".png").write_bytes(mask)
            stem.with_suffix(".tmp").write_bytes(webp)
            stem.with_suffix(".tmp").replace(stem.with_suffix(".webp"))
            if done % 200 == 0:
                log.info("packed %d/%d", done, len(todo))
    photos = [(parts / f"{name}.webp").read_bytes() for _, _, name in rows]
    masks = [(parts / f"{name}.png").read_bytes() for _, _, name in rows]
    np.savez(
        args.out / "pack.npz",
        photos=np.frombuffer(b"".join(photos), np.uint8),
        photo_sizes=np.array([len(b) for b in photos], np.int64),
        masks=np.frombuffer(b"".join(masks), np.uint8),
        mask_sizes=np.array([len(b) for b in masks], np.int64),
        labels=np.array([r[1] for r in rows], np.int64),
        splits=np.array([r[0] for r in rows], np.int64),
    )
    (args.out / "pack.json").write_text(
        json.dumps({"labels": list(LABELS_V2), "splits": [f"{d}/{s}" for d, s in SPLITS], "names": [r[2] for r in rows]}),
        encoding="utf-8",
    )
    log.info("pack: %.1f MB photos, %.1f MB masks", sum(map(len, photos)) / 1e6, sum(map(len, masks)) / 1e6)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
