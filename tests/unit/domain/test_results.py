"""Typed results of the model calls, readable by name too (the dicts they replace)."""

from __future__ import annotations

import pytest

from wardrobe_app.domain.results import ClassifierInfo, RankerState, RetrainResult


def test_a_retrain_result_is_typed_and_keyed() -> None:
    result = RetrainResult(version=3, ranker="personal", n_ratings=12, seconds=0.4, accuracy=0.75)
    assert result.version == result["version"] == 3 and result["accuracy"] == 0.75
    with pytest.raises(KeyError):
        result["nothing"]


def test_the_ranker_state_is_labelled_for_people_in_order() -> None:
    state = RankerState(10, 6, 3, 1, "personal v2 (trained on 10 ratings)", "2026-03-14 09:00", 2, 5)
    assert list(state.labelled()) == [
        "ratings so far",
        "likes / dislikes / worn",
        "ranker in use",
        "last retrain",
        "ratings since the last retrain",
    ]
    assert state["likes / dislikes / worn"] == "6 / 3 / 1" and state["ratings"] == 10
    assert state["ratings since the last retrain"] == "2 (retrains every 5)"


def test_classifier_info_without_a_shipped_model() -> None:
    info = ClassifierInfo(error="no trained garment classifier is installed")
    assert info.folder is None and not info.loaded and info["manifest"] == {}
