"""The Wardrobe facade's wear diary: worn and planned outfits, item status and laundry rules, statistics."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from wardrobe_app.domain import Change
from wardrobe_app.services.closet_state import writes
from wardrobe_app.services.facade_parts import FacadeParts

if TYPE_CHECKING:
    from datetime import date

    from wardrobe_app.domain.diary import DiaryChange, ItemStatus, WearEntry
    from wardrobe_app.services.diary import Diary
    from wardrobe_app.services.stats import ClosetStats
    from wardrobe_app.services.wardrobe import Wardrobe


class WearDiary(FacadeParts):
    """The diary and planner, availability and statistics (services/diary.py, services/stats.py)."""

    # -- the wear diary, planner and item status (services/diary.py, services/stats.py) -----------
    def _diary(self) -> Diary:
        from wardrobe_app.services.diary import Diary

        return Diary(self.sessions)

    @writes("writing the wear diary")
    def wear(self, item_ids: Iterable[int], occasion: str = "casual", day: date | str | None = None) -> DiaryChange:
        """Wore it: a diary entry for ``day`` (today by default) and a "wore" rating of the outfit.

        Wearing the items planned for that day turns the plan into the entry. Accessories go in the
        diary, not the rating. Raises ItemNotFoundError, CannotMakeOutfitError, InvalidDateError,
        UnknownOccasionError before anything is written.
        """
        from wardrobe_app.services.diary import wear

        return wear(cast("Wardrobe", self), self._diary(), list(item_ids), occasion, day)

    @writes("planning an outfit")
    def plan(
        self, day: date | str, occasion: str, with_item: int | None = None, item_ids: Iterable[int] | None = None
    ) -> DiaryChange:
        """Plan ``day``: the items given, or the best suggestion (avoiding outfits of the days around)."""
        from wardrobe_app.services.diary import plan

        items = None if item_ids is None else list(item_ids)
        return plan(cast("Wardrobe", self), self._diary(), day, occasion, with_item, items)

    def diary(self, start: date | str | None = None, end: date | str | None = None) -> list[WearEntry]:
        """Diary entries (worn and planned) from ``start`` to ``end``, both included, by date."""
        return self._diary().entries(start, end)

    @writes("writing the wear diary")
    def wear_planned(self, entry_id: int) -> DiaryChange:
        """A planned outfit was worn: its entry becomes a worn one (and the outfit is rated "wore")."""
        from wardrobe_app.services.diary import wear_plan

        return wear_plan(cast("Wardrobe", self), self._diary(), entry_id)

    @writes("moving a diary entry")
    def move_entry(self, entry_id: int, day: date | str) -> WearEntry:
        return self._diary().move(entry_id, day)

    @writes("deleting a diary entry")
    def delete_entry(self, entry_id: int) -> Change:
        self._diary().delete(entry_id)
        return Change(notes=(f"deleted diary entry {entry_id}",), diary=(entry_id,))

    @writes("taking back a wear")
    def undo_wear(self, worn: DiaryChange) -> Change:
        """Take back "wore it" (what ``wear`` returned), all in one transaction: the "wore" rating, the diary
        entry (unless already deleted), the wears it counted; items it sent to the laundry come back with the
        wears they had. WardrobeError (nothing changed) when the rating is gone or the entry was a plan.
        """
        feedback = worn.rating.feedback if worn.rating is not None else ()
        back = self._diary().take_back(worn, feedback)
        notes = (f"took back diary entry {worn.entry.id}", *(f"item {i} back from the laundry" for i in back))
        return Change(updated=worn.entry.item_ids, notes=notes, undone=feedback, diary=(worn.entry.id,))

    @writes("setting item status")
    def set_status(self, item_ids: Iterable[int], status: ItemStatus | str) -> Change:
        """Available, laundry, lent or repair, for every item or (ItemNotFoundError, UnknownStatusError) none."""
        return Change(updated=self._diary().set_status(list(item_ids), status))

    def laundry_rules(self) -> dict[str, int]:
        """Category -> wears after which an item of it goes to the laundry."""
        return self._diary().laundry_rules()

    @writes("setting a laundry rule")
    def set_laundry_rule(self, category: str, wears: int | None) -> None:
        """After ``wears`` wears an item of ``category`` goes to the laundry (None: never)."""
        self._diary().set_laundry_rule(category, wears)

    def stats(self) -> ClosetStats:
        """Wears per item, most and least worn, cost per wear, colour mix, category balance."""
        from wardrobe_app.services.stats import closet_stats

        return closet_stats(self.items(), self._diary().wear_log())
