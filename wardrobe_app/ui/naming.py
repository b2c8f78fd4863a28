"""Object names for widgets (tests and style sheets find widgets by them)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

Named = TypeVar("Named", bound=QObject)


def named(thing: Named, name: str) -> Named:
    """Give a widget or action its object name and return it (keeps constructors on one line)."""
    thing.setObjectName(name)
    return thing
