"""Similar items in the closet: finds itself, restricts, stays in sync, colour counts as intended."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.unit.services.garment_fakes import FakeClassifier
from wardrobe_app.domain import Group, ItemNotFoundError, UnknownCatalogueError
from wardrobe_app.search import EmbeddingSpec
from wardrobe_app.services.similar import SimilarSearch, as_item_id
from wardrobe_app.services.wardrobe import Wardrobe

RED, BLUE, GREEN = (40, 40, 200), (200, 50, 40), (40, 190, 50)  # BGR


@pytest.fixture
def closet(data_dir: Path, photo_factory: PhotoFactory) -> Iterator[tuple[Wardrobe, dict[str, int]]]:
    wardrobe = Wardrobe.open(data_dir, classifier=FakeClassifier())
    drawn = {
        "red shirt": dict(colour_bgr=RED, seed=1, shape="shirt"),
        "blue shirt": dict(colour_bgr=BLUE, seed=2, shape="shirt"),
        "red blob": dict(colour_bgr=RED, seed=3, shape="blob"),
        "blue blob": dict(colour_bgr=BLUE, seed=4, shape="blob"),
        "green blob": dict(colour_bgr=GREEN, seed=5, shape="blob"),
    }
    ids = {name: wardrobe.add_photo(photo_factory(f"{name}.jpg", **kw)).id for name, kw in drawn.items()}
    yield wardrobe, ids
    wardrobe.close()


def test_the_same_photo_finds_itself_first(closet: tuple[Wardrobe, dict[str, int]], tmp_path: Path) -> None:
    wardrobe, ids = closet
    for name, item_id in ids.items():
        results = wardrobe.similar(tmp_path / "photos" / f"{name}.jpg", k=5)
        assert results[0][0].id == item_id, name
        assert results[0][1] == pytest.approx(0.0, abs=1e-4)
        assert len(results) == 5
        assert [d for _, d in results] == sorted(d for _, d in results)
        assert all(0.0 <= d <= 1.0 for _, d in results)


def test_item_id_query_never_finds_itself(closet: tuple[Wardrobe, dict[str, int]]) -> None:
    wardrobe, ids = closet
    results = wardrobe.similar(ids["red shirt"], k=3)
    assert len(results) == 3 and ids["red shirt"] not in [item.id for item, _ in results]
    assert wardrobe.similar(str(ids["red shirt"]), k=3) == results  # CLI passes text
    with pytest.raises(ItemNotFoundError):
        wardrobe.similar(9999)
    with pytest.raises(UnknownCatalogueError):
        wardrobe.similar(ids["red shirt"], collection="no such shop")


def test_restricted_to_a_group_or_category(closet: tuple[Wardrobe, dict[str, int]]) -> None:
    wardrobe, ids = closet
    tops = wardrobe.similar(ids["blue blob"], k=5, group=Group.TOP)
    assert tops and all(item.group == Group.TOP for item, _ in tops)
    pants = wardrobe.similar(ids["red shirt"], k=5, category="pants")
    assert {item.id for item, _ in pants} == {ids["blue shirt"], ids["blue blob"]}


def test_index_follows_adds_removes_and_corrections(
    closet: tuple[Wardrobe, dict[str, int]], photo_factory: PhotoFactory
) -> None:
    wardrobe, ids = closet
    assert len(wardrobe.similar(ids["red shirt"], k=10)) == 4  # builds the index
    new = wardrobe.add_photo(photo_factory("new.jpg", colour_bgr=RED, seed=9, shape="shirt"))
    assert wardrobe.similar(ids["red shirt"], k=1)[0][0].id == new.id
    wardrobe.remove(new.id)
    assert new.id not in [item.id for item, _ in wardrobe.similar(ids["red shirt"], k=10)]
    wardrobe.set_category(ids["green blob"], "hat")
    hats = wardrobe.similar(ids["red shirt"], k=5, group="accessory")
    assert [item.id for item, _ in hats] == [ids["green blob"]]
    wardrobe.update_item(ids["blue shirt"], archived=True)
    assert ids["blue shirt"] not in [item.id for item, _ in wardrobe.similar(ids["red shirt"], k=10)]


def test_colour_changes_the_ranking_as_intended(
    closet: tuple[Wardrobe, dict[str, int]], tmp_path: Path, photo_factory: PhotoFactory
) -> None:
    wardrobe, ids = closet
    query = photo_factory("query.jpg", colour_bgr=RED, seed=42, shape="shirt")  # a new red shirt

    def ranking(weight: float) -> list[int]:
        search = SimilarSearch(
            wardrobe.sessions, wardrobe.data_dir, wardrobe.classifier, EmbeddingSpec(colour_weight=weight)
        )
        return [item.id for item, _ in search.similar(query, k=5, same_category=False)]

    shape_only, balanced, colour_only = ranking(0.0), ranking(0.5), ranking(1.0)
    assert shape_only[0] == balanced[0] == ids["red shirt"]
    # by shape the blue shirt comes next; by colour the red blob does
    assert shape_only[1] == ids["blue shirt"]
    assert colour_only[:2] == [ids["red shirt"], ids["red blob"]] or colour_only[:2] == [
        ids["red blob"],
        ids["red shirt"],
    ]
    assert colour_only.index(ids["red blob"]) < colour_only.index(ids["blue shirt"])
    assert shape_only.index(ids["red blob"]) > shape_only.index(ids["blue shirt"])


def test_without_a_classifier_colour_alone_still_works(data_dir: Path, photo_factory: PhotoFactory) -> None:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        red = wardrobe.add_photo(photo_factory("r.jpg", colour_bgr=RED, seed=1), category="shirt")
        wardrobe.add_photo(photo_factory("b.jpg", colour_bgr=BLUE, seed=2), category="shirt")
        found = wardrobe.similar(photo_factory("q.jpg", colour_bgr=RED, seed=3), k=2)
        assert found[0][0].id == red.id


def test_backfill_recomputes_features_of_another_version(
    closet: tuple[Wardrobe, dict[str, int]], data_dir: Path, tmp_path: Path
) -> None:
    wardrobe, ids = closet
    wardrobe.close()
    newer = FakeClassifier(version="fake-2")
    with Wardrobe.open(data_dir, classifier=newer) as reopened:
        before = reopened.similar(tmp_path / "photos" / "red shirt.jpg", k=5)
        assert before[0][0].id == ids["red shirt"]
        assert before[0][1] > 0.1  # stored CNN features are of fake-1: colour alone matches
        change = reopened.backfill_embeddings()
        assert sorted(change.updated) == sorted(ids.values())
        assert reopened.backfill_embeddings().updated == ()  # nothing left to do
        after = reopened.similar(tmp_path / "photos" / "red shirt.jpg", k=5)
        assert after[0][0].id == ids["red shirt"] and after[0][1] == pytest.approx(0.0, abs=1e-4)


def test_as_item_id() -> None:
    assert as_item_id(7) == 7 and as_item_id("12") == 12
    assert as_item_id("photo.jpg") is None and as_item_id(Path("3.jpg")) is None


def test_category_codes_tell_every_category_apart() -> None:
    from sqlalchemy import create_engine, literal, select

    from wardrobe_app.domain import CATEGORY_GROUPS
    from wardrobe_app.services.similar import category_code

    with create_engine("sqlite://").connect() as connection:
        codes = [connection.execute(select(category_code(literal(c)))).scalar() for c in [*CATEGORY_GROUPS, None]]
    assert len(set(codes)) == len(codes)


def test_the_query_category_comes_first_then_the_nearest_others(
    closet: tuple[Wardrobe, dict[str, int]], photo_factory: PhotoFactory
) -> None:
    wardrobe, ids = closet
    query = photo_factory("query.jpg", colour_bgr=BLUE, seed=42, shape="blob")  # fake classifier: pants
    found = wardrobe.similar(query, k=4)
    assert {item.id for item, _ in found[:2]} == {ids["blue blob"], ids["blue shirt"]}
    assert all(item.category == "pants" for item, _ in found[:2]) and len(found) == 4
    assert all(item.category != "pants" for item, _ in found[2:])  # topped up with the nearest others
    by_id = wardrobe.similar(ids["blue shirt"], k=1)
    assert [item.id for item, _ in by_id] == [ids["blue blob"]]  # the other pants, despite the shape
    free = wardrobe.similar(query, k=4, same_category=False)
    assert sorted(d for _, d in free) == [d for _, d in free] and len(free) == 4


def test_the_match_shown_follows_the_order_the_distance_need_not(data_dir: Path, photo_factory: PhotoFactory) -> None:
    with Wardrobe.open(data_dir, classifier="none") as wardrobe:
        drawn = {"red shirt": (RED, "shirt"), "red skirt": (RED, "skirt"), "orange shirt": ((40, 90, 200), "shirt")}
        ids = {
            name: wardrobe.add_photo(photo_factory(f"{name}.jpg", colour_bgr=colour, seed=n), category=kind).id
            for n, (name, (colour, kind)) in enumerate(drawn.items())
        }
        found = wardrobe.similar(ids["red shirt"], k=2)
        assert [m.item.id for m in found] == [ids["orange shirt"], ids["red skirt"]]  # the same kind first
        assert found[0].distance > found[1].distance  # though the skirt looks nearer
        assert found[0].match > found[1].match  # what is shown goes with the order
        assert all(0.0 < m.match <= 1.0 for m in found)  # on the scale of the worst score: no wall of 0 %
        for match in found:  # still (item, distance) for the callers that unpack it
            item, distance = match
            assert item is match.item and distance == match.distance
        free = wardrobe.similar(ids["red shirt"], k=2, same_category=False)  # the plain search: 1 - distance
        assert [m.item.id for m in free] == [ids["red skirt"], ids["orange shirt"]]
        assert [m.match for m in free] == pytest.approx([1.0 - m.distance for m in free])


def test_a_big_collections_index_is_saved_privately_reused_and_rebuilt_when_stale_or_damaged(
    closet: tuple[Wardrobe, dict[str, int]], photo_factory: PhotoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wardrobe_app.search.approximate import ApproximateIndex

    wardrobe, ids = closet
    search = wardrobe._similar_search()
    search.approximate_from = 3  # "big" from 3 items: the closet's 5 go through the approximate index
    expected = [item.id for item, _ in wardrobe.similar(ids["red shirt"], k=4, same_category=False)]
    path = search.index_path(1, search._classifier().version)  # type: ignore[union-attr]
    assert path.is_file() and path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.parent.parent == wardrobe.data_dir.resolve()

    builds: list[int] = []
    real_build = ApproximateIndex.build.__func__  # type: ignore[attr-defined]

    def counting_build(cls, ids, vectors, seed=0):  # type: ignore[no-untyped-def]
        builds.append(len(ids))
        return real_build(cls, ids, vectors, seed)

    monkeypatch.setattr(ApproximateIndex, "build", classmethod(counting_build))

    def fresh_search() -> list[int]:
        search.invalidate()  # as a new process would: the saved file is all that is left
        return [item.id for item, _ in wardrobe.similar(ids["red shirt"], k=4, same_category=False)]

    assert fresh_search() == expected and builds == []  # the saved index was checked and used
    path.write_bytes(b"\x00" * 64)  # damaged
    assert fresh_search() == expected and builds == [5]  # rebuilt (and saved again), no crash
    assert fresh_search() == expected and builds == [5]
    wardrobe.remove(ids["blue blob"])  # the next query updates the index in memory and saves it
    assert ids["blue blob"] not in [item.id for item, _ in wardrobe.similar(ids["red shirt"], k=4)]
    assert builds == [5]
    assert [i for i in fresh_search() if i == ids["blue blob"]] == [] and builds == [5]


def test_removing_a_catalogue_deletes_its_saved_index(
    data_dir: Path, tmp_path: Path, photo_factory: PhotoFactory
) -> None:
    wardrobe = Wardrobe.open(data_dir, classifier=FakeClassifier())
    shop = tmp_path / "photos" / "shop"
    for n, colour in enumerate((RED, BLUE, GREEN)):
        photo_factory(f"shop/p{n}.jpg", colour_bgr=colour, seed=n, shape="shirt")
    wardrobe.import_catalogue("shop", shop)
    search = wardrobe._similar_search()
    search.approximate_from = 2
    wardrobe.similar(tmp_path / "photos" / "shop" / "p0.jpg", k=2, collection="shop")
    saved = list((wardrobe.data_dir / "indexes").iterdir())
    assert len(saved) == 2  # the index and its sidecar
    wardrobe.remove_catalogue("shop")
    assert list((wardrobe.data_dir / "indexes").iterdir()) == []
    wardrobe.close()


def test_another_process_changes_reach_the_index_and_nothing_else_rescans(
    closet: tuple[Wardrobe, dict[str, int]], photo_factory: PhotoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    wardrobe, ids = closet
    search = wardrobe._similar_search()
    assert len(wardrobe.similar(ids["red shirt"], k=10)) == 4
    scans: list[int] = []
    real_scan = SimilarSearch._scan
    monkeypatch.setattr(SimilarSearch, "_scan", lambda self, *a: scans.append(1) or real_scan(self, *a))
    wardrobe.similar(ids["red shirt"], k=10)
    wardrobe.similar(ids["blue shirt"], k=10)
    assert scans == []  # nothing was committed: the collection is not scanned again
    with Wardrobe.open(wardrobe.data_dir, classifier=FakeClassifier()) as other:  # another process, say
        new = other.add_photo(photo_factory("other.jpg", colour_bgr=RED, seed=11, shape="shirt"))
        other.set_category(ids["green blob"], "hat")
    assert wardrobe.similar(ids["red shirt"], k=1)[0][0].id == new.id
    assert scans == [1]
    hats = wardrobe.similar(ids["red shirt"], k=5, group="accessory")
    assert [item.id for item, _ in hats] == [ids["green blob"]]
    search.close()  # let go of the file; the next query opens it again
    assert len(wardrobe.similar(ids["red shirt"], k=10)) == 5
