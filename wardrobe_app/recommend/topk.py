"""Exact top-K outfits under an additive score, by branch and bound instead of enumerating the product.

An outfit is top + bottom + shoes (+ optional layer), or dress + shoes (+ optional layer). Its score is
``const + sum of unary terms + sum of pair terms`` (``terms.Terms``). For top x bottom pairs the best
completion (layer, shoes) is bounded from above by per-top and per-bottom maxima of the pair terms
(max(x + y) <= max x + max y); pairs are expanded best bound first, exactly (layer and shoes are
independent given the top and bottom), and the search stops when no bound can reach the K-th best
score found. Dresses are scored exactly (dress x shoes is quadratic). The result is the exact top-K.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import product

import numpy as np

from wardrobe_app.recommend.terms import Terms

#: (top, layer, middle, full, shoes) positions, -1 = not worn.
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

    def __len__(self) -> int:
        return len(self.score)

    def key(self, i: int) -> Key:
        return (int(self.top[i]), int(self.layer[i]), int(self.middle[i]), int(self.full[i]), int(self.shoes[i]))

    def keys(self) -> list[Key]:
        return [self.key(i) for i in range(len(self))]


def _best(rows: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the positions and values of its r largest entries (unordered)."""
    r = min(r, rows.shape[1])
    if r < rows.shape[1]:
        pos = np.argpartition(-rows, r - 1, axis=1)[:, :r]
    else:
        pos = np.broadcast_to(np.arange(rows.shape[1]), rows.shape)
    return pos, np.take_along_axis(rows, pos, axis=1)


def _complete(
    base: np.ndarray, shoes: np.ndarray, layers: np.ndarray, r: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The r best (layer, shoes) completions of each row: rows, layer positions (-1 none), shoes, scores."""
    s_pos, s_val = _best(shoes, r)
    l_pos, l_val = _best(layers, r)
    total = base[:, None, None] + l_val[:, :, None] + s_val[:, None, :]  # (c, rl, rs)
    flat = total.reshape(len(base), -1)
    pick, score = _best(flat, r)
    rs = s_val.shape[1]
    rows = np.repeat(np.arange(len(base)), pick.shape[1])
    layer = np.take_along_axis(l_pos, pick // rs, axis=1).reshape(-1) - 1  # column 0 is "no layer"
    shoe = np.take_along_axis(s_pos, pick % rs, axis=1).reshape(-1)
    return rows, layer, shoe, score.reshape(-1)


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


def top_outfits(
    terms: Terms, k: int, excluded: AbstractSet[Key] = frozenset(), chunk: int = 256, layer_required: bool = False
) -> Found:
    """The exact k best outfits (ties broken arbitrarily), excluding ``excluded``, best first.

    ``layer_required`` leaves out outfits without a layer (when the user keeps a jacket, say)."""
    bare = -np.inf if layer_required else 0.0
    u, p = terms.unary, terms.pair
    n = {r: len(v) for r, v in u.items()}
    # completions one top x bottom pair (or dress) may need: k plus its own excluded outfits
    skip_pair = Counter((key[0], key[2]) for key in excluded if key[3] < 0)
    per_dress = k + max(Counter(key[3] for key in excluded if key[3] >= 0).values(), default=0)
    pool = _Pool(k, excluded)
    expanded = 0
    no_layer = np.zeros((1, 0))
    if n["shoes"] and n["full"]:
        shoes = u["shoes"][None, :] + p[("full", "shoes")]
        layers = (u["layer"][:, None] + p[("layer", "full")]).T if n["layer"] else np.zeros((n["full"], 0))
        layers = np.concatenate([np.full((n["full"], 1), bare), layers], axis=1)
        rows, layer, shoe, score = _complete(terms.const + u["full"], shoes, layers, per_dress)
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
            bound = tm + shoe_bound + np.maximum(bare, layer_bound)
        else:
            bound = tm + shoe_bound
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
                layers = no_layer.repeat(len(ids), 0)
            layers = np.concatenate([np.full((len(ids), 1), bare), layers], axis=1)
            need = (
                k + max((skip_pair.get((int(a), int(b)), 0) for a, b in zip(ti, mi, strict=True)), default=0)
                if skip_pair
                else k
            )
            rows, layer, shoe, score = _complete(tm[ti, mi], shoes, layers, need)
            pool.add(ti[rows], layer, mi[rows], np.full(len(rows), -1), shoe, score)
            expanded += len(ids)
            start += size
            size = min(size * 2, 8192)
    data = pool.data[np.argsort(-pool.data[:, 5], kind="stable")]
    data = data[np.isfinite(data[:, 5])]
    return _found(data, expanded)


def _found(data: np.ndarray, expanded: int = 0) -> Found:
    """Found from rows of (top, layer, middle, full, shoes, score)."""
    col = [data[:, c].astype(np.int64) for c in range(5)]
    return Found(col[0], col[1], col[2], col[3], col[4], data[:, 5], expanded)


def brute_force(terms: Terms, k: int, excluded: AbstractSet[Key] = frozenset()) -> Found:
    """Every outfit scored one by one (for tests on small closets)."""
    n = {r: len(v) for r, v in terms.unary.items()}
    rows = []
    layers = [-1, *range(n["layer"])]
    for t, m, s, lay in product(range(n["top"]), range(n["middle"]), range(n["shoes"]), layers):
        picks = {"top": t, "middle": m, "shoes": s} | ({"layer": lay} if lay >= 0 else {})
        rows.append((t, lay, m, -1, s, terms.outfit(picks)))
    for f, s, lay in product(range(n["full"]), range(n["shoes"]), layers):
        picks = {"full": f, "shoes": s} | ({"layer": lay} if lay >= 0 else {})
        rows.append((-1, lay, -1, f, s, terms.outfit(picks)))
    rows = [r for r in rows if r[:5] not in excluded]
    rows.sort(key=lambda r: -r[5])
    data = np.array(rows[:k], dtype=np.float64).reshape(-1, 6)
    return _found(data)
