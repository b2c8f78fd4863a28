"""Object names for widgets (tests and style sheets find widgets by them), and names shown as plain text."""

from __future__ import annotations

import html
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel

Named = TypeVar("Named", bound=QObject)


def named(thing: Named, name: str) -> Named:
    """Give a widget or action its object name and return it (keeps constructors on one line)."""
    thing.setObjectName(name)
    return thing


def plain(label: QLabel) -> QLabel:
    """A label that shows its text as it is: an item named ``<img src=x>`` is never read as markup."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def escaped(text: object) -> str:
    """A name or path (anything people or files chose) for a rich-text label: its markup shown, not obeyed."""
    return html.escape(str(text), quote=True)


def rich(markup: str) -> str:
    """Markup Qt always takes as rich text (tooltips, message boxes guess from the first line otherwise)."""
    return f"<qt>{markup}</qt>"


def tooltip(text: object) -> str:
    """A plain-text tooltip that stays plain whatever it holds (Qt renders tips that look like markup)."""
    return rich(escaped(text).replace("\n", "<br>"))


def counted(n: int, noun: str) -> str:
    """``1 item``, ``2 items``: a count with its noun in the right number (regular plurals only)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
