"""A shoe or trouser kind named by the classifier reaches the closet, survives re-scoring, and steers the outfits."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PhotoFactory
from tests.unit.services.review_fakes import KindFake, LabelledFake
from wardrobe_app.domain import Group
from wardrobe_app.services.wardrobe import Wardrobe

RED, BLUE, GREEN = (40, 40, 200), (200, 50, 40), (40, 190, 50)  # BGR


def test_the_kind_is_stored_and_kept_when_the_personal_layer_re_scores(
    data_dir: Path, photo_factory: PhotoFactory
) -> None:
    with Wardrobe.open(data_dir, classifier=KindFake(kind="sneakers")) as wardrobe:
        greens = [
            wardrobe.add_photo(photo_factory(f"green {n}.jpg", colour_bgr=GREEN, seed=n, shape="blob")).id
            for n in range(1, 4)
        ]
        reds = [
            wardrobe.add_photo(photo_factory(f"red {n}.jpg", colour_bgr=RED, seed=10 + n, shape="shirt")).id
            for n in range(1, 4)
        ]
        assert all(wardrobe.item(i).category == "sneakers" and wardrobe.item(i).group is Group.BOTTOM for i in greens)
        # corrections re-score the closet: the model's plain label "shoes" must not wipe the kind its head named
        wardrobe.set_category(reds[0], "longsleeve")
        wardrobe.set_category(greens[0], "boots")
        wardrobe.rescore()
        assert wardrobe.item(greens[0]).category == "boots" and wardrobe.item(greens[0]).corrected
        assert {wardrobe.item(i).category for i in greens[1:]} <= {"sneakers", "boots"}
        assert "shoes" not in {wardrobe.item(i).category for i in greens}


def test_reclassify_gives_kinds_to_items_of_the_old_version_but_not_over_the_user(
    data_dir: Path, photo_factory: PhotoFactory
) -> None:
    with Wardrobe.open(data_dir, classifier=LabelledFake("garment_classifier/1.0.0")) as wardrobe:
        plain = wardrobe.add_photo(photo_factory("green.jpg", colour_bgr=GREEN, seed=1, shape="blob")).id
        confirmed = wardrobe.add_photo(photo_factory("green 2.jpg", colour_bgr=GREEN, seed=2, shape="blob")).id
        corrected = wardrobe.add_photo(photo_factory("green 3.jpg", colour_bgr=GREEN, seed=3, shape="blob")).id
        wardrobe.confirm(confirmed)
        wardrobe.set_category(corrected, "slippers")
        assert wardrobe.item(plain).category == "shoes"
    with Wardrobe.open(data_dir, classifier=KindFake("garment_classifier/1.1.0", kind="formal shoes")) as wardrobe:
        report = wardrobe.reclassify()
        assert set(report.processed) == {plain, confirmed, corrected}
        assert set(report.kept) == {confirmed, corrected} and plain in report.relabelled
        assert wardrobe.item(plain).category == "formal shoes"
        assert wardrobe.item(confirmed).category == "shoes" and wardrobe.item(confirmed).confirmed
        assert wardrobe.item(corrected).category == "slippers" and wardrobe.item(corrected).corrected
        assert {wardrobe.item(i).classifier_version for i in (plain, confirmed, corrected)} == {
            "garment_classifier/1.1.0"
        }


def test_house_slippers_the_classifier_named_never_lead_work_or_formal_outfits(
    data_dir: Path, photo_factory: PhotoFactory
) -> None:
    from tests.unit.services.drawn_closet import draw

    with Wardrobe.open(data_dir, classifier=KindFake(kind="slippers")) as wardrobe:
        slippers = wardrobe.add_photo(photo_factory("green.jpg", colour_bgr=GREEN, seed=1, shape="blob")).id
        assert wardrobe.item(slippers).category == "slippers" and not wardrobe.item(slippers).corrected
        draw(
            wardrobe,
            [
                ("shirt", "white"),
                ("t-shirt", "black"),
                ("trousers", "navy"),
                ("jeans", "blue"),
                ("formal shoes", "black"),
                ("sneakers", "white"),
            ],
        )
        for occasion in ("work", "formal"):
            shown = [o for page in range(2) for o in wardrobe.suggest(occasion, k=6, explore=False)]
            assert shown and all(o.bottom != slippers for o in shown), occasion
        at_home = [o for o in wardrobe.suggest("casual", k=12, explore=False)]
        assert at_home  # slippers may be worn at home; the rules, not a missing kind, keep them out of work
