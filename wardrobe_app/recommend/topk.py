"""Exact top-K outfits under an additive score, by branch and bound instead of enumerating the product.

An outfit is top + bottom + shoes (+ optional layer), or dress + shoes (+ optional layer), plus an optional
accessory. Its score is ``const + sum of unary terms + sum of pair terms`` (``terms.Terms``).

- The accessory is judged with the top (or dress) and the layer only, so its best choice is a function of
  (top, layer): it is folded exactly into the top's unary term (no layer) and the layer x top pair term.
- For top x bottom pairs the best completion (layer, shoes) is bounded from above by per-top and
  per-bottom maxima of the pair terms (max(x + y) <= max x + max y) plus the largest layer x shoes term;
  pairs are expanded best bound first, and the search stops when no bound reaches the K-th best score.
- Within a pair, layer and shoes interact (their colours), so each pair's shoes are first bounded
  (the best layer for the pair plus each shoe's best layer x shoes term) against a concrete completion
  (the pair's best layer with that shoe); only shoes whose bound reaches the pair's own K-th concrete
  score (and the pool's) are scored against every layer. Dresses go through the same completion.

Every pruning step drops only outfits with at least K better ones, so the result is the exact top-K.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import product

import numpy as np

from wardrobe_app.recommend.terms import Terms

#: (top, layer, middle, full, shoes) positions, -1 = not worn (the accessory rides along: ``Found.accessory``).
Key = tuple[int, int, int, int, int]
FIELDS = ("top", "layer", "middle", "full", "shoes")


@dataclass(frozen=True)
class Found:
    """Outfits as positions per role (-1 = not worn) and their scores, best first."""

    top: np.ndarray
    layer: np.ndarray
    middle: np.ndarray
    full: np.ndarray
    shoes: np.ndarray
    score: np.ndarray
    expanded: int = 0  # top x bottom pairs evaluated exactly (for the benchmark)
    accessory: np.ndarray | None = None  # the best accessory of each outfit, -1 = none

    def __len__(self) -> int:
        return len(self.score)

    def key(self, i: int) -> Key:
        return (int(self.top[i]), int(self.layer[i]), int(self.middle[i]), int(self.full[i]), int(self.shoes[i]))

    def keys(self) -> list[Key]:
        return [self.key(i) for i in range(len(self))]

    def accessory_of(self, i: int) -> int:
        return -1 if self.accessory is None else int(self.accessory[i])


def _complete(
    base: np.ndarray,
    shoes: np.ndarray,
    layers: np.ndarray,
    ls: np.ndarray,
    r: int,
    floor: float,
    k_total: int,
    block: int = 2048,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The (layer, shoes) completions of each row that can be among its r best and reach ``floor``.

    ``shoes`` (c, n_s) and ``layers`` (c, 1 + n_l; column 0 is "no layer") are per-row terms, ``ls``
    (1 + n_l, n_s; row 0 zeros) the layer x shoes term. Real outfits (each row's best layer with each shoe)
    give lower bounds: a row's r-th best of them, and the ``k_total``-th best of them all (k plus every
    excluded outfit, so k of them are allowed), raise the floor. Returns rows, layers (-1 none), shoes, scores.
    """
    c, n_s = shoes.shape
    empty = np.zeros(0, dtype=np.int64)
    if c == 0 or n_s == 0:
        return empty, empty, empty, np.zeros(0)
    best_layer = layers.argmax(1)
    layer_max = layers[np.arange(c), best_layer]
    concrete = base[:, None] + shoes + layer_max[:, None] + ls[best_layer]  # real outfits: lower bounds
    bound = base[:, None] + shoes + layer_max[:, None] + ls.max(0)[None, :]
    own = np.full(c, -np.inf) if n_s < r else -np.partition(-concrete, r - 1, axis=1)[:, r - 1]
    flat = concrete[np.isfinite(concrete)]
    if len(flat) >= k_total:
        floor = max(floor, float(-np.partition(-flat, k_total - 1)[k_total - 1]))
    threshold = np.maximum(own, floor)
    bi, si = np.nonzero(np.isfinite(bound) & (bound >= threshold[:, None]))
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, len(bi), block):
        b, s = bi[start : start + block], si[start : start + block]
        scores = (base[b] + shoes[b, s])[:, None] + layers[b] + ls[:, s].T  # (m, 1 + n_l)
        entry, layer = np.nonzero(scores >= threshold[b][:, None])
        out.append((b[entry], layer - 1, s[entry], scores[entry, layer]))
    if not out:
        return empty, empty, empty, np.zeros(0)
    return tuple(np.concatenate(parts) for parts in zip(*out, strict=True))  # type: ignore[return-value]


def _code(cols: np.ndarray) -> np.ndarray:
    """One int64 per outfit key (positions + 1 in base 2**12 digits; closets stay far below 4,095 per role)."""
    code = np.zeros(len(cols), dtype=np.int64)
    for c in range(5):
        code = code * 4096 + (cols[:, c].astype(np.int64) + 1)
    return code


class _Pool:
    """The best ``k`` outfits seen so far, skipping excluded ones."""

    def __init__(self, k: int, excluded: AbstractSet[Key]) -> None:
        self.k = k
        self.excluded = _code(np.array(sorted(excluded), dtype=np.int64).reshape(-1, 5))
        self.data = np.zeros((0, 6))

    def add(
        self,
        top: np.ndarray,
        layer: np.ndarray,
        middle: np.ndarray,
        full: np.ndarray,
        shoes: np.ndarray,
        score: np.ndarray,
    ) -> None:
        block = np.stack([top, layer, middle, full, shoes, score], axis=1).astype(np.float64)
        if len(self.excluded):
            block = block[~np.isin(_code(block[:, :5]), self.excluded)]
        data = np.concatenate([self.data, block])
        if len(data) > self.k:
            data = data[np.argpartition(-data[:, 5], self.k - 1)[: self.k]]
        self.data = data

    def threshold(self) -> float:
        return float(self.data[:, 5].min()) if len(self.data) >= self.k else -np.inf


def _accessory_values(terms: Terms, upper: str) -> np.ndarray:
    """(1 + n_layer, n_upper): each accessory's term with each upper piece, under no layer (row 0) or a layer."""
    u, p = terms.unary, terms.pair
    n_a, n_l = len(u["accessory"]), len(u["layer"])
    own = u["accessory"][None, :] + p[(upper, "accessory")]  # (n_upper, n_a)
    with_layer = np.concatenate([np.zeros((1, n_a)), p[("layer", "accessory")]]) if n_a else np.zeros((1 + n_l, 0))
    return own[None, :, :] + with_layer[:, None, :]  # (1 + n_l, n_upper, n_a)


def fold_accessory(terms: Terms) -> Terms:
    """The same scores with the best accessory (or none) chosen: it depends on (top or dress, layer) only."""
    if "accessory" not in terms.unary or not len(terms.unary["accessory"]):
        return terms
    unary, pair = dict(terms.unary), dict(terms.pair)
    for upper in ("top", "full"):
        best = np.maximum(0.0, _accessory_values(terms, upper).max(2, initial=-np.inf))  # (1 + n_l, n_upper)
        unary[upper] = unary[upper] + best[0]
        pair[("layer", upper)] = pair[("layer", upper)] + best[1:] - best[0][None, :]
    return Terms(terms.const, unary, pair)


def best_accessories(terms: Terms, top: np.ndarray, full: np.ndarray, layer: np.ndarray) -> np.ndarray:
    """The best accessory position (-1: none adds anything) of each outfit given by its positions."""
    if "accessory" not in terms.unary or not len(terms.unary["accessory"]):
        return np.full(len(top), -1, dtype=np.int64)
    out = np.full(len(top), -1, dtype=np.int64)
    for upper, where in (("top", top), ("full", full)):
        rows = np.nonzero(where >= 0)[0]
        if not len(rows):
            continue
        values = _accessory_values(terms, upper)[layer[rows] + 1, where[rows]]  # (m, n_a)
        pick = values.argmax(1)
        out[rows] = np.where(values[np.arange(len(rows)), pick] > 0, pick, -1)
    return out


def top_outfits(
    terms: Terms, k: int, excluded: AbstractSet[Key] = frozenset(), chunk: int = 256, layer_required: bool = False
) -> Found:
    """The exact k best outfits (ties broken arbitrarily), excluding ``excluded``, best first, each with its
    best accessory (an excluded outfit is excluded whatever it is worn with).

    ``layer_required`` leaves out outfits without a layer (when the user keeps a jacket, say)."""
    raw = terms
    terms = fold_accessory(terms)
    bare = -np.inf if layer_required else 0.0
    u, p = terms.unary, terms.pair
    n = {r: len(v) for r, v in u.items()}
    ls = np.concatenate([np.zeros((1, n["shoes"])), p[("layer", "shoes")]])  # row 0: no layer
    ls_max = float(ls.max()) if ls.size else 0.0
    # completions one top x bottom pair (or dress) may need: k plus its own excluded outfits
    skip_pair = Counter((key[0], key[2]) for key in excluded if key[3] < 0)
    per_dress = k + max(Counter(key[3] for key in excluded if key[3] >= 0).values(), default=0)
    pool = _Pool(k, excluded)
    k_total = k + len(excluded)
    expanded = 0
    if n["shoes"] and n["full"]:
        shoes = u["shoes"][None, :] + p[("full", "shoes")]
        layers = (u["layer"][:, None] + p[("layer", "full")]).T if n["layer"] else np.zeros((n["full"], 0))
        layers = np.concatenate([np.full((n["full"], 1), bare), layers], axis=1)
        rows, layer, shoe, score = _complete(terms.const + u["full"], shoes, layers, ls, per_dress, -np.inf, k_total)
        none = np.full(len(rows), -1)
        pool.add(none, layer, none, rows, shoe, score)
    if n["shoes"] and n["top"] and n["middle"]:
        ts, ms = p[("top", "shoes")], p[("middle", "shoes")]
        tm = terms.const + u["top"][:, None] + u["middle"][None, :] + p[("top", "middle")]
        shoe_bound = np.minimum(
            (u["shoes"][None, :] + ts).max(1)[:, None] + ms.max(1)[None, :],
            ts.max(1)[:, None] + (u["shoes"][None, :] + ms).max(1)[None, :],
        )
        if n["layer"]:
            lt, lm = p[("layer", "top")], p[("layer", "middle")]
            layer_bound = np.minimum(
                (u["layer"][:, None] + lt).max(0)[:, None] + lm.max(0)[None, :],
                lt.max(0)[:, None] + (u["layer"][:, None] + lm).max(0)[None, :],
            )
            bound = tm + shoe_bound + np.maximum(bare, layer_bound) + ls_max
        else:
            bound = tm + shoe_bound + bare
        flat = bound.reshape(-1)
        order = np.argsort(-flat, kind="stable")
        start, size = 0, chunk
        while start < len(order) and np.isfinite(flat[order[start]]) and flat[order[start]] >= pool.threshold():
            ids = order[start : start + size]
            ids = ids[np.isfinite(flat[ids]) & (flat[ids] >= pool.threshold())]
            ti, mi = ids // n["middle"], ids % n["middle"]
            shoes = u["shoes"][None, :] + ts[ti] + ms[mi]
            if n["layer"]:
                layers = (u["layer"][:, None] + p[("layer", "top")][:, ti] + p[("layer", "middle")][:, mi]).T
            else:
                layers = np.zeros((len(ids), 0))
            layers = np.concatenate([np.full((len(ids), 1), bare), layers], axis=1)
            need = (
                k + max((skip_pair.get((int(a), int(b)), 0) for a, b in zip(ti, mi, strict=True)), default=0)
                if skip_pair
                else k
            )
            rows, layer, shoe, score = _complete(tm[ti, mi], shoes, layers, ls, need, pool.threshold(), k_total)
            pool.add(ti[rows], layer, mi[rows], np.full(len(rows), -1), shoe, score)
            expanded += len(ids)
            start += size
            size = min(size * 2, 8192)
    data = pool.data[np.argsort(-pool.data[:, 5], kind="stable")]
    data = data[np.isfinite(data[:, 5])]
    found = _found(data, expanded)
    accessory = best_accessories(raw, found.top, found.full, found.layer)
    return Found(found.top, found.layer, found.middle, found.full, found.shoes, found.score, expanded, accessory)


def _found(data: np.ndarray, expanded: int = 0, accessory: np.ndarray | None = None) -> Found:
    """Found from rows of (top, layer, middle, full, shoes, score)."""
    col = [data[:, c].astype(np.int64) for c in range(5)]
    return Found(col[0], col[1], col[2], col[3], col[4], data[:, 5], expanded, accessory)


def brute_force(terms: Terms, k: int, excluded: AbstractSet[Key] = frozenset()) -> Found:
    """Every outfit, with every accessory or none, scored one by one (for tests on small closets); each set of
    garments counts once, with its best accessory."""
    n = {r: len(v) for r, v in terms.unary.items()}
    best: dict[Key, tuple[float, int]] = {}
    layers = [-1, *range(n["layer"])]
    accessories = [-1, *range(n.get("accessory", 0))]
    shapes = [
        (t, lay, m, -1, s) for t, m, s, lay in product(range(n["top"]), range(n["middle"]), range(n["shoes"]), layers)
    ]
    shapes += [(-1, lay, -1, f, s) for f, s, lay in product(range(n["full"]), range(n["shoes"]), layers)]
    for key in shapes:
        if key in excluded:
            continue
        for a in accessories:
            picks = {r: i for r, i in zip(FIELDS, key, strict=True) if i >= 0} | ({"accessory": a} if a >= 0 else {})
            score = terms.outfit(picks)
            if key not in best or score > best[key][0]:
                best[key] = (score, a)
    rows = sorted(((*key, s, a) for key, (s, a) in best.items()), key=lambda r: -r[5])[:k]
    data = np.array([r[:6] for r in rows], dtype=np.float64).reshape(-1, 6)
    return _found(data, accessory=np.array([r[6] for r in rows], dtype=np.int64))
