"""Text search over closet items for the fronts: the GUI's filter box and ``wardrobe search`` match alike."""

from __future__ import annotations

from wardrobe_app.search.text import matches_query

__all__ = ["matches_query"]
