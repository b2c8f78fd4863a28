"""Tests for wardrobe_app.vision.lighting: white balance and exposure read from the photo's background."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.vision.conftest import garment_photo, lit
from wardrobe_app.vision.lighting import (
    MAX_CHANNEL_GAIN,
    MAX_EXPOSURE_GAIN,
    corrected_linear,
    estimate_lighting,
    to_linear,
    to_srgb,
)


def test_srgb_round_trip() -> None:
    values = np.arange(256, dtype=np.uint8)
    assert np.abs(to_srgb(to_linear(values)) - values).max() < 0.01


def test_neutral_daylight_photo_needs_no_correction() -> None:
    rgb, mask = garment_photo((200, 30, 30), (215, 215, 213), seed=1)
    lighting = estimate_lighting(rgb, mask)
    assert lighting.neutral_share > 0.9
    assert lighting.gains == pytest.approx((1.0, 1.0, 1.0), abs=0.03) and lighting.exposure == 1.0


def test_warm_cast_is_undone_on_the_background() -> None:
    rgb, mask = garment_photo((200, 30, 30), (215, 215, 213), seed=2)
    warm = lit(rgb, (1.2, 1.0, 0.8))
    lighting = estimate_lighting(warm, mask)
    background = corrected_linear(warm[mask == 0], lighting).mean(axis=0)
    assert background.max() / background.min() < 1.05  # grey again
    before = to_linear(warm[mask == 0]).mean(axis=0)
    assert before.max() / before.min() > 1.3


def test_corrections_are_bounded() -> None:
    rgb, mask = garment_photo((30, 80, 200), (150, 150, 150), seed=3)
    extreme = lit(rgb, (1.0, 1.0, 0.35), exposure=0.3)  # a very yellow, very dark photo
    lighting = estimate_lighting(extreme, mask)
    assert max(lighting.gains) / min(lighting.gains) <= MAX_CHANNEL_GAIN**2 * 1.05
    assert lighting.exposure == MAX_EXPOSURE_GAIN


@pytest.mark.parametrize("background", [(200, 40, 50), (150, 105, 65), (40, 140, 60)])
def test_coloured_background_is_no_evidence(background: tuple[int, int, int]) -> None:
    rgb, mask = garment_photo((240, 240, 240), background, seed=4)  # red blanket, wooden floor, green rug
    assert estimate_lighting(rgb, mask).identity


def test_magenta_cast_is_only_partly_corrected() -> None:
    rgb, mask = garment_photo((30, 80, 200), (200, 200, 200), seed=5)
    magenta = lit(rgb, (1.06, 0.92, 1.06))  # a pale lilac wall, more likely than magenta light
    lighting = estimate_lighting(magenta, mask)
    assert lighting.neutral_share > 0.9
    before = to_linear(magenta[mask == 0]).mean(axis=0)
    after = corrected_linear(magenta[mask == 0], lighting).mean(axis=0)
    assert 1.03 < after[0] / after[1] < before[0] / before[1] - 0.02  # less magenta, not neutralised


def test_no_background_means_no_correction() -> None:
    rgb, _ = garment_photo((30, 80, 200), (200, 200, 200), seed=6)
    assert estimate_lighting(rgb, np.full(rgb.shape[:2], 255, np.uint8)).identity
    assert estimate_lighting(rgb, np.zeros(rgb.shape[:2], np.uint8)).identity
