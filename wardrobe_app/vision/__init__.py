"""Photo import: load, cut the garment out, read its colours, render cut-outs and thumbnails."""

from wardrobe_app.vision.colours import PALETTE, ColourReading, colour_name, read_colours
from wardrobe_app.vision.loading import SUPPORTED_SUFFIXES, LoadedPhoto, load_photo
from wardrobe_app.vision.pipeline import ProcessedPhoto, process_photo
from wardrobe_app.vision.render import encode_mask_png, hsv_histogram, make_cutout_png, make_thumbnail
from wardrobe_app.vision.segment import Cutout, cut_out

__all__ = [
    "PALETTE",
    "SUPPORTED_SUFFIXES",
    "ColourReading",
    "Cutout",
    "LoadedPhoto",
    "ProcessedPhoto",
    "colour_name",
    "cut_out",
    "encode_mask_png",
    "hsv_histogram",
    "load_photo",
    "make_cutout_png",
    "make_thumbnail",
    "process_photo",
    "read_colours",
]
