"""Item labels told apart: two "grey t-shirt"s named by what differs (brand, second colour), else by 1st, 2nd."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from wardrobe_app.domain.types import Item

_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def distinct_labels(items: Iterable[Item]) -> dict[int, str]:
    """Each item's label, unique among ``items``, for lists and plots that name items without their ids.

    A label only one item has stays as it is. Items that share one are told apart by what a person can
    see: their brands ("grey t-shirt, Uniqlo"), else their second colours ("grey t-shirt with white"),
    when that tells every one of them apart; else by the order they were added ("grey t-shirt, 2nd").
    """
    items = list(items)
    shared: defaultdict[str, list[Item]] = defaultdict(list)
    for item in items:
        shared[item.label.casefold()].append(item)
    labels: dict[int, str] = {}
    for twins in shared.values():
        if len(twins) == 1:
            labels[twins[0].id] = twins[0].label
            continue
        labels.update(_told_apart(twins))
    return _unique(labels)


def _told_apart(twins: list[Item]) -> dict[int, str]:
    for detail in _DETAILS:
        told = [detail(i) for i in twins]
        if all(told) and len({t.casefold() for t in told if t}) == len(twins):
            return {i.id: f"{i.label}{t}" for i, t in zip(twins, told, strict=True)}
    ordered = sorted(twins, key=lambda i: i.id)  # ids grow as items are added
    return {i.id: f"{i.label}, {_ordinal(n)}" for n, i in enumerate(ordered, 1)}


def _unique(labels: dict[int, str]) -> dict[int, str]:
    """A told-apart label that happens to be another item's name ("grey t-shirt, Uniqlo") gets a number."""
    seen: defaultdict[str, int] = defaultdict(int)
    unique = {}
    for item_id in sorted(labels):
        label = labels[item_id]
        seen[label.casefold()] += 1
        unique[item_id] = label if seen[label.casefold()] == 1 else f"{label} ({seen[label.casefold()]})"
    return unique


def _brand(item: Item) -> str | None:
    return f", {item.brand}" if item.brand else None


def _second_colour(item: Item) -> str | None:
    return f" with {item.colours[1].name}" if len(item.colours) > 1 else None


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st."""
    if n % 100 in (11, 12, 13) or n % 10 not in (1, 2, 3):
        return f"{n}th"
    return f"{n}{_SUFFIXES[n % 10]}"


_DETAILS: tuple[Callable[[Item], str | None], ...] = (_brand, _second_colour)
