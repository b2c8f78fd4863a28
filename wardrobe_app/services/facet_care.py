"""The Wardrobe facade's care of items: the review queue and personal layer, the trash, search, cut-out fixes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from wardrobe_app.domain import AddResult, Change, Item, WardrobeError
from wardrobe_app.domain.progress import Cancel, Progress
from wardrobe_app.services.closet_state import writes
from wardrobe_app.services.facade_parts import FacadeParts

if TYPE_CHECKING:
    from wardrobe_app.domain.strokes import Stroke
    from wardrobe_app.services.cutout_fix import CutoutFixer, CutoutImage
    from wardrobe_app.services.reclassify import ReclassifyReport
    from wardrobe_app.services.review import ReviewDesk
    from wardrobe_app.services.trash import Trash


class ClosetCare(FacadeParts):
    """Review, reclassify, trash, text search and cut-out fixes (services/review.py, trash.py, cutout_fix.py)."""

    # -- the review queue and the personal layer (services/review.py, services/reclassify.py) ------
    def _review(self) -> ReviewDesk:
        from wardrobe_app.services.review import ReviewDesk

        return ReviewDesk(self.sessions, self.data_dir, self.classifier_slot.current)

    def review_queue(self) -> list[Item]:
        """Closet items the classifier was unsure of and the user has not checked yet, oldest first."""
        return self._review().queue()

    @writes("confirming a category")
    def confirm(self, item_id: int) -> Item:
        """Accept the classifier's guess for an item: kept from now on, and it teaches the personal layer."""
        desk = self._review()
        item = desk.confirm(item_id)
        desk.rescore()
        return item

    @writes("re-scoring items")
    def rescore(self) -> Change:
        """Re-score the unchecked closet items from the user's corrections and confirmations."""
        return Change(updated=tuple(self._review().rescore()))

    def _rescored(self, results: list[AddResult]) -> list[AddResult]:
        """New imports scored by the personal layer too (only items the user did not label)."""
        added = [r.item.id for r in results if r.item is not None]
        if not added:
            return results
        with self.writing("re-scoring new items"):
            changed = set(self._review().rescore(added))
        if not changed:
            return results
        return [
            AddResult(r.path, self.item(r.item.id), r.error, r.duplicate_of)
            if r.item is not None and r.item.id in changed
            else r
            for r in results
        ]

    @writes("re-labelling the closet")
    def reclassify(self, progress: Progress | None = None, cancel: Cancel | None = None) -> ReclassifyReport:
        """Re-label items an older classifier labelled (never the user's own) and recompute their features.

        Resumable: items already at the active version are skipped. Raises WardrobeError
        without a classifier.
        """
        from wardrobe_app.services.reclassify import reclassify

        classifier = self.classifier()
        if classifier is None:
            raise WardrobeError(f"cannot reclassify: {self.classifier_error or 'no garment classifier is in use'}")
        report = reclassify(self.sessions, self.data_dir, classifier, progress, cancel)
        self._review().rescore()
        self._similar_search().invalidate()
        return report

    # --- item editing (issue 11) ---
    def _trash(self) -> Trash:
        from wardrobe_app.services.trash import Trash

        return Trash(self.sessions, self.files)

    def trash(self) -> list[Item]:
        """The items in the trash, most recently removed first."""
        return self._trash().items()

    @writes("restoring from the trash")
    def restore_from_trash(self, item_ids: Iterable[int]) -> Change:
        """Bring trashed items back into the closet (all of them, or none if one is not in the trash)."""
        return self._trash().restore(item_ids)

    @writes("emptying the trash")
    def empty_trash(self, item_ids: Iterable[int] | None = None) -> Change:
        """Delete trashed items for good: rows, outfits, ratings and diary lines, then their unshared files."""
        change = self._trash().empty(item_ids)
        self._review().rescore()
        return change

    def search(self, text: str, include_archived: bool = False) -> list[Item]:
        """Closet items matching every word of ``text`` (synonyms understood: jeans finds denim trousers)."""
        from wardrobe_app.search.text import matches_query

        return [item for item in self.items(include_archived=include_archived) if matches_query(item, text)]

    def _cutout_fixer(self) -> CutoutFixer:
        from wardrobe_app.services.cutout_fix import CutoutFixer

        return CutoutFixer(self.sessions, self.files, self._row, self.classifier)

    def cutout_image(self, item_id: int) -> CutoutImage:
        """An item's photo and current garment mask, to fix by hand."""
        return self._cutout_fixer().load(item_id)

    def original_cutout(self, item_id: int) -> CutoutImage:
        """The automatic cut-out of the item's photo (what the import made), to go back to."""
        return self._cutout_fixer().original(item_id)

    def refine_cutout(self, image: CutoutImage, strokes: Sequence[Stroke]) -> CutoutImage:
        """GrabCut re-run from ``image``'s mask with "keep"/"remove" strokes as seeds; nothing is saved."""
        return self._cutout_fixer().refine(image, strokes)

    @writes("fixing a cut-out")
    def save_cutout(self, item_id: int, mask: Any) -> Item:
        """Make ``mask`` the item's cut-out: new cut-out, thumbnail and mask files; colours and features recomputed."""
        item = self._cutout_fixer().save(item_id, mask)
        self._similar_search().invalidate()
        return item
