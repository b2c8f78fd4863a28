"""A stand-in garment classifier with labels, top-3 and a review threshold, whose version and verdicts tests pick."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from wardrobe_app.domain import CLASSIFIER_CATEGORIES, Group, group_of


@dataclass(frozen=True)
class Verdict:
    category: str
    group: Group
    confidence: float
    top3: tuple[tuple[str, float], ...]
    features: np.ndarray = field(repr=False)
    needs_review: bool


class LabelledFake:
    """Features (512 floats): the garment's colour family, one-hot, plus a trace of its 16x16 grey image,
    so garments of one colour are near neighbours and others far.

    The verdict follows the garment's main colour through ``verdicts`` ({"red": (category,
    confidence), "blue": ..., "green": ..., "other": ...}); ``calls`` counts forward passes.
    """

    labels = CLASSIFIER_CATEGORIES
    review_threshold = 0.5

    def __init__(self, version: str = "fake-1", verdicts: dict[str, tuple[str, float]] | None = None) -> None:
        self.version = version
        self.verdicts = {
            "red": ("t-shirt", 0.55),
            "blue": ("pants", 0.45),
            "green": ("shoes", 0.8),
            "other": ("shirt", 0.7),
            **(verdicts or {}),
        }
        self.calls = 0

    def classify(self, images: Sequence[np.ndarray], masks: Sequence[np.ndarray] | None = None) -> list[Verdict]:
        self.calls += 1
        out = []
        for n, rgb in enumerate(images):
            mask = masks[n] if masks is not None else np.full(rgb.shape[:2], 255, np.uint8)
            shape = cv2.resize((mask > 0).astype(np.float32), (16, 16), interpolation=cv2.INTER_AREA)
            grey = cv2.resize(
                cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255, (16, 16), interpolation=cv2.INTER_AREA
            )
            garment = rgb[mask > 0] if (mask > 0).any() else rgb.reshape(-1, 3)
            r, g, b = garment.reshape(-1, 3).mean(axis=0)
            colour = (
                "red"
                if r > g + 40 and r > b + 40
                else "blue"
                if b > r + 40 and b > g + 40
                else "green"
                if g > r + 40 and g > b + 40
                else "other"
            )
            family = np.zeros(256, np.float32)
            family[list(self.verdicts).index(colour)] = 1.0
            features = np.concatenate([family + 0.002 * shape.ravel(), 0.002 * grey.ravel()]).astype(np.float32)
            category, confidence = self.verdicts[colour]
            second = "longsleeve" if category != "longsleeve" else "t-shirt"
            top3 = ((category, confidence), (second, (1 - confidence) * 0.6), ("dress", (1 - confidence) * 0.3))
            out.append(
                Verdict(category, group_of(category), confidence, top3, features, confidence < self.review_threshold)
            )
        return out


class KindFake(LabelledFake):
    """A LabelledFake whose kind head refines its "shoes" calls into ``kind`` (top-3 keeps the plain labels, as
    the real classifier's does)."""

    def __init__(
        self, version: str = "fake-1", verdicts: dict[str, tuple[str, float]] | None = None, kind: str = "sneakers"
    ) -> None:
        super().__init__(version, verdicts)
        self.kind = kind

    def classify(self, images: Sequence[np.ndarray], masks: Sequence[np.ndarray] | None = None) -> list[Verdict]:
        from dataclasses import replace

        return [replace(v, category=self.kind) if v.category == "shoes" else v for v in super().classify(images, masks)]
