"""Wardrobe: a private, offline digital closet that tells you what to wear."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe

__all__ = ["Wardrobe", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Wardrobe":
        from wardrobe_app.services.wardrobe import Wardrobe

        return Wardrobe
    raise AttributeError(name)
