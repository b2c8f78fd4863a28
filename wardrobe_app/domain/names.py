"""File names as a person can read them: undecodable bytes and control characters shown as backslash escapes."""

from __future__ import annotations

import os
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str | os.PathLike[str]) -> str:
    r"""``text`` (a file name or path) safe to print, store in the database or show in a label.

    A name that is not valid UTF-8 reaches Python with its bad bytes as lone surrogates, which
    neither SQLite nor a terminal accepts: they come back as ``\xe9``; control characters (a newline,
    a terminal escape) as ``\x1b``. A valid name is returned unchanged.
    """
    text = os.fspath(text)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that surrogateescape did not make
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
