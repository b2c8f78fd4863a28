"""Tests for wardrobe_app.vision.palette: CIEDE2000 against published values and nearest-name lookup."""

from __future__ import annotations

import numpy as np
import pytest

from wardrobe_app.vision.palette import NEUTRALS, PALETTE, PROTOTYPES, ciede2000, name_lab, name_rgb, to_lab

# Sharma, Wu and Dalal (2005), "The CIEDE2000 colour-difference formula: implementation notes,
# supplementary test data and mathematical observations": pairs 1, 7, 17, 25, 34 and 13.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
    ((50.0, 2.5, 0.0), (50.0, 0.0, -2.5), 4.3065),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_ciede2000_matches_published_values(lab1: tuple, lab2: tuple, expected: float) -> None:
    assert float(ciede2000(np.array(lab1), np.array(lab2))) == pytest.approx(expected, abs=1e-4)
    assert float(ciede2000(np.array(lab2), np.array(lab1))) == pytest.approx(expected, abs=1e-4)


def test_ciede2000_broadcasts_and_is_zero_on_the_diagonal() -> None:
    lab = to_lab(np.array([[200, 30, 30], [30, 80, 200], [128, 128, 128]], np.float32))
    table = ciede2000(lab[:, None, :], lab[None, :, :])
    assert table.shape == (3, 3)
    assert np.allclose(np.diag(table), 0.0) and np.allclose(table, table.T)
    assert (table[~np.eye(3, dtype=bool)] > 20).all()


def test_lightness_weighs_less_with_textile_weights() -> None:
    dark, light = np.array((40.0, 20.0, -40.0)), np.array((60.0, 20.0, -40.0))
    assert ciede2000(dark, light, (2.0, 1.0, 1.0)) < ciede2000(dark, light)


def test_every_prototype_is_named_by_its_own_name() -> None:
    for name, shades in PROTOTYPES.items():
        for shade in shades:
            rgb = np.array([int(shade[i : i + 2], 16) for i in (1, 3, 5)], np.float32)
            assert name_rgb(rgb) == name, shade


def test_palette_and_neutrals() -> None:
    assert len(set(PALETTE)) == len(PALETTE) and {"mustard", "denim"} <= set(PALETTE)
    assert set(PALETTE) >= NEUTRALS and "denim" in NEUTRALS and "red" not in NEUTRALS


@pytest.mark.parametrize(
    ("rgb", "names"),
    [
        ((60, 95, 140), {"denim"}),
        ((200, 160, 40), {"mustard"}),
        ((240, 220, 40), {"yellow"}),
        ((20, 20, 22), {"black"}),
        ((30, 40, 80), {"navy"}),
        ((115, 75, 45), {"brown"}),
    ],
)
def test_names_a_person_would_use(rgb: tuple[int, int, int], names: set[str]) -> None:
    assert name_rgb(np.array(rgb, np.float32)) in names


def test_name_lab_handles_empty_and_many() -> None:
    assert name_lab(np.zeros((0, 3))) == []
    assert name_lab(to_lab(np.array([[250, 250, 250], [15, 15, 15]], np.float32))) == ["white", "black"]
