"""The typed seam: ClosetOp announces its Change, ClosetQuery changes nothing, the feed sends only new items."""

from __future__ import annotations

import pytest

from tests.gui.conftest import open_window, wait_for_import
from wardrobe_app.domain import Change, ItemNotFoundError
from wardrobe_app.ui import import_worker
from wardrobe_app.ui.ops import ClosetOp, ClosetQuery


def test_an_op_runs_its_callable_and_announces_its_change(qtbot, window, photo_factory) -> None:
    window.add_paths([str(photo_factory("a.jpg", seed=1)), str(photo_factory("b.jpg", seed=2))], "shirt")
    wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    first = window.model.items()[0].id
    announced: list[Change] = []
    results: list[Change] = []
    window.session.closet_changed.connect(announced.append)
    ClosetOp(window.session, lambda w: w.remove(first)).success(results.append).run_in_background()
    qtbot.waitUntil(lambda: bool(announced))
    assert results == [Change(removed=(first,))]
    assert announced == results  # the success callback ran first, then every view heard of it
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)  # the grid took the change through closet_changed
    assert window.model.row_of(first) < 0


def test_a_query_changes_nothing_and_a_failure_goes_to_its_own_callback(qtbot, window) -> None:
    announced: list[Change] = []
    errors: list[BaseException] = []
    window.session.closet_changed.connect(announced.append)
    ClosetQuery(window.session, lambda w: w.item(4242)).failure(errors.append).run_in_background()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ItemNotFoundError)
    counts: list[dict[str, int]] = []
    ClosetQuery(window.session, lambda w: w.counts()).success(counts.append).run_in_background()
    qtbot.waitUntil(lambda: bool(counts))
    assert counts[0]["all"] == 0 and announced == []
    assert window.findChild(object, "errorDialog") is None  # a failure callback replaces the dialog


def test_the_import_feed_sends_the_items_added_not_the_closet(
    qtbot, data_dir, settings, photo_factory, fake_classifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_worker, "FEED_SECONDS", 0.0)  # feed after every photo
    window = open_window(qtbot, data_dir, settings, classifier=fake_classifier)
    assert window.import_process is None  # the worker-thread import (the helper process is tested elsewhere)
    window.add_paths([str(photo_factory("old.jpg", seed=1))])
    wait_for_import(qtbot, window)
    old = window.model.items()[0].id
    fed: list[list[int]] = []
    window.import_feed.items.connect(lambda items: fed.append([i.id for i in items]))
    window.last_summary = None
    window.add_paths([str(photo_factory(f"new{n}.jpg", seed=n + 2)) for n in range(3)])
    wait_for_import(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    sent = [i for batch in fed for i in batch]
    assert fed and old not in sent and len(sent) == len(set(sent))  # each new item once, never the closet
    new = {i.id for i in window.model.items()} - {old}
    assert len(new) == 3 and set(sent) <= new
    window.close()


def test_run_announces_what_a_write_changed_and_nothing_for_a_read(qtbot, window, photo_factory) -> None:
    window.add_paths([str(photo_factory("a.jpg", seed=1))], "shirt")
    wait_for_import(qtbot, window)
    item_id = window.model.items()[0].id
    announced: list[Change] = []
    window.session.closet_changed.connect(announced.append)
    read: list[object] = []
    window.session.run(lambda w: w.item(item_id), done=read.append)
    qtbot.waitUntil(lambda: bool(read))
    assert announced == []  # reading an item changes nothing
    window.session.run(lambda w: w.set_status([item_id], "laundry"), done=read.append)
    qtbot.waitUntil(lambda: bool(announced))
    assert announced == [Change(updated=(item_id,))]
    qtbot.waitUntil(lambda: window.model.items()[0].status == "laundry")  # the grid reread the item
