"""Outfit suggestions, feedback and the person's taste over the closet database and the data dir."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.tables import FeedbackRow, OutfitRow, RankerVersionRow
from wardrobe_app.domain import (
    CannotMakeOutfitError,
    Change,
    Item,
    ItemNotFoundError,
    Outfit,
    Suggestions,
    WardrobeError,
    category_name,
)
from wardrobe_app.domain.results import RankerState, RetrainResult
from wardrobe_app.recommend.context import Context, parse_hemisphere, parse_weather, season_of
from wardrobe_app.recommend.engine import IdKey, build_board, id_key
from wardrobe_app.recommend.personal import SHARE_COLOURS, Rating, Taste, fit_taste, outfit_features
from wardrobe_app.recommend.pieces import facts_of, role_of
from wardrobe_app.recommend.ranker_file import RankerWeights, load_ranker, shipped_ranker_dir
from wardrobe_app.recommend.recalibrate import recalibrated
from wardrobe_app.recommend.rules import OCCASIONS, check_occasion, expert_rules
from wardrobe_app.recommend.terms import expert_terms
from wardrobe_app.services import ranker_versions
from wardrobe_app.services.outfit_settings import REST_RATINGS, read_settings, write_settings

log = logging.getLogger(__name__)

ItemsSource = Callable[[bool], list[Item]]  # include_archived -> closet items

#: Record a snapshot of the learnt taste (a ranker version) after this many new ratings.
RETRAIN_EVERY = 5
ROLE_FIELDS = ("top", "layer", "middle", "full", "shoes", "accessory")


@cache
def expert_ranker() -> RankerWeights:
    """The shipped expert network (v1) that the shopping features score catalogue products with."""
    return load_ranker(shipped_ranker_dir())


def outfit_key(outfit: Outfit) -> str:
    """The outfits table's unique key: "top|middle|bottom|full|layer|accessory" ids, empty when not worn."""
    ids = (outfit.top, outfit.middle, outfit.bottom, outfit.full, outfit.layer, outfit.accessory)
    return "|".join("" if i is None else str(i) for i in ids)


def outfit_of_row(row: OutfitRow) -> Outfit:
    """The outfit a stored row holds (layer and accessory live in the key; old 4-part keys have none)."""
    parts = [*row.key.split("|"), "", ""]
    layer, accessory = (int(p) if p.isdigit() else None for p in parts[4:6])
    return Outfit(
        top=row.top_id, middle=row.middle_id, bottom=row.bottom_id, full=row.full_id, layer=layer, accessory=accessory
    )


def retrain_due(new_ratings: int, every: int = RETRAIN_EVERY) -> bool:
    """The snapshot policy: record a version once ``every`` ratings arrived since the last one."""
    return new_ratings >= every


class OutfitService:
    """Suggest, rate and learn; each unit of work opens its own Session."""

    def __init__(
        self, sessions: sessionmaker[Session], data_dir: Path, items: ItemsSource, retrain_every: int = RETRAIN_EVERY
    ) -> None:
        self.sessions = sessions
        self.data_dir = data_dir
        self.items = items
        self.retrain_every = retrain_every
        self.settings = read_settings(data_dir)

    # -- ranking ---------------------------------------------------------------------------------
    def occasions(self) -> list[str]:
        return list(OCCASIONS)

    def ranker(self) -> RankerWeights:
        """The expert network the shopping features use (personal taste lives in ``taste()``)."""
        return expert_ranker()

    def outfit_from_ids(self, ids: Sequence[int]) -> Outfit:
        """Place item ids into outfit roles; CannotMakeOutfitError if they do not make one."""
        closet = {i.id: i for i in self.items(True)}
        roles: dict[str, int] = {}
        for item_id in ids:
            item = closet.get(item_id)
            if item is None:
                raise ItemNotFoundError(item_id)
            role = role_of(replace(item, archived=False))
            if role is None or role in roles:
                raise CannotMakeOutfitError(
                    f"item {item_id} ({category_name(item.category, 'unclassified')}) cannot go in "
                    f"this outfit: {'its slot is taken' if role in roles else 'no slot'}"
                )
            roles[role] = item_id
        outfit = Outfit(
            top=roles.get("top"),
            middle=roles.get("middle"),
            bottom=roles.get("shoes"),
            full=roles.get("full"),
            layer=roles.get("layer"),
            accessory=roles.get("accessory"),
        )
        self._check_shape(outfit)
        return outfit

    @staticmethod
    def _check_shape(outfit: Outfit) -> None:
        if (
            outfit.bottom is None
            or not (outfit.full is not None or (outfit.top and outfit.middle))
            or (outfit.full is not None and (outfit.top or outfit.middle))
        ):
            raise CannotMakeOutfitError(
                "an outfit is a top (optionally under a jacket, coat, ...), a bottom and shoes, or a dress and shoes"
            )

    def _latest(self) -> list[tuple[int, str, float, str, Outfit]]:
        """(feedback id, occasion, rating, source, outfit) of every rating, oldest first."""
        with self.sessions() as session:
            rows = session.execute(
                select(FeedbackRow, OutfitRow)
                .join(OutfitRow, OutfitRow.id == FeedbackRow.outfit_id)
                .order_by(FeedbackRow.id)
            ).all()
            return [(f.id, f.occasion, f.rating, f.source, outfit_of_row(o)) for f, o in rows]

    def excluded(self, occasion: str) -> set[IdKey]:
        """Outfits not to show for ``occasion``: disliked there (for good); liked there or worn anywhere
        within the last ``rest_ratings`` ratings (resting, so a board is not the same five every time)."""
        ratings = self._latest()
        rest = int(self.settings.get("rest_ratings", REST_RATINGS))
        out: set[IdKey] = set()
        for n, (_id, occ, rating, source, outfit) in enumerate(ratings):
            recent = len(ratings) - n <= rest
            if (occ == occasion and (rating < 0.5 or recent)) or (source == "wore" and recent):
                out.add(id_key(outfit))
        return out

    def rated(self, occasion: str) -> set[IdKey]:
        """Outfits rated for ``occasion`` (the exploration card draws none of them: its rating would replace theirs)."""
        return {id_key(o) for _i, occ, _r, _s, o in self._latest() if occ == occasion}

    def disliked(self, occasion: str) -> set[IdKey]:
        return {id_key(o) for _i, occ, rating, _s, o in self._latest() if occ == occasion and rating < 0.5}

    def _since(self, session: Session) -> int:
        """The last feedback id before the latest reset (ratings up to it are not learnt from)."""
        resets = session.scalars(select(RankerVersionRow).order_by(RankerVersionRow.version.desc())).all()
        for row in resets:
            if row.metrics_json and json.loads(row.metrics_json).get("reset"):
                return int(row.last_feedback_id)
        return 0

    def ratings(self, explored: bool = False) -> list[Rating]:
        """The ratings the taste learns from: since the last reset, the latest per outfit and occasion, given on
        the board's own cards (``explored``: those given on exploration cards instead, which recalibrate)."""
        return self._split_ratings()[explored]

    def _split_ratings(self) -> tuple[list[Rating], list[Rating]]:
        """(the board's cards' ratings, the exploration cards' ratings) since the last reset, read in one pass."""
        with self.sessions() as session:
            since = self._since(session)
            on_card = set(session.scalars(select(FeedbackRow.id).where(FeedbackRow.explore.is_(True))).all())
        closet = {i.id: replace(i, archived=False) for i in self.items(True)}
        learnt: list[Rating] = []
        explored: list[Rating] = []
        for _id, occasion, rating, _source, outfit in self._latest():
            if _id > since:
                found = self._rating(outfit, occasion, rating, closet)
                if found is not None:  # None: an item was removed
                    (explored if _id in on_card else learnt).append(found)
        return learnt, explored

    @staticmethod
    def _rating(outfit: Outfit, occasion: str, liked: float, closet: Mapping[int, Item]) -> Rating | None:
        rules = expert_rules()
        ids = (outfit.top, outfit.layer, outfit.middle, outfit.full, outfit.bottom, outfit.accessory)
        worn = {r: closet.get(i) for r, i in zip(ROLE_FIELDS, ids, strict=True) if i is not None}
        if any(item is None for item in worn.values()):
            return None
        facts = {r: facts_of([worn[r]] if r in worn else [], rules) for r in ROLE_FIELDS}  # type: ignore[list-item]
        picks = {r: 0 for r in worn}
        quality = expert_terms(facts, Context(occasion), rules).outfit(picks)
        garments = tuple(i.id for r, i in worn.items() if r != "accessory")  # type: ignore[union-attr]
        return Rating(occasion, quality, outfit_features(facts, picks), liked, garments)

    def predict(self, outfits: Sequence[Outfit], occasion: str, taste: Taste | None = None) -> np.ndarray:
        """The chance (calibrated) that the person likes each outfit for ``occasion``."""
        occasion = check_occasion(occasion)
        taste = taste or self.taste()
        closet = {i.id: replace(i, archived=False) for i in self.items(True)}
        rows = [self._rating(o, occasion, 0.0, closet) for o in outfits]
        if any(r is None for r in rows):
            raise ItemNotFoundError(
                next(i for o, r in zip(outfits, rows, strict=True) if r is None for i in o.item_ids if i not in closet)
            )
        found = [r for r in rows if r is not None]
        return taste.probability(
            occasion, np.array([r.quality for r in found]), np.stack([r.phi for r in found]), [r.items for r in found]
        )

    def taste(self, shared: bool = SHARE_COLOURS) -> Taste:
        """The person's taste learnt from their ratings (the prior after a reset), its shown chance recalibrated
        on the exploration cards' ratings (recommend/recalibrate.py)."""
        learnt, explored = self._split_ratings()
        return recalibrated(fit_taste(learnt, shared=shared), explored)

    def context(
        self, occasion: str, weather: str | float | None = None, when: date | None = None, hemisphere: str | None = None
    ) -> Context:
        """The occasion, the stated weather and the season of ``when`` (today) in the user's hemisphere
        (``hemisphere`` for this once, else the setting)."""
        where = parse_hemisphere(hemisphere or str(self.settings.get("hemisphere", "north")))
        return Context(check_occasion(occasion), parse_weather(weather), season_of(when or date.today(), where))

    def set_settings(self, hemisphere: str | None = None, rest_ratings: int | None = None) -> dict[str, Any]:
        """Change and keep the outfit settings (hemisphere, how many ratings liked outfits rest)."""
        self.settings = write_settings(self.data_dir, hemisphere, rest_ratings)
        return self.described_settings()

    def described_settings(self, when: date | None = None) -> dict[str, Any]:
        """The settings, with the season they give today (``season``: not stored, it follows the date)."""
        hemisphere = parse_hemisphere(str(self.settings.get("hemisphere", "north")))
        return {**self.settings, "hemisphere": hemisphere, "season": season_of(when or date.today(), hemisphere)}

    def board(
        self,
        occasion: str,
        k: int = 5,
        with_item: int | None = None,
        locked: Mapping[str, int] | None = None,
        weather: str | float | None = None,
        exclude: Sequence[Outfit] = (),
        explore: bool = True,
        when: date | None = None,
        taste: Taste | None = None,
        include_resting: bool = False,
        hemisphere: str | None = None,
        explore_card: bool = False,
    ) -> Suggestions:
        """The board: k outfits (fewer above the quality floor, saying what is missing), best first.

        ``exclude`` are outfits already shown (F5 pages past them); ``include_resting`` lets liked and worn
        outfits that are resting back in (planning ahead: better the same outfit than none); ``hemisphere``
        (north, south) overrides the setting for this board; ``explore`` draws
        the taste from its
        posterior (Thompson sampling, seeded by the number of ratings so the same state gives the same board);
        ``explore_card`` (with ``explore``, after a few ratings) adds one labelled random outfit of the closet
        after the k best (``Outfit.explore``; recommend/explore.py), so ratings reach every kind of outfit.
        """
        context = self.context(occasion, weather, when, hemisphere)
        taste = taste or self.taste()
        resting_or_disliked = self.disliked(context.occasion) if include_resting else self.excluded(context.occasion)
        skip = resting_or_disliked | {id_key(o) for o in exclude}
        rng = np.random.default_rng([taste.n_ratings, len(skip)]) if explore and taste.n_ratings else None
        return build_board(
            self.items(False),
            context,
            taste,
            k,
            rng=rng,
            excluded=skip,
            with_item=with_item,
            locked=locked,
            rules=expert_rules(),
            explore_card=explore_card,
            rated=self.rated(context.occasion) if explore_card else None,
        )

    def suggest(
        self,
        occasion: str,
        k: int = 5,
        with_item: int | None = None,
        locked: Mapping[str, int] | None = None,
        **options: Any,
    ) -> list[Outfit]:
        return list(self.board(occasion, k, with_item, locked, **options).outfits)

    # -- feedback --------------------------------------------------------------------------------
    def rate(self, outfit: Outfit, occasion: str, source: str) -> Change:
        """Record a "like", "dislike" or "wore"; it replaces an earlier rating of the same outfit and occasion."""
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
                row = OutfitRow(
                    key=key,
                    top_id=outfit.top,
                    middle_id=outfit.middle,
                    bottom_id=outfit.bottom,
                    full_id=outfit.full,
                    created_at=now,
                )
                session.add(row)
                session.flush()
            session.execute(
                delete(FeedbackRow).where(FeedbackRow.outfit_id == row.id, FeedbackRow.occasion == occasion)
            )
            feedback = FeedbackRow(
                outfit_id=row.id,
                occasion=occasion,
                rating=rating,
                source=source,
                created_at=now,
                explore=outfit.explore or None,
            )
            session.add(feedback)
            session.flush()
            notes, feedback_id = [f"feedback {feedback.id}"], feedback.id
        version: int | None = None
        if retrain_due(self.new_ratings(), self.retrain_every):
            version = self.retrain().version
            notes.append(f"ranker v{version}")
        return Change(notes=tuple(notes), outfits=(outfit.item_ids,), feedback=(feedback_id,), ranker_version=version)

    def undo(self, feedback_id: int) -> Change:
        """Take back one rating (the outfit may be suggested again)."""
        with self.sessions.begin() as session:
            row = session.get(FeedbackRow, feedback_id)
            if row is None:
                raise WardrobeError(f"there is no rating {feedback_id} to undo")
            session.delete(row)
        return Change(notes=(f"undone feedback {feedback_id}",), undone=(feedback_id,))

    def new_ratings(self) -> int:
        """Ratings recorded since the last snapshot or reset."""
        return ranker_versions.new_ratings(self.sessions)

    def ranker_state(self) -> RankerState:
        """Ratings so far and the taste in use (``labelled()`` for a person to read)."""
        return ranker_versions.ranker_state(self.sessions, self.retrain_every)

    # -- learning --------------------------------------------------------------------------------
    def retrain(self, reset: bool = False, seed: int = 0) -> RetrainResult:
        """Record the taste learnt so far as a new version (``reset``: forget ratings up to now)."""
        start = time.perf_counter()
        with self.sessions() as session:
            last_id = int(session.scalar(select(func.max(FeedbackRow.id))) or 0)
        if reset:
            self._record(0, last_id, {"reset": True}, "expert")
            return RetrainResult(version=0, ranker="expert", seconds=round(time.perf_counter() - start, 3))
        ratings = self.ratings()
        if not ratings:
            raise WardrobeError("nothing to learn from yet: like, dislike or wear some outfits first")
        taste = fit_taste(ratings)
        probs = np.concatenate(
            [taste.probability(r.occasion, np.array([r.quality]), r.phi[None, :], [r.items]) for r in ratings]
        )
        liked = np.array([r.liked for r in ratings])
        accuracy = float(((probs > 0.5) == (liked > 0.5)).mean())
        result: dict[str, Any] = {
            "ranker": "personal",
            "n_ratings": len(ratings),
            "accuracy": round(accuracy, 4),
            "occasions": list(taste.occasions),
        }
        version = self._record(len(ratings), last_id, result, "taste", taste)
        return RetrainResult(
            version=version,
            ranker="personal",
            n_ratings=len(ratings),
            seconds=round(time.perf_counter() - start, 3),
            accuracy=round(accuracy, 4),
            occasions=tuple(taste.occasions),
        )

    def _record(
        self, n_ratings: int, last_id: int, metrics: dict[str, Any], kind: str, taste: Taste | None = None
    ) -> int:
        return ranker_versions.record_version(self.sessions, self.data_dir, n_ratings, last_id, metrics, kind, taste)
