"""Score every outfit of a closet at once: the first layer decomposes into per-item and per-pair terms."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from wardrobe_app.recommend.features import LAYOUT, OCCASIONS, ItemFacts, pair_block, slot_block
from wardrobe_app.recommend.ranker_file import RankerWeights
from wardrobe_app.recommend.rules import ExpertRules

#: Outfits scored per chunk (keeps the hidden activations in cache).
CHUNK_OUTFITS = 16384


@dataclass(frozen=True)
class Candidates:
    """Outfits as item positions per slot (-1 = empty slot) and their logits."""

    top: np.ndarray
    middle: np.ndarray
    full: np.ndarray
    bottom: np.ndarray
    logit: np.ndarray

    def __len__(self) -> int:
        return len(self.logit)

    def best(self, k: int) -> Candidates:
        """The k best, best first."""
        order = np.argsort(-self.logit, kind="stable")[:k]
        return Candidates(self.top[order], self.middle[order], self.full[order], self.bottom[order], self.logit[order])


def _rows(weights: RankerWeights, block: str) -> np.ndarray:
    start, stop = LAYOUT[block]
    return weights.arrays[0][start:stop]


def _empty() -> Candidates:
    z = np.zeros(0, dtype=np.int64)
    return Candidates(z, z, z, z, np.zeros(0, dtype=np.float32))


def _head(weights: RankerWeights, pre: np.ndarray) -> np.ndarray:
    """Layers 2 and 3 on first-layer pre-activations (..., H) -> logits (...)."""
    _, _, w2, b2, w3, b3 = weights.arrays
    np.maximum(pre, 0.0, out=pre)
    h = pre.reshape(-1, pre.shape[-1]) @ w2
    h += b2
    np.maximum(h, 0.0, out=h)
    return (h @ w3[:, 0] + b3[0]).reshape(pre.shape[:-1])


def _keep_best(logits: np.ndarray, keep: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a (groups, n) logit matrix, the positions and logits of its ``keep`` best."""
    keep = min(keep, logits.shape[1])
    if keep < logits.shape[1]:
        part = np.argpartition(-logits, keep - 1, axis=1)[:, :keep]
    else:
        part = np.broadcast_to(np.arange(logits.shape[1]), logits.shape)
    return part, np.take_along_axis(logits, part, axis=1)


def score_closet(
    weights: RankerWeights,
    facts: dict[str, ItemFacts],
    occasion: str,
    rules: ExpertRules,
    keep: int = 5,
    excluded: set[tuple[int, int, int, int]] | None = None,
) -> Candidates:
    """The ``keep`` best outfits for every top and every dress (exact), as candidates.

    ``excluded`` holds outfits (positions top, middle, full, bottom; -1 empty) never to return.
    The global top-k (k <= keep) is exactly the best k of the result. BLAS runs on one thread:
    the matrices are small, and threads fight over a busy machine.
    """
    with threadpool_limits(1, user_api="blas"):
        return _score_closet(weights, facts, occasion, rules, keep, excluded)


def _score_closet(
    weights: RankerWeights,
    facts: dict[str, ItemFacts],
    occasion: str,
    rules: ExpertRules,
    keep: int = 5,
    excluded: set[tuple[int, int, int, int]] | None = None,
) -> Candidates:
    w1, b1 = weights.arrays[0], weights.arrays[1]
    bias = b1 + w1[LAYOUT["occasion"][0] + OCCASIONS.index(occasion)]
    term = {s: slot_block(f, occasion, rules) @ _rows(weights, s) for s, f in facts.items()}
    excluded = excluded or set()
    found = [_empty()]
    tops, middles, fulls, bottoms = (facts[s] for s in ("top", "middle", "full", "bottom"))
    nt, nm, nf, nb = len(tops), len(middles), len(fulls), len(bottoms)
    if nb and nt and nm:
        tm = pair_block(tops, middles, rules) @ _rows(weights, "top-middle")  # (nt, nm, H)
        tb = pair_block(tops, bottoms, rules) @ _rows(weights, "top-bottom")  # (nt, nb, H)
        mb = pair_block(middles, bottoms, rules) @ _rows(weights, "middle-bottom")  # (nm, nb, H)
        mb += term["bottom"][None, :, :]
        tm += (term["top"] + bias)[:, None, :] + term["middle"][None, :, :]
        step = max(1, CHUNK_OUTFITS // (nm * nb))
        for start in range(0, nt, step):
            stop = min(nt, start + step)
            pre = tm[start:stop, :, None, :] + mb[None, :, :, :]
            pre += tb[start:stop, None, :, :]
            logits = _head(weights, pre).reshape(stop - start, nm * nb)
            for t, m, f, b in excluded:
                if f < 0 and start <= t < stop:
                    logits[t - start, m * nb + b] = -np.inf
            pos, best = _keep_best(logits, keep)
            t_idx = np.repeat(np.arange(start, stop), pos.shape[1])
            found.append(
                Candidates(
                    t_idx, pos.reshape(-1) // nb, np.full(t_idx.shape, -1), pos.reshape(-1) % nb, best.reshape(-1)
                )
            )
    if nb and nf:
        pre = pair_block(fulls, bottoms, rules) @ _rows(weights, "full-bottom")
        pre += (term["full"] + bias)[:, None, :] + term["bottom"][None, :, :]
        logits = _head(weights, pre)
        for _t, _m, f, b in excluded:
            if f >= 0:
                logits[f, b] = -np.inf
        pos, best = _keep_best(logits, keep)
        f_idx = np.repeat(np.arange(nf), pos.shape[1])
        none = np.full(f_idx.shape, -1)
        found.append(Candidates(none, none, f_idx, pos.reshape(-1), best.reshape(-1)))
    merged = Candidates(
        *(np.concatenate([getattr(c, name) for c in found]) for name in ("top", "middle", "full", "bottom", "logit"))
    )
    finite = np.isfinite(merged.logit)
    return Candidates(
        merged.top[finite], merged.middle[finite], merged.full[finite], merged.bottom[finite], merged.logit[finite]
    )
