"""Tests for wardrobe_app.vision.colours: named dominant colours, shares, light correction and patterns."""

from __future__ import annotations

import colorsys

import cv2
import numpy as np
import pytest

from tests.unit.vision.conftest import denim_photo, garment_photo, lit
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
    "mustard": (201, 162, 39),
    "denim": (59, 91, 132),
    "turquoise": (64, 200, 200),
    "mint": (180, 230, 200),
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
    reading = read_colours(rgb, mask, correct_light=False)  # the photo's own pixels, uncorrected
    top = reading.colours[0]
    assert top.hex.startswith("#") and len(top.hex) == 7
    r, g, b = (int(top.hex[i : i + 2], 16) for i in (1, 3, 5))
    assert abs(r - 30) < 12 and abs(g - 80) < 12 and abs(b - 200) < 12
    h, s, v = top.hsv
    assert 200 < h < 240 and 0.6 < s <= 1 and 0.6 < v <= 1
    assert sum(c.share for c in reading.colours) == pytest.approx(1, abs=0.01)
    assert len(reading.colours) <= 5


def test_two_colour_stripes_share_the_garment_and_are_a_pattern() -> None:
    rgb, mask = garment_photo(NAMED["white"], (120, 90, 60), stripes=NAMED["navy"], seed=2)
    reading = read_colours(rgb, mask)
    names = [c.name for c in reading.colours[:2]]
    assert set(names) == {"white", "navy"}
    assert all(0.3 < c.share < 0.7 for c in reading.colours[:2])
    assert reading.multicolour and reading.pattern == "stripes"


def test_multicolour_print_is_flagged() -> None:
    rgb, mask = garment_photo(NAMED["red"], (205, 200, 190), seed=3)
    ys, xs = np.nonzero(mask)
    rgb[ys[(xs // 20) % 3 == 1], xs[(xs // 20) % 3 == 1]] = NAMED["yellow"]
    rgb[ys[(xs // 20) % 3 == 2], xs[(xs // 20) % 3 == 2]] = NAMED["green"]
    reading = read_colours(rgb, mask)
    assert {"red", "yellow", "green"} <= {c.name for c in reading.colours}
    assert reading.multicolour and reading.pattern is not None


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


WARM = (1.25, 1.0, 0.75)  # indoor bulbs: the whole photo turns orange
COOL = (0.8, 1.0, 1.25)  # shade / overcast: the whole photo turns blue


def _hue(hex_code: str) -> float:
    r, g, b = (int(hex_code[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


@pytest.mark.parametrize("background", [(150, 150, 150), (200, 200, 198)])
def test_blue_garment_on_grey_background_under_warm_light_is_blue(background: tuple[int, int, int]) -> None:
    rgb, mask = garment_photo(NAMED["blue"], background, seed=6)
    warm = lit(rgb, WARM)
    reading = read_colours(warm, mask)
    assert reading.colours[0].name == "blue"
    assert reading.lighting.gains[2] > 1.2 > 0.85 > reading.lighting.gains[0]  # blue boosted, red cut
    uncorrected = read_colours(warm, mask, correct_light=False)
    true_hue = _hue("#{:02x}{:02x}{:02x}".format(*NAMED["blue"]))
    assert abs(_hue(reading.colours[0].hex) - true_hue) < abs(_hue(uncorrected.colours[0].hex) - true_hue)


SHIRT_WHITE = (225, 225, 222)  # a white shirt as photographed, short of clipping under the cast


@pytest.mark.parametrize(
    ("name", "colour", "light", "misleads"),
    [
        ("white", SHIRT_WHITE, WARM, True),
        ("white", SHIRT_WHITE, COOL, True),
        ("grey", NAMED["grey"], COOL, False),
        ("grey", NAMED["grey"], WARM, False),
        ("red", NAMED["red"], COOL, False),
        ("navy", NAMED["navy"], WARM, False),
    ],
)
def test_colour_survives_a_tinted_light(
    name: str, colour: tuple[int, int, int], light: tuple[float, float, float], misleads: bool
) -> None:
    rgb, mask = garment_photo(colour, (215, 215, 212), seed=7)
    tinted = lit(rgb, light)
    assert read_colours(tinted, mask).colours[0].name == name
    # where marked, the cast is strong enough to mislead a reader that does not correct it
    assert (read_colours(tinted, mask, correct_light=False).colours[0].name != name) == misleads


def test_dim_photo_of_a_white_shirt_is_white() -> None:
    rgb, mask = garment_photo(NAMED["white"], (200, 200, 200), seed=8)
    dim = lit(rgb, (1.0, 1.0, 1.0), exposure=0.45)
    reading = read_colours(dim, mask)
    assert reading.lighting.exposure > 1.2
    assert reading.colours[0].name == "white"
    assert read_colours(dim, mask, correct_light=False).colours[0].name != "white"


def test_coloured_background_leaves_the_colours_alone() -> None:
    rgb, mask = garment_photo(NAMED["white"], (200, 40, 50), seed=9)  # a white shirt on a red blanket
    reading = read_colours(rgb, mask)
    assert reading.lighting.identity
    assert reading.colours[0].name == "white"


@pytest.mark.parametrize("light", [(1.0, 1.0, 1.0), WARM])
def test_denim_is_denim_or_blue_not_black(light: tuple[float, float, float]) -> None:
    rgb, mask = denim_photo(NAMED["denim"], (205, 205, 205), seed=10)
    reading = read_colours(lit(rgb, light), mask)
    assert reading.colours[0].name in {"denim", "blue"}
    assert not reading.multicolour  # a woven texture, not a print


def test_dark_wash_denim_is_not_black() -> None:
    rgb, mask = denim_photo((45, 62, 95), (210, 208, 204), seed=11)
    assert read_colours(rgb, mask).colours[0].name in {"denim", "navy", "blue"}


@pytest.mark.parametrize("light", [(1.0, 1.0, 1.0), WARM, COOL])
def test_mustard_is_mustard_or_yellow(light: tuple[float, float, float]) -> None:
    rgb, mask = garment_photo(NAMED["mustard"], (190, 190, 190), seed=12)
    assert read_colours(lit(rgb, light), mask).colours[0].name in {"mustard", "yellow"}


def test_shaded_garment_keeps_its_lit_colour() -> None:
    rgb, mask = garment_photo(NAMED["white"], (60, 55, 50), seed=13)
    ys, xs = np.nonzero(mask)
    fold = xs < np.percentile(xs, 40)  # a broad shadow over 40% of the shirt
    rgb[ys[fold], xs[fold]] = lit(rgb[ys[fold], xs[fold]], (1.0, 1.0, 1.0), exposure=0.55)
    reading = read_colours(rgb, mask)
    assert reading.colours[0].name == "white" and reading.colours[0].share > 0.9
    assert not reading.multicolour


@pytest.mark.parametrize("light", [(1.0, 1.0, 1.0), WARM])
def test_striped_garment_is_patterned(light: tuple[float, float, float]) -> None:
    rgb, mask = garment_photo(NAMED["red"], (215, 215, 215), stripes=SHIRT_WHITE, seed=14)
    reading = read_colours(lit(rgb, light), mask)
    assert reading.multicolour and reading.pattern == "stripes"
    assert {c.name for c in reading.colours[:2]} == {"red", "white"}


def test_checked_garment_is_a_check() -> None:
    rgb, mask = garment_photo(NAMED["white"], (120, 90, 60), seed=15)
    y, x = np.mgrid[0 : mask.shape[0], 0 : mask.shape[1]]
    band = ((y // 14) % 2 == 1) | ((x // 14) % 2 == 1)
    rgb[(mask > 0) & band] = NAMED["navy"]
    reading = read_colours(rgb, mask)
    assert reading.multicolour and reading.pattern == "check"


def test_floral_print_is_a_print_not_grey() -> None:
    rgb, mask = garment_photo(NAMED["navy"], (215, 215, 215), seed=16)
    rng = np.random.default_rng(16)
    for _ in range(900):  # small flowers in pink and white with yellow hearts
        cx, cy = int(rng.integers(0, mask.shape[1])), int(rng.integers(0, mask.shape[0]))
        petal = NAMED["pink"] if rng.random() < 0.5 else NAMED["white"]
        cv2.circle(rgb, (cx, cy), 5, petal, -1)
        cv2.circle(rgb, (cx, cy), 2, NAMED["yellow"], -1)
    background = garment_photo(NAMED["navy"], (215, 215, 215), seed=16)[0]
    rgb[mask == 0] = background[mask == 0]
    reading = read_colours(rgb, mask)
    assert reading.multicolour and reading.pattern == "print"
    assert reading.colours[0].name == "navy"


def test_plain_garment_with_a_chest_logo_is_not_patterned() -> None:
    rgb, mask = garment_photo(NAMED["green"], (215, 215, 215), seed=17)
    cv2.putText(rgb, "LOGO", (150, 230), cv2.FONT_HERSHEY_SIMPLEX, 1.2, NAMED["white"], 3)
    reading = read_colours(rgb, mask)
    assert reading.colours[0].name == "green"
    assert not reading.multicolour and reading.pattern is None


def _folded(colour: tuple[int, int, int], shade: float, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A garment whose left ``share`` lies in a deep fold (``shade`` of the light)."""
    rgb, mask = garment_photo(colour, (215, 215, 212), seed=seed)
    ys, xs = np.nonzero(mask)
    fold = xs < np.percentile(xs, 100 * share)
    rgb[ys[fold], xs[fold]] = lit(rgb[ys[fold], xs[fold]], (1.0, 1.0, 1.0), exposure=shade)
    return rgb, mask


def test_navy_garment_with_black_looking_folds_is_navy() -> None:
    # the folds are so dark (an eighth of the light) that on their own they read black
    rgb, mask = _folded((30, 38, 72), shade=0.12, share=0.6, seed=18)
    reading = read_colours(rgb, mask)
    assert reading.colours[0].name == "navy" and reading.colours[0].share == pytest.approx(1.0, abs=0.01)
    assert "black" not in {c.name for c in reading.colours}  # the folds count as navy


def test_black_garment_with_a_navy_trim_stays_black() -> None:
    rgb, mask = garment_photo(NAMED["black"], (215, 215, 212), seed=19)
    ys, xs = np.nonzero(mask)
    trim = ys > np.percentile(ys, 88)  # a navy hem band: about a tenth of the garment
    rgb[ys[trim], xs[trim]] = NAMED["navy"]
    assert read_colours(rgb, mask).colours[0].name == "black"


@pytest.mark.parametrize(("colour", "names"), [((120, 128, 111), {"green"}), ((88, 96, 80), {"olive", "green"})])
def test_sage_and_olive_drab_are_green_not_grey(colour: tuple[int, int, int], names: set[str]) -> None:
    rgb, mask = garment_photo(colour, (215, 215, 212), seed=20)
    assert read_colours(rgb, mask).colours[0].name in names


def test_neutral_grey_stays_grey_beside_sage() -> None:
    rgb, mask = garment_photo((122, 124, 124), (215, 215, 212), seed=21)
    assert read_colours(rgb, mask).colours[0].name == "grey"


@pytest.mark.parametrize("side", [400, 1100, 2048])
def test_a_photo_reads_alike_at_any_size(side: int) -> None:
    rgb, mask = garment_photo(NAMED["white"], (150, 110, 70), stripes=NAMED["navy"], seed=22)
    scale = side / max(rgb.shape[:2])
    size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
    resized = cv2.resize(rgb, size, interpolation=cv2.INTER_LINEAR)
    resized_mask = cv2.resize(mask, size, interpolation=cv2.INTER_NEAREST)
    reading, original = read_colours(resized, resized_mask), read_colours(rgb, mask)
    assert {c.name for c in reading.colours[:2]} == {c.name for c in original.colours[:2]} == {"white", "navy"}
    assert reading.pattern == original.pattern == "stripes"


def test_mask_of_another_size_is_refused() -> None:
    rgb, mask = garment_photo(NAMED["red"], (215, 215, 212), seed=23)
    with pytest.raises(ValueError, match="mask shape"):
        read_colours(rgb, mask[:-10])


@pytest.mark.parametrize("floor", [(200, 175, 140), (210, 190, 160)])
def test_white_shirt_on_a_beige_floor_is_white_not_light_blue(floor: tuple[int, int, int]) -> None:
    # the beige floor looks like grey under a warm bulb; the shirt, neutral as photographed, says the light was neutral
    rgb, mask = garment_photo(SHIRT_WHITE, floor, seed=24)
    reading = read_colours(rgb, mask)
    assert reading.colours[0].name == "white" and reading.lighting.gains == (1.0, 1.0, 1.0)
    light_blue, light_blue_mask = garment_photo(NAMED["light blue"], floor, seed=24)
    assert read_colours(light_blue, light_blue_mask).colours[0].name == "light blue"
