"""A tiny stand-in for the garment classifier: deterministic features from the image itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from wardrobe_app.domain import Group, group_of


@dataclass(frozen=True)
class FakeClassification:
    category: str
    group: Group
    confidence: float
    features: np.ndarray
    needs_review: bool = False

    @property
    def top3(self) -> tuple[tuple[str, float], ...]:
        return ((self.category, self.confidence),)


class FakeClassifier:
    """Features: the garment mask and the grey image, each downsampled to 16x16 (512 floats).

    The category follows the garment's colour: reddish -> t-shirt, bluish -> pants,
    greenish -> shoes, anything else -> shirt. ``calls`` counts forward passes and
    ``fail_on_call`` makes that pass raise (an interruption in the middle of a batch).
    """

    def __init__(self, version: str = "fake-1", fail_on_call: int | None = None) -> None:
        self.version = version
        self.calls = 0
        self.batch_sizes: list[int] = []
        self.fail_on_call = fail_on_call

    def classify(
        self, images: Sequence[np.ndarray], masks: Sequence[np.ndarray] | None = None
    ) -> list[FakeClassification]:
        self.calls += 1
        self.batch_sizes.append(len(images))
        if self.fail_on_call is not None and self.calls == self.fail_on_call:
            raise KeyboardInterrupt("simulated kill in the middle of a batch")
        out = []
        for n, rgb in enumerate(images):
            mask = masks[n] if masks is not None else np.full(rgb.shape[:2], 255, np.uint8)
            shape = cv2.resize((mask > 0).astype(np.float32), (16, 16), interpolation=cv2.INTER_AREA)
            grey = cv2.resize(
                cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255, (16, 16), interpolation=cv2.INTER_AREA
            )
            features = np.concatenate([shape.ravel(), 0.3 * grey.ravel()]).astype(np.float32)
            garment = rgb[mask > 0] if (mask > 0).any() else rgb.reshape(-1, 3)
            r, g, b = garment.reshape(-1, 3).mean(axis=0)
            if r > g + 40 and r > b + 40:
                category = "t-shirt"
            elif b > r + 40 and b > g + 40:
                category = "pants"
            elif g > r + 40 and g > b + 40:
                category = "shoes"
            else:
                category = "shirt"
            out.append(FakeClassification(category, group_of(category), 0.9, features))
        return out
