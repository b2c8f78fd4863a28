"""Benchmarks' shared pick of photos: ``limit`` photos spread evenly over a folder (recursively)."""

from __future__ import annotations

from pathlib import Path

from wardrobe_app.services.importing import expand_paths


def spread_sample(folder: Path, limit: int) -> list[Path]:
    """Up to ``limit`` photos of ``folder``, taken at even steps so every class folder is represented."""
    paths = expand_paths([folder])
    step = max(1, len(paths) // max(1, limit))
    return paths[::step][:limit]
