"""The Wardrobe facade's outfits: suggestions, ratings, the ranker, settings, versatility, clean-out, packing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from wardrobe_app.domain import Change
from wardrobe_app.services.closet_state import writes
from wardrobe_app.services.facade_parts import FacadeParts

if TYPE_CHECKING:
    from datetime import date

    from wardrobe_app.domain import Outfit, Suggestions
    from wardrobe_app.domain.results import RankerState, RetrainResult
    from wardrobe_app.services.cleanout import CleanoutCandidate
    from wardrobe_app.services.outfits import OutfitService
    from wardrobe_app.services.packing import PackingPlan
    from wardrobe_app.services.versatility import Versatility
    from wardrobe_app.services.wardrobe import Wardrobe


class Outfits(FacadeParts):
    """Suggest, rate and retrain (services/outfits.py); versatility, clean-out and packing built on them."""

    # -- outfits -------------------------------------------------------------------------------
    def _outfits(self) -> OutfitService:
        from wardrobe_app.services.outfits import OutfitService

        # suggestions (archived=False) see only available items; ratings and training see every item
        return OutfitService(
            self.sessions,
            self.data_dir,
            lambda archived: self.items(include_archived=True) if archived else self.items(status="available"),
        )

    def occasions(self) -> list[str]:
        """The occasions outfits can be suggested for."""
        return self._outfits().occasions()

    def suggest(
        self,
        occasion: str,
        k: int = 5,
        with_item: int | None = None,
        locked: dict[str, int] | None = None,
        **options: Any,
    ) -> list[Outfit]:
        """The k best, diverse outfits for ``occasion``, best first; ``with_item`` builds around one item,
        ``locked`` ({"top": id, ...}) keeps chosen slots; options: ``weather`` (cold, mild, warm, hot or
        °C), ``hemisphere`` (north, south: for this once), ``exclude`` (outfits already shown),
        ``explore``. Raises UnknownOccasionError,
        CannotMakeOutfitError. Items in the laundry, lent out or in repair are left out (and cannot be
        built around)."""
        from wardrobe_app.services.diary import check_available

        check_available(self._diary(), [with_item, *(locked or {}).values()])
        return self._outfits().suggest(occasion, k, with_item, locked, **options)

    def suggestions(
        self,
        occasion: str,
        k: int = 5,
        with_item: int | None = None,
        locked: dict[str, int] | None = None,
        **options: Any,
    ) -> Suggestions:
        """Like ``suggest``, with what the closet lacks when fewer than k outfits are good enough."""
        from wardrobe_app.services.diary import check_available

        check_available(self._diary(), [with_item, *(locked or {}).values()])
        return self._outfits().board(occasion, k, with_item, locked, **options)

    def outfit_settings(self) -> dict[str, Any]:
        """The outfit settings: ``hemisphere`` (north or south: the season follows it), ``rest_ratings``, and
        ``season``, today's season in that hemisphere."""
        return self._outfits().described_settings()

    @writes("saving the outfit settings")
    def set_outfit_settings(self, hemisphere: str | None = None, rest_ratings: int | None = None) -> dict[str, Any]:
        """Change and keep the outfit settings; raises UnknownHemisphereError for anything but north/south."""
        return self._outfits().set_settings(hemisphere, rest_ratings)

    @writes("taking back a rating")
    def undo_feedback(self, feedback_id: int) -> Change:
        """Take back a rating (``feedback N`` in a Change's notes)."""
        return self._outfits().undo(feedback_id)

    def outfit(self, item_ids: Iterable[int]) -> Outfit:
        """An outfit from item ids, each placed in its slot by its group."""
        return self._outfits().outfit_from_ids(list(item_ids))

    @writes("saving a rating")
    def feedback(self, outfit: Outfit, occasion: str, liked: bool) -> Change:
        """Record a like or dislike; the personal ranker retrains every few ratings."""
        return self._outfits().rate(outfit, occasion, "like" if liked else "dislike")

    @writes("saving a rating")
    def wore(self, outfit: Outfit, occasion: str) -> Change:
        """Record that the outfit was worn (counts as a like)."""
        return self._outfits().rate(outfit, occasion, "wore")

    def ranker_state(self) -> RankerState:
        """Ratings so far, the ranker in use and when it last retrained (labelled, for display)."""
        return self._outfits().ranker_state()

    @writes("retraining the outfit ranker")
    def retrain(self, reset: bool = False) -> RetrainResult:
        """Retrain the personal ranker now (or, with ``reset``, go back to the expert); returns stats."""
        return self._outfits().retrain(reset=reset)

    # --- closet life (issue 11) ---
    # Statistics' versatility, clean-out, packing and catalogue browsing: thin forwards to
    # services/versatility.py, services/cleanout.py, services/packing.py and the catalogue store.
    def versatility(self, occasions: list[str] | None = None, threshold: float = 0.6) -> Versatility:
        """How many good outfits (expert score >= ``threshold``) each available item is part of."""
        from wardrobe_app.services.versatility import versatility

        return versatility(self._outfits().ranker(), self.items(status="available"), occasions, threshold)

    def cleanout(self, months: int = 12, today: date | None = None) -> list[CleanoutCandidate]:
        """Items to donate or sell, with their reasons (not worn in ``months`` months, hardly versatile,
        a near-duplicate of a more worn item, never in a liked outfit); dismissed items never come back."""
        from wardrobe_app.services.cleanout import review_closet

        return review_closet(cast("Wardrobe", self), months, today)

    @writes("keeping an item")
    def dismiss_cleanout(self, item_ids: Iterable[int]) -> Change:
        """Keep these items: clean-out does not suggest them again (ItemNotFoundError: nothing changes)."""
        from wardrobe_app.services.cleanout import Dismissals

        return Change(updated=Dismissals(self.sessions).dismiss(item_ids))

    def pack(self, days: int | None, occasions: str | list[str], weather: str | float | None = None) -> PackingPlan:
        """The fewest items giving a distinct good outfit for each day of a trip, and the day-by-day plan.

        ``occasions``: "work,casual" (taking turns) or "work:5,casual:2"; ``weather`` as for suggest.
        Raises UnknownOccasionError, UnknownWeatherError, CannotMakeOutfitError, WardrobeError.
        """
        from wardrobe_app.services.packing import plan_trip

        return plan_trip(self._outfits(), days, occasions, weather)
