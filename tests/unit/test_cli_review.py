"""`wardrobe review`, `wardrobe set ID --confirm` and `wardrobe reclassify` on a closet a fake classifier labelled."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PhotoFactory
from tests.unit.conftest import CliRun
from tests.unit.services.review_fakes import LabelledFake
from wardrobe_app.services.wardrobe import Wardrobe

RED, BLUE = (40, 40, 200), (200, 50, 40)  # BGR


def _closet(data_dir: Path, photo_factory: PhotoFactory) -> tuple[int, int]:
    with Wardrobe.open(data_dir, classifier=LabelledFake()) as wardrobe:
        sure = wardrobe.add_photo(photo_factory("red.jpg", colour_bgr=RED, seed=1)).id
        unsure = wardrobe.add_photo(photo_factory("blue.jpg", colour_bgr=BLUE, seed=2, shape="blob")).id
    return sure, unsure


def test_review_lists_then_confirm_empties_it(run: CliRun, data_dir: Path, photo_factory: PhotoFactory) -> None:
    _sure, unsure = _closet(data_dir, photo_factory)
    code, out, err = run("review", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [i["id"] for i in listed] == [unsure] and listed[0]["needs_review"] and not listed[0]["confirmed"]
    code, out, err = run("review")
    assert code == 0 and "[needs review]" in out and "--confirm" in err
    code, out, _ = run("set", str(unsure), "--confirm")
    assert code == 0 and "[confirmed]" in out
    code, out, _ = run("review", "--json")
    assert json.loads(out) == []
    code, out, _ = run("review")
    assert "Nothing to review" in out
    code, out, _ = run("show", str(unsure), "--json")
    assert json.loads(out)["confirmed"] is True and json.loads(out)["category"] == "pants"


def test_confirm_and_category_together_is_refused(run: CliRun, data_dir: Path, photo_factory: PhotoFactory) -> None:
    _sure, unsure = _closet(data_dir, photo_factory)
    code, _out, err = run("set", str(unsure), "--confirm", "--category", "skirt")
    assert code == 2 and "not both" in err
    code, _out, err = run("set", "999", "--confirm")
    assert code == 1 and "999" in err


def test_reclassify_without_a_classifier_says_why(run: CliRun, data_dir: Path, photo_factory: PhotoFactory) -> None:
    _closet(data_dir, photo_factory)
    code, _out, err = run("reclassify")
    assert code == 1 and "cannot reclassify" in err
