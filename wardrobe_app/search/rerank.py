"""Order nearest neighbours by look and by kind, without letting an unsure classifier pick the shelf.

The query's kind is a distribution, not a word: the classifier's probabilities weighed by its
confidence, blended with a vote of the nearest neighbours' kinds (weighed by similarity). Each
candidate then pays a penalty for being of a kind (and a group) the query is unlikely to be, on
top of its distance. A sure classifier and agreeing neighbours bring the right shelf first; an
unsure one leaves the order to the neighbours and the look.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from wardrobe_app.domain import CATEGORY_GROUPS

#: Finer categories and the broad one a classifier may say instead (a "pants" guess half-fits jeans).
FAMILIES: dict[str, str] = {
    **dict.fromkeys(("jeans", "trousers", "chinos", "leggings", "sweatpants"), "pants"),
    **dict.fromkeys(
        ("sneakers", "heels", "boots", "sandals", "formal shoes", "loafers", "flats", "slippers", "flip-flops"), "shoes"
    ),
    **dict.fromkeys(("jacket", "coat"), "outwear"),
    "cap": "hat",
    "tank top": "undershirt",
}


def category_fit(category: str, belief: Mapping[str, float]) -> float:
    """How likely the query is of ``category``: its own belief, plus half of its family's, and of its finer kinds."""
    fit = belief.get(category, 0.0)
    family = FAMILIES.get(category)
    if family is not None:
        fit += 0.5 * belief.get(family, 0.0)
    fit += 0.5 * sum(p for c, p in belief.items() if FAMILIES.get(c) == category)
    return min(1.0, fit)


@dataclass(frozen=True)
class KindWeights:
    """How much kind matters; chosen by benchmarks/shop_quality.py on validation queries."""

    category: float = 0.5  # penalty for a candidate of a kind the query surely is not
    group: float = 0.1  # the same for its group (on top of the kind's: dress vs top costs both)
    vote_k: int = 15  # neighbours that vote on the query's kind
    vote_sharpness: float = 20.0  # a neighbour's vote weighs exp(-sharpness * distance)
    classifier_trust: float = 1.0  # scales the classifier's confidence against the vote

    @property
    def worst_score(self) -> float:
        """The largest score ``rerank_scores`` gives: the farthest distance (1) and both penalties in full."""
        return 1.0 + self.category + self.group


def kind_belief(
    neighbour_categories: Sequence[str | None],
    neighbour_distances: np.ndarray,
    classifier: Mapping[str, float] | None,
    weights: KindWeights,
) -> dict[str, float]:
    """P(query is of each category): the classifier's word by its confidence, blended with the neighbours' vote."""
    vote: dict[str, float] = {}
    top = min(weights.vote_k, len(neighbour_categories))
    for category, distance in zip(neighbour_categories[:top], neighbour_distances[:top], strict=True):
        if category is not None:
            vote[category] = vote.get(category, 0.0) + float(np.exp(-weights.vote_sharpness * float(distance)))
    total = sum(vote.values())
    vote = {c: v / total for c, v in vote.items()} if total > 0 else {}
    if not classifier:
        return vote
    mass = sum(classifier.values())
    probs = {c: p / mass for c, p in classifier.items()} if mass > 0 else {}
    trust = min(1.0, weights.classifier_trust * max(probs.values(), default=0.0)) if vote else 1.0
    belief = {c: (1 - trust) * v for c, v in vote.items()}
    for category, p in probs.items():
        belief[category] = belief.get(category, 0.0) + trust * p
    return belief


def group_belief(belief: Mapping[str, float], groups_of: Mapping[str, str] | None = None) -> dict[str, float]:
    """P(query is of each group): the belief summed over each group's kinds (``groups_of``: a catalogue's own
    kinds and their groups; without it, our categories' groups)."""
    groups: dict[str, float] = {}
    for category, p in belief.items():
        if groups_of is not None:
            group: str | None = groups_of.get(category)
        else:
            known = CATEGORY_GROUPS.get(category)
            group = known.value if known is not None else None
        if group is not None:
            groups[group] = groups.get(group, 0.0) + p
    return groups


def rerank(
    distances: np.ndarray,
    categories: Sequence[str | None],
    groups: Sequence[str | None],
    belief: Mapping[str, float],
    weights: KindWeights,
    groups_of: Mapping[str, str] | None = None,
) -> np.ndarray:
    """Positions of the candidates, best first: by ``rerank_scores`` (distance plus the kind and group penalties).

    ``categories`` are our categories, or with ``groups_of`` (kind -> group) a catalogue's own kinds."""
    return np.argsort(rerank_scores(distances, categories, groups, belief, weights, groups_of), kind="stable")


def rerank_scores(
    distances: np.ndarray,
    categories: Sequence[str | None],
    groups: Sequence[str | None],
    belief: Mapping[str, float],
    weights: KindWeights,
    groups_of: Mapping[str, str] | None = None,
) -> np.ndarray:
    """Each candidate's score, on the distance's scale (smaller is better): its distance plus the penalties
    for a kind and a group the query is unlikely to be. Without a belief the scores are the distances."""
    by_group = group_belief(belief, groups_of)
    scores = np.asarray(distances, dtype=np.float64).copy()
    if not belief:
        return scores
    kinds_in_group = Counter(groups_of.values()) if groups_of is not None else Counter()
    for n, (category, group) in enumerate(zip(categories, groups, strict=True)):
        if category is None and groups_of is not None and group is not None:
            # a product the shop gave no kind (imported before kinds were kept, or a blank cell): as likely
            # as an average kind of its group, neither first nor pushed out
            p_category = by_group.get(group, 0.0) / max(1, kinds_in_group[group])
        elif category is None:
            p_category = 0.0
        elif groups_of is not None:  # a catalogue's own kinds: no families among them
            p_category = belief.get(category, 0.0)
        else:
            p_category = category_fit(category, belief)
        p_group = by_group.get(group, 0.0) if group is not None else 0.0
        scores[n] += weights.category * (1.0 - p_category) + weights.group * (1.0 - p_group)
    return scores
