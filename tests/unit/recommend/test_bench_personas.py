"""The benchmark's extra simulated people judge outfits as their docstrings say (benchmarks/personas_more.py)."""

from __future__ import annotations

from benchmarks.personas_more import MORE, blue_top, by_occasion, contrast, covered, easy_going, tonal
from wardrobe_app.domain import Outfit

TRUTH: dict[int, dict[str, object]] = {
    1: {"folder": "shirt", "lightness": 0.9, "saturation": 0.1, "hue": 0.0, "colourful": 0.0},
    2: {"folder": "t-shirt", "lightness": 0.3, "saturation": 0.6, "hue": 220.0, "colourful": 0.8},
    11: {"folder": "pants", "lightness": 0.2, "saturation": 0.1, "hue": 0.0, "colourful": 0.0},
    12: {"folder": "shorts", "lightness": 0.35, "saturation": 0.2, "hue": 0.0, "colourful": 0.0},
    31: {"folder": "shoes", "lightness": 0.25, "saturation": 0.1, "hue": 0.0, "colourful": 0.0},
    41: {"folder": "hat", "lightness": 0.5, "saturation": 0.1, "hue": 0.0, "colourful": 0.0},
}


def outfit(top: int, middle: int, accessory: int | None = None) -> Outfit:
    return Outfit(top=top, middle=middle, bottom=31, accessory=accessory)


def test_garment_type_taste_refuses_shorts_and_hats() -> None:
    assert covered(outfit(1, 11), TRUTH)
    assert not covered(outfit(1, 12), TRUTH)
    assert not covered(outfit(1, 11, accessory=41), TRUTH)


def test_tonal_and_contrast_are_opposite_lightness_tastes() -> None:
    assert tonal(outfit(2, 11), TRUTH) and not contrast(outfit(2, 11), TRUTH)
    assert contrast(outfit(1, 11), TRUTH) and not tonal(outfit(1, 11), TRUTH)


def test_blue_tops_read_the_raw_photo_hue() -> None:
    assert blue_top(outfit(2, 11), TRUTH)
    assert not blue_top(outfit(1, 11), TRUTH)


def test_the_occasion_taste_differs_by_occasion() -> None:
    dark_plain = Outfit(top=11, middle=11, bottom=31)
    assert by_occasion(dark_plain, TRUTH, "work") and not by_occasion(dark_plain, TRUTH, "party")
    assert by_occasion(outfit(2, 11), TRUTH, "party") and not by_occasion(outfit(1, 11), TRUTH, "work")


def test_the_easy_going_coin_is_fixed_per_outfit_and_likes_about_two_in_three() -> None:
    outfits = [Outfit(top=t, middle=m, bottom=b) for t in range(20) for m in range(100, 110) for b in (200, 201)]
    first = [easy_going(o, TRUTH) for o in outfits]
    assert first == [easy_going(o, TRUTH) for o in outfits]
    assert 0.55 < sum(first) / len(first) < 0.75
    assert len(MORE) == 6 and all(occasions for occasions, _ in MORE.values())
