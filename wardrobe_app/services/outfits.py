"""Outfit suggestions, feedback and the personal ranker over the closet database and the data dir."""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.tables import FeedbackRow, OutfitRow, RankerVersionRow
from wardrobe_app.domain import (
    CannotMakeOutfitError,
    Change,
    Item,
    ItemNotFoundError,
    ModelIntegrityError,
    Outfit,
    WardrobeError,
)
from wardrobe_app.recommend.features import SLOTS, item_facts, outfit_rows
from wardrobe_app.recommend.finetune import finetune
from wardrobe_app.recommend.ranker_file import RankerWeights, load_ranker, save_ranker, shipped_ranker_dir
from wardrobe_app.recommend.rules import OCCASIONS, check_occasion, expert_rules
from wardrobe_app.recommend.suggest import Closet, OutfitKey, suggest_outfits

log = logging.getLogger(__name__)

ItemsSource = Callable[[bool], list[Item]]  # include_archived -> closet items

#: Retrain after this many new ratings (likes, dislikes, "wore it").
RETRAIN_EVERY = 5
#: Expert-labelled outfits rehearsed per retrain, and their total weight relative to the user's ratings.
REHEARSAL_ROWS = 1500
REHEARSAL_WEIGHT = 0.5
FINETUNE_STEPS = 250


@cache
def expert_ranker() -> RankerWeights:
    """The shipped expert ranker (verified against its manifest), loaded once per process."""
    return load_ranker(shipped_ranker_dir())


@cache
def rehearsal_set() -> tuple[np.ndarray, np.ndarray]:
    with np.load(shipped_ranker_dir() / "rehearsal.npz", allow_pickle=False) as data:
        return np.asarray(data["rows"]), np.asarray(data["labels"])


def outfit_key(outfit: Outfit) -> str:
    """The outfits table's unique key: "top|middle|bottom|full" ids, empty for a missing slot."""
    return "|".join("" if i is None else str(i) for i in (outfit.top, outfit.middle, outfit.bottom, outfit.full))


def retrain_due(new_ratings: int, every: int = RETRAIN_EVERY) -> bool:
    """The retrain policy: retrain once ``every`` ratings arrived since the active ranker was trained."""
    return new_ratings >= every


class OutfitService:
    """Suggest, rate and learn; each unit of work opens its own Session."""

    def __init__(self, sessions: sessionmaker[Session], data_dir: Path, items: ItemsSource,
                 retrain_every: int = RETRAIN_EVERY) -> None:
        self.sessions = sessions
        self.data_dir = data_dir
        self.items = items
        self.retrain_every = retrain_every

    # -- ranking ---------------------------------------------------------------------------------
    def occasions(self) -> list[str]:
        return list(OCCASIONS)

    def _active(self, session: Session) -> RankerVersionRow | None:
        return session.scalars(select(RankerVersionRow).where(RankerVersionRow.active.is_(True))
                               .order_by(RankerVersionRow.version.desc())).first()

    def ranker(self) -> RankerWeights:
        """The active personal ranker, or the expert one when there is none, after a reset, or if it is damaged."""
        with self.sessions() as session:
            row = self._active(session)
            path = None if row is None else self.data_dir / row.path
        if path is None:
            return expert_ranker()
        try:
            return load_ranker(path)
        except ModelIntegrityError as exc:  # e.g. a restored closet without its ranker folder
            log.warning("personal ranker unusable, using the expert one: %s", exc)
            return expert_ranker()

    def outfit_from_ids(self, ids: Sequence[int]) -> Outfit:
        """Place item ids into outfit slots by their group; CannotMakeOutfitError if they do not make one."""
        closet = {i.id: i for i in self.items(True)}
        slots: dict[str, int] = {}
        for item_id in ids:
            item = closet.get(item_id)
            if item is None:
                raise ItemNotFoundError(item_id)
            slot = item.group.value if item.group else "unclassified"
            if slot not in SLOTS or slot in slots:
                raise CannotMakeOutfitError(f"item {item_id} ({item.category or 'unclassified'}) cannot go in "
                                            f"this outfit: {'its slot is taken' if slot in slots else 'no slot'}")
            slots[slot] = item_id
        outfit = Outfit(top=slots.get("top"), middle=slots.get("middle"), bottom=slots.get("bottom"),
                        full=slots.get("full"))
        self._check_shape(outfit)
        return outfit

    @staticmethod
    def _check_shape(outfit: Outfit) -> None:
        if outfit.bottom is None or not (outfit.full is not None or (outfit.top and outfit.middle)) or (
                outfit.full is not None and (outfit.top or outfit.middle)):
            raise CannotMakeOutfitError("an outfit is a top, a bottom and shoes, or a dress and shoes")

    def disliked(self, occasion: str) -> set[OutfitKey]:
        """Outfits whose latest rating for ``occasion`` is a dislike."""
        latest = (select(FeedbackRow.outfit_id, func.max(FeedbackRow.id).label("last"))
                  .where(FeedbackRow.occasion == occasion).group_by(FeedbackRow.outfit_id).subquery())
        query = (select(OutfitRow).join(latest, latest.c.outfit_id == OutfitRow.id)
                 .join(FeedbackRow, FeedbackRow.id == latest.c.last).where(FeedbackRow.rating < 0.5))
        with self.sessions() as session:
            return {(r.top_id, r.middle_id, r.full_id, r.bottom_id) for r in session.scalars(query)}

    def suggest(self, occasion: str, k: int = 5, with_item: int | None = None,
                locked: Mapping[str, int] | None = None) -> list[Outfit]:
        occasion = check_occasion(occasion)
        closet = Closet.of(self.items(False), expert_rules())
        ranker = self.ranker()
        return suggest_outfits(ranker, closet, occasion, k, with_item, locked, self.disliked(occasion),
                               personal=ranker is not expert_ranker())

    # -- feedback --------------------------------------------------------------------------------
    def rate(self, outfit: Outfit, occasion: str, source: str) -> Change:
        """Record a "like", "dislike" or "wore" in the ranking table; retrain when the policy says so."""
        occasion = check_occasion(occasion)
        self._check_shape(outfit)
        rating = 0.0 if source == "dislike" else 1.0
        known = {i.id for i in self.items(True)}
        for item_id in outfit.item_ids:
            if item_id not in known:
                raise ItemNotFoundError(item_id)
        now = datetime.now()
        with self.sessions.begin() as session:
            key = outfit_key(outfit)
            row = session.scalars(select(OutfitRow).where(OutfitRow.key == key)).first()
            if row is None:
                row = OutfitRow(key=key, top_id=outfit.top, middle_id=outfit.middle, bottom_id=outfit.bottom,
                                full_id=outfit.full, created_at=now)
                session.add(row)
                session.flush()
            feedback = FeedbackRow(outfit_id=row.id, occasion=occasion, rating=rating, source=source, created_at=now)
            session.add(feedback)
            session.flush()
            notes = [f"feedback {feedback.id}"]
        if retrain_due(self.new_ratings(), self.retrain_every):
            stats = self.retrain()
            notes.append(f"ranker v{stats['version']}")
        return Change(notes=tuple(notes))

    def new_ratings(self) -> int:
        """Ratings recorded since the active ranker was trained (all of them under the expert)."""
        with self.sessions() as session:
            row = self._active(session)
            last = 0 if row is None else row.last_feedback_id
            return int(session.scalar(select(func.count(FeedbackRow.id)).where(FeedbackRow.id > last)) or 0)

    def ranker_state(self) -> dict[str, Any]:
        """Ratings so far and the ranker in use, as labelled facts for a person to read."""
        with self.sessions() as session:
            counts = dict(session.execute(select(FeedbackRow.source, func.count(FeedbackRow.id))
                                          .group_by(FeedbackRow.source)).tuples().all())
            active = self._active(session)
            state: dict[str, Any] = {
                "ratings so far": sum(counts.values()),
                "likes / dislikes / worn": f"{counts.get('like', 0)} / {counts.get('dislike', 0)} / "
                                           f"{counts.get('wore', 0)}",
            }
            if active is None:
                state["ranker in use"] = "expert rules (no personal ranker yet)"
                state["last retrain"] = "never"
            else:
                state["ranker in use"] = f"personal v{active.version} (trained on {active.n_ratings} ratings)"
                state["last retrain"] = active.trained_at.strftime("%Y-%m-%d %H:%M")
        state["ratings since the last retrain"] = f"{self.new_ratings()} (retrains every {self.retrain_every})"
        return state

    # -- learning --------------------------------------------------------------------------------
    def training_rows(self) -> tuple[np.ndarray, np.ndarray, int]:
        """Feature rows and ratings of every rated outfit; and the last feedback id used."""
        with self.sessions() as session:
            rated = session.execute(select(FeedbackRow.id, FeedbackRow.occasion, FeedbackRow.rating, OutfitRow.top_id,
                                           OutfitRow.middle_id, OutfitRow.full_id, OutfitRow.bottom_id)
                                    .join(OutfitRow, OutfitRow.id == FeedbackRow.outfit_id)
                                    .order_by(FeedbackRow.id)).all()
        if not rated:
            return np.zeros((0, 0), np.float32), np.zeros(0, np.float32), 0
        rules = expert_rules()
        slots: dict[str, list[Item]] = {s: [] for s in SLOTS}
        for item in self.items(True):  # archived items too: old ratings still teach
            if item.group is not None and item.group.value in slots:
                slots[item.group.value].append(item)
        facts = {s: item_facts(slots[s], s, rules) for s in SLOTS}
        where = {s: {item.id: p for p, item in enumerate(slots[s])} for s in SLOTS}
        rows, labels = [], []
        for occasion in sorted({r.occasion for r in rated}):
            mine = [r for r in rated if r.occasion == occasion]
            index = {s: np.array([where[s].get(getattr(r, f"{s}_id"), -1) if getattr(r, f"{s}_id") is not None
                                  else -1 for r in mine], dtype=np.int64) for s in SLOTS}
            rows.append(outfit_rows(facts, index, occasion, rules))
            labels.append(np.array([r.rating for r in mine], dtype=np.float32))
        return np.concatenate(rows), np.concatenate(labels), int(rated[-1].id)

    def retrain(self, reset: bool = False, seed: int = 0) -> dict[str, Any]:
        """Fine-tune from the expert weights on all ratings plus rehearsed expert samples (numpy, no Keras).

        ``reset`` drops back to the expert ranker (personal versions stay on disk, inactive).
        """
        start = time.perf_counter()
        if reset:
            with self.sessions.begin() as session:
                session.execute(update(RankerVersionRow).values(active=False))
            return {"version": 0, "ranker": "expert", "n_ratings": 0, "seconds": round(time.perf_counter() - start, 3)}
        rows, labels, last_id = self.training_rows()
        if not len(labels):
            raise WardrobeError("nothing to learn from yet: like, dislike or wear some outfits first")
        rng = np.random.default_rng(seed)
        r_rows, r_labels = rehearsal_set()
        pick = rng.choice(len(r_labels), size=min(REHEARSAL_ROWS, len(r_labels)), replace=False)
        all_rows = np.concatenate([rows, r_rows[pick]])
        all_labels = np.concatenate([labels, r_labels[pick]])
        weight = np.concatenate([np.ones(len(labels), np.float32),
                                 np.full(len(pick), REHEARSAL_WEIGHT * len(labels) / len(pick), np.float32)])
        own = np.arange(len(all_labels)) < len(labels)
        tuned, stats = finetune(expert_ranker(), all_rows, all_labels, weight, steps=FINETUNE_STEPS, own=own)
        with self.sessions.begin() as session:
            version = int(session.scalar(select(func.max(RankerVersionRow.version))) or 0) + 1
            relative = f"ranker/v{version}"
            folder = self.data_dir / relative
            if folder.exists():
                shutil.rmtree(folder)
            save_ranker(tuned, folder, kind="personal", version=version, n_ratings=len(labels))
            result = {"version": version, "ranker": "personal", "n_ratings": len(labels),
                      "rehearsed": len(pick), "steps": stats.steps, "loss_before": round(stats.loss_before, 4),
                      "loss_after": round(stats.loss_after, 4), "accuracy": round(stats.accuracy, 4),
                      "seconds": round(time.perf_counter() - start, 3)}
            session.execute(update(RankerVersionRow).values(active=False))
            session.add(RankerVersionRow(version=version, path=relative, trained_at=datetime.now(),
                                         n_ratings=len(labels), last_feedback_id=last_id, active=True,
                                         metrics_json=json.dumps(result)))
        return result
