"""Tests for wardrobe_app.vision.colours: named dominant colours, shares and the pattern flag."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

from tests.unit.vision.conftest import garment_photo
from wardrobe_app.vision.colours import PALETTE, colour_name, read_colours

NAMED = {
    "black": (15, 15, 18),
    "white": (248, 248, 246),
    "grey": (128, 128, 130),
    "navy": (20, 30, 90),
    "blue": (30, 80, 200),
    "light blue": (150, 190, 235),
    "red": (200, 30, 30),
    "burgundy": (110, 20, 35),
    "pink": (240, 150, 180),
    "orange": (240, 130, 30),
    "yellow": (240, 220, 40),
    "beige": (220, 200, 170),
    "brown": (110, 70, 40),
    "olive": (110, 110, 40),
    "green": (40, 150, 60),
    "teal": (20, 128, 128),
    "purple": (120, 40, 160),
    "khaki": (195, 180, 130),
    "cream": (245, 238, 215),
    "lilac": (200, 160, 220),
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_colour_name(name: str) -> None:
    r, g, b = (c / 255 for c in NAMED[name])
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    assert colour_name(h * 360, s, v) == name


def test_palette_lists_every_name() -> None:
    assert set(NAMED) <= set(PALETTE) and len(set(PALETTE)) == len(PALETTE)
    for h in range(0, 360, 7):
        for s in np.linspace(0, 1, 9):
            for v in np.linspace(0, 1, 9):
                assert colour_name(h, s, v) in PALETTE


@pytest.mark.parametrize("name", ["red", "navy", "green", "yellow", "grey", "white", "burgundy"])
def test_plain_garment_on_textured_background(name: str) -> None:
    background = (60, 55, 50) if name in {"white", "yellow"} else (205, 200, 190)
    rgb, mask = garment_photo(NAMED[name], background, seed=4)
    reading = read_colours(rgb, mask)
    assert reading.colours[0].name == name
    assert reading.colours[0].share > 0.9
    assert not reading.multicolour


def test_colour_fields() -> None:
    rgb, mask = garment_photo(NAMED["blue"], (205, 200, 190), seed=1)
    reading = read_colours(rgb, mask)
    top = reading.colours[0]
    assert top.hex.startswith("#") and len(top.hex) == 7
    r, g, b = (int(top.hex[i : i + 2], 16) for i in (1, 3, 5))
    assert abs(r - 30) < 12 and abs(g - 80) < 12 and abs(b - 200) < 12
    h, s, v = top.hsv
    assert 200 < h < 240 and 0.6 < s <= 1 and 0.6 < v <= 1
    assert sum(c.share for c in reading.colours) == pytest.approx(1, abs=0.01)
    assert len(reading.colours) <= 5


def test_two_colour_stripes_share_the_garment() -> None:
    rgb, mask = garment_photo(NAMED["white"], (120, 90, 60), stripes=NAMED["navy"], seed=2)
    reading = read_colours(rgb, mask)
    names = [c.name for c in reading.colours[:2]]
    assert set(names) == {"white", "navy"}
    assert all(0.3 < c.share < 0.7 for c in reading.colours[:2])
    assert not reading.multicolour  # navy and white: a classic two-tone, not a print


def test_multicolour_print_is_flagged() -> None:
    rgb, mask = garment_photo(NAMED["red"], (205, 200, 190), seed=3)
    ys, xs = np.nonzero(mask)
    rgb[ys[(xs // 20) % 3 == 1], xs[(xs // 20) % 3 == 1]] = NAMED["yellow"]
    rgb[ys[(xs // 20) % 3 == 2], xs[(xs // 20) % 3 == 2]] = NAMED["green"]
    reading = read_colours(rgb, mask)
    assert {"red", "yellow", "green"} <= {c.name for c in reading.colours}
    assert reading.multicolour


def test_only_masked_pixels_count() -> None:
    rgb = np.zeros((100, 100, 3), np.uint8)
    rgb[:] = NAMED["yellow"]
    mask = np.zeros((100, 100), np.uint8)
    mask[40:60, 40:60] = 255
    rgb[40:60, 40:60] = NAMED["teal"]
    reading = read_colours(rgb, mask)
    assert [c.name for c in reading.colours] == ["teal"] and reading.colours[0].share == 1.0


def test_empty_mask_reads_the_whole_image() -> None:
    rgb = np.full((20, 20, 3), NAMED["orange"], np.uint8)
    reading = read_colours(rgb, np.zeros((20, 20), np.uint8))
    assert reading.colours[0].name == "orange"


def test_shades_of_one_hue_are_not_multicolour() -> None:
    rgb, mask = garment_photo(NAMED["brown"], (205, 200, 190), seed=5)
    ys, xs = np.nonzero(mask)
    half = xs > np.median(xs)
    rgb[ys[half], xs[half]] = NAMED["burgundy"]
    reading = read_colours(rgb, mask)
    assert {c.name for c in reading.colours} == {"brown", "burgundy"}
    assert not reading.multicolour
