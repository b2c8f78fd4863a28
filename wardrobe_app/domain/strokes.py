"""A brush stroke on a photo, as the cut-out fix dialog paints it and the segmenter takes it as a seed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stroke:
    """One brush stroke in photo pixels: the centre line, the brush radius, and keep (garment) or remove."""

    points: tuple[tuple[int, int], ...]  # (x, y)
    radius: int
    keep: bool

    def __post_init__(self) -> None:
        if not self.points:
            raise ValueError("a stroke needs at least one point")
        if self.radius < 1:
            raise ValueError("a stroke's radius is at least 1 pixel")
