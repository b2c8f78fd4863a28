"""Shopping with the closet in mind: "shop for this", "complete the look" and "worth buying?"."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wardrobe_app.domain import (
    CannotMakeOutfitError,
    Item,
    Outfit,
    WardrobeError,
    group_of,
    normalise_category,
)
from wardrobe_app.domain.results import SimilarMatch
from wardrobe_app.recommend.features import SLOTS, item_facts
from wardrobe_app.recommend.ranker_file import RankerWeights, sigmoid
from wardrobe_app.recommend.rules import OCCASIONS, ExpertRules, check_occasion, expert_rules
from wardrobe_app.recommend.scoring import Candidates, score_closet
from wardrobe_app.recommend.suggest import Closet, check_closet
from wardrobe_app.services.similar import QueryPhoto, SimilarSearch, as_item_id, classifier_word


def query_vector(
    search: SimilarSearch, photo: str | int | os.PathLike[str]
) -> tuple[np.ndarray, str | None, dict[str, float] | None, int | None]:
    """(embedding, CNN version, what it is said to be with how sure, item id or None) of a photo or a stored item."""
    item_id = as_item_id(photo)
    if item_id is not None:
        vector, version = search.item_embedding(item_id)
        return vector, version, search.word_of(item_id), item_id
    query = search.embed_photo(Path(os.fspath(photo)))  # type: ignore[arg-type]  # not an int here
    return query.embedding, query.cnn_version, classifier_word(query.classification), None


def shop_for(
    search: SimilarSearch,
    catalogues: list[str],
    photo: str | int | os.PathLike[str],
    k: int = 5,
    catalogue: str | None = None,
) -> list[SimilarMatch]:
    """The ``k`` catalogue products most like ``photo``, those of its likely kind first (see search/rerank.py)."""
    names = [catalogue] if catalogue else catalogues
    if not names:
        raise WardrobeError("no shop catalogue yet; import one with: wardrobe catalogue import NAME DIR")
    vector, version, word, item_id = query_vector(search, photo)
    if len(names) == 1:
        collection_id, collection_name = search.collection(names[0])
        return search.search_by_kind(
            vector, version, collection_id, collection_name, k, word, [item_id] if item_id is not None else []
        )
    found: list[SimilarMatch] = []
    for name in names:
        collection_id, collection_name = search.collection(name)
        found.extend(
            search.search_by_kind(
                vector, version, collection_id, collection_name, k, word, [item_id] if item_id is not None else []
            )
        )
    found.sort(key=lambda match: -match.match)  # each catalogue's best first, merged as each was ordered
    return found[:k]


# -- "worth buying?" and "complete the look" (the outfit ranker over closet + candidates) ------------
#: An outfit counts as good from this ranker score (0-1) on.
GOOD_OUTFIT = 0.6
#: Outfits shown per occasion as examples.
EXAMPLES = 3
#: The id a candidate garment gets while it is scored (no real item has it).
CANDIDATE_ID = -1


@dataclass(frozen=True)
class PurchaseVerdict:
    """What a candidate garment adds for one occasion: good outfits with it, and with which items."""

    occasion: str
    good_outfits: int  # outfits with the candidate scoring >= the threshold
    best_score: float  # 0 when it makes no outfit at all
    examples: tuple[Outfit, ...]  # the best few; the candidate's slot holds CANDIDATE_ID
    partners: tuple[int, ...]  # closet items in its good outfits, most often first
    note: str = ""


@dataclass(frozen=True)
class LookCompletion:
    """A catalogue product that completes an outfit around a closet item."""

    product: Item
    outfit: Outfit  # the best outfit with the item and the product, the rest from the closet
    score: float


def candidate_item(query: QueryPhoto, category: str | None = None) -> Item:
    """A stand-in closet item for a photo not (yet) bought: its category, group and colours."""
    category = normalise_category(category) if category else query.category
    if category is None:
        raise WardrobeError("cannot tell what garment this is (no classifier); give its category")
    colours = query.processed.colours
    return Item(
        id=CANDIDATE_ID,
        photo_path=str(query.path),
        cutout_path=None,
        thumb_path=None,
        mask_path=None,
        content_hash="candidate",
        category=category,
        group=group_of(category),
        colours=colours.colours,
        multicolour=colours.multicolour,
        name="the candidate",
    )


def _outfit(closet: Closet, cands: Candidates, i: int, occasion: str) -> Outfit:
    worn = {s: int(closet.items[s][int(getattr(cands, s)[i])].id) if getattr(cands, s)[i] >= 0 else None for s in SLOTS}
    return Outfit(
        top=worn["top"],
        middle=worn["middle"],
        bottom=worn["bottom"],
        full=worn["full"],
        score=round(float(sigmoid(cands.logit[i : i + 1])[0]), 4),
        occasion=occasion,
    )


def _all_outfits(weights: RankerWeights, closet: Closet, occasion: str, rules: ExpertRules) -> Candidates:
    """Every outfit of a (narrowed) closet with its logit."""
    sizes = {s: len(v) for s, v in closet.items.items()}
    keep = max(1, max(sizes["middle"] * sizes["bottom"], sizes["bottom"]))
    return score_closet(weights, closet.facts, occasion, rules, keep=keep)


def worth_buying(
    weights: RankerWeights,
    closet_items: list[Item],
    candidate: Item,
    occasions: list[str] | None = None,
    threshold: float = GOOD_OUTFIT,
    rules: ExpertRules | None = None,
) -> list[PurchaseVerdict]:
    """For each occasion, how many good outfits (score >= threshold) the candidate makes with the closet."""
    rules = rules or expert_rules()
    slot = candidate.group.value if candidate.group else None
    closet = Closet.of([*closet_items, candidate], rules)
    verdicts = []
    for occasion in occasions or list(OCCASIONS):
        occasion = check_occasion(occasion)
        if slot not in SLOTS:
            verdicts.append(PurchaseVerdict(occasion, 0, 0.0, (), (), "accessories are not part of outfits"))
            continue
        narrowed = closet.only({slot: candidate.id}, rules)
        try:
            check_closet(narrowed)
        except CannotMakeOutfitError as exc:
            verdicts.append(PurchaseVerdict(occasion, 0, 0.0, (), (), str(exc)))
            continue
        cands = _all_outfits(weights, narrowed, occasion, rules)
        scores = sigmoid(cands.logit.astype(np.float32))
        good = np.flatnonzero(scores >= threshold)
        best = cands.best(EXAMPLES)
        examples = tuple(
            _outfit(narrowed, best, i, occasion)
            for i in range(len(best))
            if float(sigmoid(best.logit[i : i + 1])[0]) >= threshold
        )
        partners: Counter[int] = Counter()
        for i in good:
            partners.update(x for x in _outfit(narrowed, cands, int(i), occasion).item_ids if x != candidate.id)
        verdicts.append(
            PurchaseVerdict(
                occasion,
                len(good),
                float(scores.max(initial=0.0)),
                examples,
                tuple(item_id for item_id, _ in partners.most_common()),
            )
        )
    return verdicts


def complete_the_look(
    weights: RankerWeights,
    closet_items: list[Item],
    products: list[Item],
    item_id: int,
    occasion: str,
    k: int = 5,
    rules: ExpertRules | None = None,
) -> list[LookCompletion]:
    """The ``k`` products that make the best outfits with the closet item ``item_id`` (one product each).

    Every other slot is tried: the product fills it and the closet the rest. When the closet
    lacks a slot altogether (no shoes, say) only products for that slot can complete the look.
    """
    rules = rules or expert_rules()
    occasion = check_occasion(occasion)
    closet = Closet.of(closet_items, rules)
    anchor_slot = closet.slot_of(item_id)
    shop = Closet.of(products, rules)
    best: dict[int, tuple[float, Outfit]] = {}
    for slot in SLOTS:
        if slot == anchor_slot or not shop.items[slot]:
            continue
        items = dict(closet.items)
        items[slot] = shop.items[slot]
        mixed = Closet(items, {s: item_facts(items[s], s, rules) for s in SLOTS}).only({anchor_slot: item_id}, rules)
        if not mixed.items[slot]:
            continue  # a dress leaves no room for a top or a bottom
        try:
            check_closet(mixed)
        except CannotMakeOutfitError:
            continue
        cands = _all_outfits(weights, mixed, occasion, rules)
        order = np.argsort(-cands.logit, kind="stable")
        positions = getattr(cands, slot)[order]
        order, positions = order[positions >= 0], positions[positions >= 0]
        _, first = np.unique(positions, return_index=True)  # each product's best outfit
        for i in order[first]:
            outfit = _outfit(mixed, cands, int(i), occasion)
            product = getattr(outfit, slot)
            if product is not None and (product not in best or best[product][0] < outfit.score):
                best[product] = (outfit.score, outfit)
    by_id = {p.id: p for p in products}
    ranked = sorted(best.items(), key=lambda pair: -pair[1][0])[:k]
    if not ranked:
        raise CannotMakeOutfitError(
            "no catalogue product completes an outfit with this item: the closet lacks more than one slot, "
            "or the catalogue has nothing for the missing one"
        )
    return [LookCompletion(by_id[pid], outfit, score) for pid, (score, outfit) in ranked]
