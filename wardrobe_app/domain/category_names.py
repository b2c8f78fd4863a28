"""Categories as people read them: the one place a stored category (a dataset word) becomes display text."""

from __future__ import annotations

#: Stored categories whose word is not plain English (the classifier's dataset spellings). The stored value,
#: the model's labels and the ``category`` values of ``--json`` keep the stored word; what people read changes,
#: including the ``label`` and ``reasons`` texts of ``--json`` ("grey outerwear").
_SPOKEN: dict[str, str] = {
    "outwear": "outerwear",
    "longsleeve": "long-sleeve top",
}


def category_name(category: str | None, missing: str = "unclassified item") -> str:
    """A category as a lower-case noun for sentences and item labels ("outerwear", "long-sleeve top").

    ``None`` (not classified) reads as ``missing``. An unknown word is shown as it is.
    """
    if not category:
        return missing
    return _SPOKEN.get(category, category)


def category_title(category: str | None, missing: str = "Unclassified") -> str:
    """A category as a list entry or heading: capitalised ("Outerwear", "T-shirt", "Long-sleeve top")."""
    if not category:
        return missing
    name = category_name(category)
    return name[:1].upper() + name[1:]


def spoken_aliases() -> dict[str, str]:
    """Each display name that is not the stored word, mapped back to the stored word (a user may type it)."""
    return {name: stored for stored, name in _SPOKEN.items()}
