"""The user's outfit settings, kept in the data dir: the hemisphere (the season follows it) and the rest."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from wardrobe_app.domain import WardrobeError
from wardrobe_app.recommend.context import parse_hemisphere

#: Liked and worn outfits rest (are not suggested again) until this many later ratings arrived.
REST_RATINGS = 40
#: The user's outfit settings file in the data dir: {"hemisphere": "north"|"south", "rest_ratings": 40}.
SETTINGS_FILE = "outfit_settings.json"


def read_settings(data_dir: Path) -> dict[str, Any]:
    """The outfit settings (hemisphere, rest) from the data dir; defaults when absent or unreadable."""
    settings: dict[str, Any] = {
        "hemisphere": os.environ.get("WARDROBE_HEMISPHERE", "north"),
        "rest_ratings": REST_RATINGS,
    }
    with contextlib.suppress(OSError, ValueError):
        settings.update(json.loads((data_dir / SETTINGS_FILE).read_text(encoding="utf-8")))
    return settings


def write_settings(data_dir: Path, hemisphere: str | None = None, rest_ratings: int | None = None) -> dict[str, Any]:
    """Change the outfit settings in the data dir (atomically, private to the user); returns them all."""
    settings = read_settings(data_dir)
    if hemisphere is not None:
        settings["hemisphere"] = parse_hemisphere(hemisphere)
    if rest_ratings is not None:
        if int(rest_ratings) < 0:
            raise WardrobeError(f"rest must be 0 or more ratings, not {rest_ratings}")
        settings["rest_ratings"] = int(rest_ratings)
    target = data_dir / SETTINGS_FILE
    partial = target.with_suffix(".json.partial")
    partial.write_text(json.dumps(settings, indent=1), encoding="utf-8")
    partial.chmod(0o600)
    os.replace(partial, target)
    return settings
