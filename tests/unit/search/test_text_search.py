"""Closet text search with synonyms from assets/search_synonyms.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from wardrobe_app.domain import Colour, Group, Item
from wardrobe_app.search.text import alternatives, matches_query, synonyms


def _item(category: str, **fields: object) -> Item:
    fields.setdefault("colours", (Colour("navy", "#1b2a4a", (220.0, 0.6, 0.3), 0.9),))
    return Item(
        id=1, photo_path="p", cutout_path=None, thumb_path=None, mask_path=None, content_hash="h",
        category=category, group=Group.MIDDLE, **fields,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "item", "found"),
    [
        ("jeans", _item("pants", name="Denim trousers"), True),
        ("jeans", _item("pants", colours=(Colour("denim", "#3b5b84", (213.0, 0.5, 0.5), 0.8),)), True),
        ("jeans", _item("shirt", colours=(Colour("denim", "#3b5b84", (213.0, 0.5, 0.5), 0.8),)), False),
        ("denim", _item("jeans", colours=()), True),
        ("jeans", _item("jeans"), True),
        ("jeans", _item("chinos"), False),
        ("tee", _item("t-shirt"), True),
        ("tees", _item("t-shirt"), True),
        ("sneakers", _item("shoes"), True),
        ("trainers", _item("sneakers"), True),
        ("jumper", _item("sweater"), True),
        ("jumper", _item("shirt"), False),
        ("navy jeans", _item("jeans"), True),
        ("red jeans", _item("jeans"), False),
        ("levis", _item("jeans", brand="Levis"), True),
        ("wedding", _item("dress", tags=("wedding",)), True),
        ("shirts", _item("shirt"), True),
        ("gray", _item("jeans", name="grey jeans"), True),
        ("", _item("hat"), True),
    ],
)
def test_synonyms(query: str, item: Item, found: bool) -> None:
    assert matches_query(item, query) is found


def test_table_is_read_from_the_csv(tmp_path: Path) -> None:
    table = synonyms()
    assert "denim+pants" in table["jeans"] and "t-shirt" in table["tee"]
    path = tmp_path / "s.csv"
    path.write_text("# comment\nterm,finds\nKicks,Sneakers|kicks\n", encoding="utf-8")
    assert synonyms(path) == {"kicks": ("sneakers",)}
    assert alternatives("kicks", synonyms(path)) == ("kicks", "kick", "sneakers")
