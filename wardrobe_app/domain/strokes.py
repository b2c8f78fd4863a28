"""A brush stroke on a photo, as the cut-out fix dialog paints it and the segmenter takes it as a seed."""

from __future__ import annotations

from dataclasses import dataclass

from wardrobe_app.domain.errors import InvalidCutoutError

#: No photo is this many pixels across: a stroke point or radius beyond it is refused (not an overflow).
MAX_STROKE_PIXELS = 1 << 16


@dataclass(frozen=True)
class Stroke:
    """One brush stroke in photo pixels: the centre line, the brush radius, and keep (garment) or remove."""

    points: tuple[tuple[int, int], ...]  # (x, y)
    radius: int
    keep: bool

    def __post_init__(self) -> None:
        if not self.points:
            raise InvalidCutoutError("a stroke needs at least one point")
        if not _whole(self.radius) or not 1 <= self.radius <= MAX_STROKE_PIXELS:
            raise InvalidCutoutError(f"a stroke's radius is 1 to {MAX_STROKE_PIXELS} pixels, not {self.radius!r}")
        for point in self.points:
            if len(point) != 2 or not all(_whole(v) and abs(v) <= MAX_STROKE_PIXELS for v in point):
                raise InvalidCutoutError(
                    f"a stroke point must be two whole pixel coordinates on a photo, not {point!r}"
                )


def _whole(value: object) -> bool:
    """An int (not a bool), or a float with a whole, finite value."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()
