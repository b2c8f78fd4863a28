"""Typed results of the facade's model calls: a ranker retrain, the ranker's state, the classifier in use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wardrobe_app.domain.types import Item


class _Keyed:
    """Field access by name too (``result["version"]``), for callers written against the dicts these replace."""

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None


@dataclass(frozen=True)
class RetrainResult(_Keyed):
    """What a retrain recorded: the new ranker version, what it learnt from and how well it fits."""

    version: int
    ranker: str  # "personal", or "expert" after a reset
    n_ratings: int = 0
    seconds: float = 0.0
    accuracy: float | None = None  # on the ratings it learnt from
    occasions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankerState(_Keyed):
    """Ratings so far and the ranker in use, for a person to read (``labelled()``; ``state["ranker in use"]``)."""

    ratings: int
    likes: int
    dislikes: int
    worn: int
    in_use: str
    last_retrain: str  # "never" or "YYYY-MM-DD HH:MM"
    since_retrain: int
    retrain_every: int

    def labelled(self) -> dict[str, Any]:
        """The facts with the labels the Model tab shows, in order."""
        return {
            "ratings so far": self.ratings,
            "likes / dislikes / worn": f"{self.likes} / {self.dislikes} / {self.worn}",
            "ranker in use": self.in_use,
            "last retrain": self.last_retrain,
            "ratings since the last retrain": f"{self.since_retrain} (retrains every {self.retrain_every})",
        }

    def __getitem__(self, key: str) -> Any:
        labelled = self.labelled()
        return labelled[key] if key in labelled else super().__getitem__(key)


@dataclass(frozen=True)
class ClassifierInfo(_Keyed):
    """The garment classifier in use, or the shipped one not loaded yet; ``error`` says why there is none."""

    version: str | None = None
    folder: Path | None = None  # its models/garment_classifier/<version>/ folder, None when none is shipped
    manifest: dict[str, Any] = field(default_factory=dict)
    loaded: bool = False
    error: str | None = None


class SimilarMatch(tuple[Item, float]):
    """One found item: ``(item, distance)`` as before (the look's distance, 0 = identical), and ``match``.

    ``match`` (0-1, higher is better) is what the order of the results goes by: the distance plus the
    penalties for being of a kind the query is unlikely to be, turned round on the scale of the worst such
    score. A list of matches is in falling ``match`` order, whereas its distances need not rise (a nearer
    item of another kind comes after).
    """

    match: float

    def __new__(cls, item: Item, distance: float, score: float | None = None, worst: float = 1.0) -> SimilarMatch:
        """``score``: the order's score, smaller is better (None: the distance itself); ``worst``: its largest
        possible value (1 for a distance, 1 + the kind and group penalties for a reranked score)."""
        made = super().__new__(cls, (item, float(distance)))
        made.match = min(1.0, max(0.0, 1.0 - (distance if score is None else score) / worst))
        return made

    def __reduce__(self) -> tuple[object, tuple[Item, float, float]]:
        """Copied and pickled whole (tuple's own way would call ``__new__`` with one argument)."""
        return (_rebuilt_match, (self[0], self[1], self.match))

    @property
    def item(self) -> Item:
        return self[0]

    @property
    def distance(self) -> float:
        return self[1]


def _rebuilt_match(item: Item, distance: float, match: float) -> SimilarMatch:
    """A SimilarMatch with the given ``match`` (unpickling, copying)."""
    made = SimilarMatch(item, distance)
    made.match = match
    return made
