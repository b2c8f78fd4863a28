"""One photo from file to cut-out, colours and images, timing each stage."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from wardrobe_app.vision.colours import ColourReading, read_colours
from wardrobe_app.vision.loading import LoadedPhoto, load_photo
from wardrobe_app.vision.render import encode_mask_png, make_cutout_png, make_thumbnail
from wardrobe_app.vision.segment import Cutout, cut_out


@dataclass(frozen=True)
class ProcessedPhoto:
    """Everything the import keeps from a photo; ``timings`` holds seconds per stage."""

    loaded: LoadedPhoto
    cutout: Cutout
    colours: ColourReading
    cutout_png: bytes
    thumbnail_png: bytes
    mask_png: bytes
    timings: dict[str, float]  # "load", "cutout", "colours", "render"


def process_photo(path: Path, data: bytes | None = None) -> ProcessedPhoto:
    """Load, cut out, read colours and render ``path`` (or its bytes ``data`` already read);
    raises PhotoError only for unreadable files."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    loaded = load_photo(Path(path), data)
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    cutout = cut_out(loaded.rgb, loaded.alpha)
    timings["cutout"] = time.perf_counter() - start

    start = time.perf_counter()
    colours = read_colours(loaded.rgb, cutout.mask)
    timings["colours"] = time.perf_counter() - start

    start = time.perf_counter()
    cutout_png = make_cutout_png(loaded.rgb, cutout.mask)
    thumbnail_png = make_thumbnail(loaded.rgb, cutout.mask)
    mask_png = encode_mask_png(cutout.mask)
    timings["render"] = time.perf_counter() - start
    return ProcessedPhoto(
        loaded=loaded,
        cutout=cutout,
        colours=colours,
        cutout_png=cutout_png,
        thumbnail_png=thumbnail_png,
        mask_png=mask_png,
        timings=timings,
    )
