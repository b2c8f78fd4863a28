"""The review queue, confirmations and the personal layer: corrections teach, and never get overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.unit.services.review_fakes import LabelledFake
from wardrobe_app.domain import Group, ItemNotFoundError, WardrobeError
from wardrobe_app.services.wardrobe import Wardrobe

RED, BLUE, GREEN = (40, 40, 200), (200, 50, 40), (40, 190, 50)  # BGR


@pytest.fixture
def closet(data_dir: Path, photo_factory: PhotoFactory) -> Iterator[tuple[Wardrobe, dict[str, int]]]:
    wardrobe = Wardrobe.open(data_dir, classifier=LabelledFake())
    drawn = {
        **{f"red shirt {n}": dict(colour_bgr=RED, seed=n, shape="shirt") for n in range(1, 5)},
        "blue blob": dict(colour_bgr=BLUE, seed=7, shape="blob"),
        "blue blob 2": dict(colour_bgr=BLUE, seed=8, shape="blob"),
        "green blob": dict(colour_bgr=GREEN, seed=9, shape="blob"),
    }
    ids = {name: wardrobe.add_photo(photo_factory(f"{name}.jpg", **kw)).id for name, kw in drawn.items()}
    yield wardrobe, ids
    wardrobe.close()


def test_queue_holds_the_unsure_guesses_until_checked(closet: tuple[Wardrobe, dict[str, int]]) -> None:
    wardrobe, ids = closet
    queue = wardrobe.review_queue()
    assert [i.id for i in queue] == [ids["blue blob"], ids["blue blob 2"]]  # the fake is 45% sure of pants
    assert all(i.to_review and i.category == "pants" for i in queue)
    confirmed = wardrobe.confirm(ids["blue blob"])
    assert confirmed.confirmed and not confirmed.needs_review and not confirmed.to_review
    assert confirmed.category == "pants" and not confirmed.corrected
    wardrobe.set_category(ids["blue blob 2"], "skirt")
    assert wardrobe.review_queue() == []
    wardrobe.update_item(ids["red shirt 1"], archived=True)
    assert wardrobe.item(ids["blue blob"]).confirmed  # kept on reading back


def test_confirm_needs_a_category_and_a_closet_item(data_dir: Path, photo_factory: PhotoFactory) -> None:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        item = wardrobe.add_photo(photo_factory("plain.jpg"))
        assert item.category is None and wardrobe.review_queue() == []
        with pytest.raises(WardrobeError, match="no category to confirm"):
            wardrobe.confirm(item.id)
        with pytest.raises(ItemNotFoundError):
            wardrobe.confirm(999)


def test_a_confident_guess_is_not_overturned_by_one_example(
    closet: tuple[Wardrobe, dict[str, int]], photo_factory: PhotoFactory
) -> None:
    wardrobe, ids = closet
    twin = wardrobe.add_photo(photo_factory("green twin.jpg", colour_bgr=GREEN, seed=10, shape="blob")).id
    wardrobe.set_category(ids["green blob"], "hat")  # the fake is 80% sure of shoes for green blobs
    assert wardrobe.item(twin).category == "shoes"
    assert wardrobe.item(twin).confidence < 0.8  # less sure than before: a look-alike was a hat


def test_a_correction_re_scores_the_look_alikes_only(closet: tuple[Wardrobe, dict[str, int]]) -> None:
    wardrobe, ids = closet
    assert {wardrobe.item(ids[f"red shirt {n}"]).category for n in range(1, 5)} == {"t-shirt"}
    wardrobe.set_category(ids["red shirt 1"], "longsleeve")
    for n in range(2, 5):
        item = wardrobe.item(ids[f"red shirt {n}"])
        assert item.category == "longsleeve" and item.group is Group.TOP, n
        assert not item.corrected and not item.confirmed  # re-scored, still the app's guess
    assert wardrobe.item(ids["green blob"]).category == "shoes"  # nothing like it was corrected


def test_new_imports_are_scored_by_the_personal_layer(
    closet: tuple[Wardrobe, dict[str, int]], photo_factory: PhotoFactory
) -> None:
    wardrobe, ids = closet
    wardrobe.set_category(ids["red shirt 1"], "polo")  # a category the shipped model does not know:
    wardrobe.set_category(ids["red shirt 2"], "polo")  # it takes two look-alikes to overturn its guess
    new = wardrobe.add_photos([photo_factory("new red.jpg", colour_bgr=RED, seed=11, shape="shirt")])
    assert new[0].item is not None and new[0].item.category == "polo"
    assert wardrobe.item(new[0].item.id).category == "polo"
    told = wardrobe.add_photos([photo_factory("told.jpg", colour_bgr=RED, seed=12, shape="shirt")], category="dress")
    assert told[0].item is not None and told[0].item.category == "dress" and told[0].item.corrected


def test_the_personal_layer_never_overrides_the_users_word(closet: tuple[Wardrobe, dict[str, int]]) -> None:
    wardrobe, ids = closet
    wardrobe.set_category(ids["red shirt 1"], "longsleeve")
    wardrobe.confirm(ids["red shirt 2"])  # the user says this one is what the model said... of the re-scored guess
    confirmed_as = wardrobe.item(ids["red shirt 2"]).category
    # many more corrections of look-alikes to something else
    wardrobe.set_category(ids["red shirt 3"], "dress")
    wardrobe.set_category(ids["red shirt 4"], "dress")
    wardrobe.rescore()
    assert wardrobe.item(ids["red shirt 1"]).category == "longsleeve"
    assert wardrobe.item(ids["red shirt 1"]).corrected
    assert wardrobe.item(ids["red shirt 2"]).category == confirmed_as
    assert wardrobe.item(ids["red shirt 2"]).confirmed


def test_removing_the_only_example_brings_the_models_guess_back(closet: tuple[Wardrobe, dict[str, int]]) -> None:
    wardrobe, ids = closet
    wardrobe.set_category(ids["red shirt 1"], "longsleeve")
    assert wardrobe.item(ids["red shirt 2"]).category == "longsleeve"
    wardrobe.remove(ids["red shirt 1"])
    wardrobe.rescore()
    back = wardrobe.item(ids["red shirt 2"])
    assert back.category == "t-shirt" and back.confidence == pytest.approx(0.55, abs=1e-4)
