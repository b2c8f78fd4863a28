"""Hostile search text (regex-like, huge, many words, NUL, surrogates) finds nothing odd and never crashes."""

from __future__ import annotations

import pytest

from wardrobe_app.services.wardrobe import Wardrobe


@pytest.mark.parametrize(
    "query",
    ["(((", "[a-", ".*" * 1000, "x" * 100_000, "\x00", "\udcff", "%_%", "\\", "shirt|jeans", "a{99999999}"],
)
def test_odd_queries_find_nothing_and_do_not_crash(small_closet: Wardrobe, query: str) -> None:
    assert small_closet.search(query) == []


def test_many_words_still_find_by_synonym(small_closet: Wardrobe) -> None:
    found = small_closet.search(" ".join(["shirt"] * 20_000))
    assert [item.category for item in found] == ["shirt"]
