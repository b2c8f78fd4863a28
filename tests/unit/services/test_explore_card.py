"""The exploration card through the facade: shown after some ratings, its rating kept apart to recalibrate."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from tests.unit.services.drawn_closet import draw
from tests.unit.services.test_outfits import CLOSET
from wardrobe_app.db.tables import FeedbackRow
from wardrobe_app.recommend.engine import id_key
from wardrobe_app.recommend.explore import EXPLORE_AFTER, EXPLORE_REASON
from wardrobe_app.recommend.personal import fit_taste
from wardrobe_app.services import outfits as outfits_service


def test_the_card_is_rated_like_any_other_and_recalibrates_without_teaching(wardrobe) -> None:  # type: ignore[no-untyped-def]
    draw(wardrobe, CLOSET)
    assert not any(o.explore for o in wardrobe.suggest("casual", k=5, explore_card=True))  # no ratings yet
    for n, outfit in enumerate(wardrobe.suggest("casual", k=EXPLORE_AFTER)):
        wardrobe.feedback(outfit, "casual", liked=n % 2 == 0)
    board = wardrobe.suggest("casual", k=5, explore_card=True)
    *best, card = board
    assert len(best) == 5 and not any(o.explore for o in best) and card.explore
    assert card.reasons[0] == EXPLORE_REASON and card.to_json()["explore"] is True
    assert best[0].to_json()["explore"] is False
    assert len(wardrobe.suggest("casual", k=5)) == 5  # not asked: no card

    service = wardrobe._outfits()
    before = service.taste()
    wardrobe.feedback(card, "casual", liked=True)
    with wardrobe.session() as session:
        flags = session.scalars(select(FeedbackRow.explore).order_by(FeedbackRow.id)).all()
    assert flags[-1] is True and not any(flags[:-1])
    assert len(service.ratings()) == EXPLORE_AFTER and len(service.ratings(explored=True)) == 1
    after = service.taste()
    np.testing.assert_array_equal(after.mean, fit_taste(service.ratings()).mean)  # the taste did not learn it
    np.testing.assert_array_equal(after.mean, before.mean)
    assert before.recalibration == (0.0, 1.0) and after.recalibration != (0.0, 1.0)
    assert service.predict([card], "casual", after)[0] > service.predict([card], "casual", before)[0]
    assert card.item_ids not in {o.item_ids for o in wardrobe.suggest("casual", k=5, explore_card=True)}


def test_the_outfits_rated_for_the_occasion_reach_the_card(wardrobe, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The facade tells the board which outfits were rated for the occasion (the card draws none of them)."""
    draw(wardrobe, CLOSET)
    rated = wardrobe.suggest("casual", k=EXPLORE_AFTER)
    for n, outfit in enumerate(rated):
        wardrobe.feedback(outfit, "casual", liked=n % 2 == 0)
    wardrobe.feedback(wardrobe.suggest("work", k=1)[0], "work", liked=True)
    seen: list[object] = []
    real = outfits_service.build_board

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs.get("rated"))
        return real(*args, **kwargs)

    monkeypatch.setattr(outfits_service, "build_board", spy)
    wardrobe.suggest("casual", k=5, explore_card=True)
    assert seen[-1] == {id_key(o) for o in rated}  # this occasion's only
    wardrobe.suggest("casual", k=5)
    assert seen[-1] is None  # no card asked: nothing to look up
