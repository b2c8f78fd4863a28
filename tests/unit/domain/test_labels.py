"""Item labels told apart for lists without ids: by brand, by second colour, else by the order added."""

from __future__ import annotations

from wardrobe_app.domain import Colour, Item, distinct_labels


def _item(
    item_id: int, colours: tuple[str, ...] = ("grey",), name: str | None = None, brand: str | None = None
) -> Item:
    swatches = tuple(Colour(c, "#808080", (0.0, 0.0, 0.5), 1.0 / len(colours)) for c in colours)
    return Item(
        item_id, "/p.jpg", None, None, None, str(item_id), "t-shirt", None, colours=swatches, name=name, brand=brand
    )


def test_a_label_only_one_item_has_stays() -> None:
    assert distinct_labels([_item(1), _item(2, ("red",))]) == {1: "grey t-shirt", 2: "red t-shirt"}


def test_twins_told_apart_by_brand_then_second_colour_then_order() -> None:
    assert distinct_labels([_item(1, brand="Uniqlo"), _item(2, brand="Gap")]) == {
        1: "grey t-shirt, Uniqlo",
        2: "grey t-shirt, Gap",
    }
    assert distinct_labels([_item(1, ("grey", "white")), _item(2, ("grey", "navy"))]) == {
        1: "grey t-shirt with white",
        2: "grey t-shirt with navy",
    }
    found = distinct_labels([_item(7), _item(3, brand="Gap"), _item(12)])  # one without a brand: by order
    assert found == {3: "grey t-shirt, 1st", 7: "grey t-shirt, 2nd", 12: "grey t-shirt, 3rd"}


def test_no_label_is_shown_twice_and_no_id_is_shown() -> None:
    items = [_item(n) for n in range(1, 13)] + [_item(20, name="grey t-shirt, 1st"), _item(21, name="Grey T-shirt")]
    found = distinct_labels(items)
    assert len({label.casefold() for label in found.values()}) == len(items)
    assert found[11] == "grey t-shirt, 11th" and found[2] == "grey t-shirt, 2nd"
    assert all(f"({n})" not in found[n] and f"#{n}" not in found[n] for n in range(1, 13))


def test_a_similar_match_copies_and_pickles_whole() -> None:
    import copy
    import pickle

    from wardrobe_app.domain.results import SimilarMatch

    found = SimilarMatch("an item stands here", 0.25, score=0.5, worst=2.0)  # type: ignore[arg-type]
    for again in (copy.copy(found), copy.deepcopy(found), pickle.loads(pickle.dumps(found))):
        assert again == found and tuple(again) == ("an item stands here", 0.25)
        assert again.match == found.match == 0.75
