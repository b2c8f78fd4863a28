"""Carrying a closet to a new classifier: the user's categories stay, the rest is re-labelled, resumably."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from tests.conftest import PhotoFactory
from tests.unit.services.review_fakes import LabelledFake
from wardrobe_app.db.tables import ItemFeatureRow
from wardrobe_app.domain import WardrobeError
from wardrobe_app.services.reclassify import reclassify
from wardrobe_app.services.review import PROBS_KIND
from wardrobe_app.services.wardrobe import Wardrobe

RED, BLUE, GREEN = (40, 40, 200), (200, 50, 40), (40, 190, 50)  # BGR
NEW = {"red": ("dress", 0.9), "blue": ("shorts", 0.45), "green": ("hat", 0.8), "other": ("skirt", 0.9)}


def _old_closet(data_dir: Path, photo_factory: PhotoFactory) -> dict[str, int]:
    with Wardrobe.open(data_dir, classifier=LabelledFake("fake-1")) as wardrobe:
        ids = {
            "corrected": wardrobe.add_photo(photo_factory("a.jpg", colour_bgr=RED, seed=1)).id,
            "confirmed": wardrobe.add_photo(photo_factory("b.jpg", colour_bgr=BLUE, seed=2, shape="blob")).id,
            "green": wardrobe.add_photo(photo_factory("c.jpg", colour_bgr=GREEN, seed=3, shape="blob")).id,
            "blue": wardrobe.add_photo(photo_factory("d.jpg", colour_bgr=BLUE, seed=4, shape="blob")).id,
            "grey": wardrobe.add_photo(photo_factory("e.jpg", colour_bgr=(120, 120, 120), seed=5)).id,
        }
        wardrobe.set_category(ids["corrected"], "longsleeve")
        wardrobe.confirm(ids["confirmed"])
    return ids


def test_reclassify_keeps_corrections_and_confirmations(data_dir: Path, photo_factory: PhotoFactory) -> None:
    ids = _old_closet(data_dir, photo_factory)
    with Wardrobe.open(data_dir, classifier=LabelledFake("fake-2", NEW)) as wardrobe:
        report = wardrobe.reclassify()
        assert report.version == "fake-2" and not report.cancelled
        assert set(report.processed) == set(ids.values())
        assert set(report.kept) == {ids["corrected"], ids["confirmed"]}
        corrected, confirmed = wardrobe.item(ids["corrected"]), wardrobe.item(ids["confirmed"])
        assert corrected.category == "longsleeve" and corrected.corrected
        assert confirmed.category == "pants" and confirmed.confirmed
        assert wardrobe.item(ids["green"]).category == "hat"  # re-labelled by the new version
        assert wardrobe.item(ids["grey"]).category == "skirt"
        assert {ids["green"], ids["grey"]} <= set(report.relabelled)
        # the new version is unsure of "shorts", and the user confirmed a look-alike as pants: the personal layer
        # (in the new version's feature space) follows the user
        assert wardrobe.item(ids["blue"]).category == "pants"
        assert all(item.classifier_version == "fake-2" for item in wardrobe.items())
        with wardrobe.sessions() as session:
            versions = set(
                session.scalars(select(ItemFeatureRow.version).where(ItemFeatureRow.kind.in_(("cnn", PROBS_KIND))))
            )
        assert versions == {"fake-2"}
        again = wardrobe.reclassify()  # everything is at the active version: nothing to do
        assert again.processed == () and again.remaining == 0


def test_reclassify_resumes_where_it_stopped(data_dir: Path, photo_factory: PhotoFactory) -> None:
    ids = _old_closet(data_dir, photo_factory)
    classifier = LabelledFake("fake-2", NEW)
    with Wardrobe.open(data_dir, classifier=classifier) as wardrobe:
        seen: list[int] = []
        report = reclassify(
            wardrobe.sessions,
            wardrobe.data_dir,
            classifier,
            progress=lambda done, total, _path: seen.append(done),
            cancel=lambda: len(seen) >= 1,
            batch_size=2,
        )
        assert report.cancelled and len(report.processed) == 2 and report.remaining == 3
        assert "run it again to resume" in report.summary()
        calls = classifier.calls
        rest = wardrobe.reclassify()
        assert classifier.calls == calls + 1  # one forward pass for the three that were left (batch of 16)
        assert set(rest.processed) == set(ids.values()) - set(report.processed)
        assert wardrobe.item(ids["corrected"]).category == "longsleeve"


def test_reclassify_needs_a_classifier_and_skips_unreadable_photos(data_dir: Path, photo_factory: PhotoFactory) -> None:
    ids = _old_closet(data_dir, photo_factory)
    with Wardrobe.open(data_dir, classifier="none") as wardrobe, pytest.raises(WardrobeError, match="cannot"):
        wardrobe.reclassify()
    with Wardrobe.open(data_dir, classifier=LabelledFake("fake-2", NEW)) as wardrobe:
        Path(wardrobe.item(ids["green"]).photo_path).unlink()
        report = wardrobe.reclassify()
        assert report.unreadable == (ids["green"],)
        assert wardrobe.item(ids["green"]).classifier_version == "fake-1"  # left as it was, retried next time
        assert ids["green"] not in report.processed


def test_probabilities_are_stored_at_import(data_dir: Path, photo_factory: PhotoFactory) -> None:
    with Wardrobe.open(data_dir, classifier=LabelledFake("fake-1")) as wardrobe:
        item = wardrobe.add_photo(photo_factory("a.jpg", colour_bgr=RED, seed=1))
        with wardrobe.sessions() as session:
            blob = session.scalar(
                select(ItemFeatureRow.vector).where(
                    ItemFeatureRow.item_id == item.id, ItemFeatureRow.kind == PROBS_KIND
                )
            )
        probs = np.frombuffer(blob, "<f4")
        assert probs.size == len(LabelledFake.labels) and probs.sum() == pytest.approx(1.0, abs=1e-5)
        assert LabelledFake.labels[int(np.argmax(probs))] == "t-shirt" and probs.max() == pytest.approx(0.55)
