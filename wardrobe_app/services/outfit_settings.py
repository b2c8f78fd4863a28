"""The user's outfit settings, kept in the data dir: the hemisphere (the season follows it) and the rest."""

from __future__ import annotations

import json
import logging
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from wardrobe_app.domain import WardrobeError
from wardrobe_app.recommend.context import parse_hemisphere

#: Liked and worn outfits rest (are not suggested again) until this many later ratings arrived.
REST_RATINGS = 40
#: The user's outfit settings file in the data dir: {"hemisphere": "north"|"south", "rest_ratings": 40}.
SETTINGS_FILE = "outfit_settings.json"
#: A settings file bigger than this is not read (it is a few dozen bytes when the app writes it).
MAX_SETTINGS_BYTES = 64 * 1024
#: The most ratings an outfit may rest (a larger saved value is a damaged file).
MAX_REST_RATINGS = 1_000_000

log = logging.getLogger(__name__)


def read_settings(data_dir: Path) -> dict[str, Any]:
    """The outfit settings (hemisphere, rest) from the data dir; defaults when absent or unreadable.

    A damaged file (not JSON, wrong types, a link, not a plain file, too big) is never trusted: the
    defaults stand for what it got wrong, and ``problem`` says what that was (it is logged too).
    """
    settings: dict[str, Any] = {"hemisphere": _default_hemisphere(), "rest_ratings": REST_RATINGS}
    try:
        saved = _read_file(data_dir / SETTINGS_FILE)
    except (OSError, ValueError) as error:
        return _damaged(settings, str(error))
    if saved is _ABSENT:
        return settings
    if not isinstance(saved, dict):
        return _damaged(settings, "it does not hold a JSON object")
    wrong = []
    if "hemisphere" in saved:
        try:
            settings["hemisphere"] = (
                parse_hemisphere(saved["hemisphere"]) if isinstance(saved["hemisphere"], str) else ""
            )
        except WardrobeError:
            settings["hemisphere"] = ""
        if not settings["hemisphere"]:
            settings["hemisphere"] = _default_hemisphere()
            wrong.append("hemisphere")
    if "rest_ratings" in saved:
        rest = saved["rest_ratings"]
        if isinstance(rest, int) and not isinstance(rest, bool) and 0 <= rest <= MAX_REST_RATINGS:
            settings["rest_ratings"] = rest
        else:
            wrong.append("rest_ratings")
    return _damaged(settings, f"bad {', '.join(wrong)}") if wrong else settings


def _default_hemisphere() -> str:
    try:
        return parse_hemisphere(os.environ.get("WARDROBE_HEMISPHERE", "north"))
    except WardrobeError:
        return "north"


_ABSENT = object()


def _read_file(path: Path) -> Any:
    """The file's JSON, ``_ABSENT`` when there is none; ValueError when it is a link, not a plain file or too big."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return _ABSENT
    if not stat.S_ISREG(status.st_mode):
        raise ValueError("it is a link or not a plain file")
    if status.st_size > MAX_SETTINGS_BYTES:
        raise ValueError(f"it is {status.st_size} bytes, more than {MAX_SETTINGS_BYTES}")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_SETTINGS_BYTES + 1)
    if len(data) > MAX_SETTINGS_BYTES:
        raise ValueError(f"it is more than {MAX_SETTINGS_BYTES} bytes")
    return json.loads(data.decode("utf-8"))


def _damaged(settings: dict[str, Any], why: str) -> dict[str, Any]:
    problem = f"{SETTINGS_FILE} is damaged ({why}); using the defaults for it"
    log.warning("%s", problem)
    return {**settings, "problem": problem}


def write_settings(data_dir: Path, hemisphere: str | None = None, rest_ratings: int | None = None) -> dict[str, Any]:
    """Change the outfit settings in the data dir (atomically, private to the user); returns them all."""
    settings = read_settings(data_dir)
    settings.pop("problem", None)
    if hemisphere is not None:
        settings["hemisphere"] = parse_hemisphere(hemisphere)
    if rest_ratings is not None:
        if int(rest_ratings) < 0:
            raise WardrobeError(f"rest must be 0 or more ratings, not {rest_ratings}")
        settings["rest_ratings"] = int(rest_ratings)
    target = data_dir / SETTINGS_FILE
    fd, partial = tempfile.mkstemp(dir=data_dir, prefix=".tmp-", suffix=".json")  # never a planted link
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(settings, indent=1))
        os.chmod(partial, 0o600)
        os.replace(partial, target)  # replaces a link or damaged file itself, never what a link points to
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return settings
