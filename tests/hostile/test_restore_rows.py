"""Backups whose newer tables (tags, clean-out, diary, plans, laundry rules, ratings, outfits) are hostile or damaged.

Every such archive is refused with a clear error before anything is replaced (the closet stays as it was), and
a closet using all of these tables round-trips exactly, row for row.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import PhotoFactory
from tests.hostile.conftest import restore_interrupted_at
from tests.hostile.test_restore import _refused, _tampered
from wardrobe_app.db.engine import DB_FILENAME
from wardrobe_app.services.wardrobe import Wardrobe


def _rows(data_dir: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: what a round trip must keep exactly."""
    with sqlite3.connect(data_dir / DB_FILENAME) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if name != "sqlite_sequence"
        ]
        return {t: sorted(connection.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


@pytest.fixture
def lived_in(small_closet: Wardrobe, photo_factory: PhotoFactory) -> Wardrobe:
    """The small closet used for a while: tags, a brand, a diary and a plan, laundry, ratings, clean-out."""
    w = small_closet
    shirt, jeans, sneakers = (i.id for i in w.items())
    jacket = w.add_photo(photo_factory("jacket.jpg", seed=7, colour_bgr=(30, 30, 30)), category="jacket").id
    hat = w.add_photo(photo_factory("hat.jpg", seed=8, colour_bgr=(90, 20, 200)), category="hat").id
    w.update_item(shirt, tags=["gift", "needs ironing"], brand="Acme & Co", name="Blue shirt", notes="line 1\nline 2")
    w.update_item(jeans, tags=["work"], price=49.5, purchased_on="2024-03-01", season="winter", formality=2)
    outfit = w.outfit([shirt, jeans, sneakers, jacket, hat])
    w.feedback(outfit, "casual", True)
    w.feedback(w.outfit([shirt, jeans, sneakers]), "work", False)
    w.wore(outfit, "casual")
    w.wear([shirt, jeans, sneakers], "work", "2026-01-05")
    w.plan(date.today() + timedelta(days=3), "casual", item_ids=[shirt, jeans, sneakers])
    w.set_laundry_rule("jeans", 3)
    w.set_status([sneakers], "repair")
    w.dismiss_cleanout([hat])
    w.remove(jacket)  # in the trash, still in the backup
    return w


def test_a_lived_in_closet_round_trips_exactly(lived_in: Wardrobe, tmp_path: Path) -> None:
    before = _rows(lived_in.data_dir)
    assert all(before[t] for t in ("item_tags", "cleanout_dismissals", "wear_entries", "laundry_rules", "feedback"))
    archive = lived_in.export(tmp_path / "lived-in.zip")
    lived_in.update_item(lived_in.items()[0].id, tags=["changed"])
    lived_in.restore(archive)
    assert _rows(lived_in.data_dir) == before
    assert lived_in.doctor().healthy


FIRST_OUTFIT = " WHERE id = (SELECT MIN(id) FROM outfits)"
#: What an earlier version left when a liked outfit's layer was emptied from the trash.
OUTFIT_OF_AN_EMPTIED_LAYER = (
    "UPDATE outfits SET key = ifnull(top_id, '') || '|' || ifnull(middle_id, '') || '|' || ifnull(bottom_id, '')"
    " || '|' || ifnull(full_id, '') || '|999|'" + FIRST_OUTFIT
)
HOSTILE_ROWS = {
    # tags
    "tag of a missing item": ("INSERT INTO item_tags VALUES (999, 'ghost')", "missing row of items"),
    "huge tag": ("INSERT INTO item_tags VALUES (1, printf('%.100000c', 'x'))", "characters"),
    "empty tag": ("INSERT INTO item_tags VALUES (1, '  ')", "characters"),
    "tag of the wrong type": ("INSERT INTO item_tags VALUES (1, X'00ff')", "not text"),
    "too many tags": (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
        "INSERT INTO item_tags SELECT 1, 't' || i FROM n",
        "at most 30",
    ),
    "duplicate tags": (
        "DROP TABLE item_tags; CREATE TABLE item_tags (item_id INTEGER, tag VARCHAR(40));"
        "INSERT INTO item_tags VALUES (1, 'twice'), (1, 'twice')",
        "appears 2 times",
    ),
    # clean-out
    "dismissal of a missing item": (
        "INSERT INTO cleanout_dismissals VALUES (999, '2026-01-01 00:00:00')",
        "missing row of items",
    ),
    "dismissal at no time": ("INSERT INTO cleanout_dismissals VALUES (1, 'garbage')", "not a time"),
    "dismissal time of the wrong type": ("INSERT INTO cleanout_dismissals VALUES (1, 12345)", "not a time"),
    "tag of an item id that is text": (
        "DROP TABLE item_tags; CREATE TABLE item_tags (item_id, tag);INSERT INTO item_tags VALUES ('1', 'gift')",
        "not an item id",
    ),
    "dismissal of an item id that is text": (
        "DROP TABLE cleanout_dismissals; CREATE TABLE cleanout_dismissals (item_id, dismissed_at);"
        "INSERT INTO cleanout_dismissals VALUES ('../1', '2026-01-01 00:00:00')",
        "not an item id",
    ),
    "dismissal of a missing item, its key dropped": (
        "DROP TABLE cleanout_dismissals; CREATE TABLE cleanout_dismissals (item_id INTEGER, dismissed_at DATETIME);"
        "INSERT INTO cleanout_dismissals VALUES (999, '2026-01-01 00:00:00')",
        "missing row of items",
    ),
    "tag of a missing item, its key dropped": (
        "DROP TABLE item_tags; CREATE TABLE item_tags (item_id INTEGER, tag VARCHAR(40));"
        "INSERT INTO item_tags VALUES (999, 'ghost')",
        "missing row of items",
    ),
    "duplicate dismissals": (
        "DROP TABLE cleanout_dismissals; CREATE TABLE cleanout_dismissals (item_id INTEGER, dismissed_at DATETIME);"
        "INSERT INTO cleanout_dismissals VALUES (1, '2026-01-01 00:00:00'), (1, '2026-01-02 00:00:00')",
        "appears 2 times",
    ),
    # wear diary and plans
    "diary day that is no date": ("UPDATE wear_entries SET day = 'someday'", "not a date"),
    "diary day as a path": ("UPDATE wear_entries SET day = '/etc/passwd'", "not a date"),
    "diary occasion unknown": ("UPDATE wear_entries SET occasion = '../../x'", "unknown occasion"),
    "diary kind unknown": ("UPDATE wear_entries SET kind = 'maybe'", "neither worn nor planned"),
    "diary line of a missing item": (
        "UPDATE wear_entry_items SET item_id = 999 WHERE rowid = (SELECT MIN(rowid) FROM wear_entry_items)",
        "missing row of items",
    ),
    "diary line of a missing entry": ("INSERT INTO wear_entry_items VALUES (999, 1, 0)", "missing row of wear_entries"),
    "diary position absurd": ("UPDATE wear_entry_items SET position = -5", "position"),
    "diary positions twice": ("UPDATE wear_entry_items SET position = 0", "appears"),
    # laundry rules
    "laundry rule of no category": ("INSERT INTO laundry_rules VALUES ('banana', 3)", "unknown category"),
    "laundry rule of zero wears": ("UPDATE laundry_rules SET wears = 0", "wears is not 1 to"),
    "laundry rule of 10**15 wears": ("UPDATE laundry_rules SET wears = 1000000000000000", "wears is not 1 to"),
    "laundry rule of text wears": ("UPDATE laundry_rules SET wears = 'often'", "wears is not 1 to"),
    # ratings and outfits
    "rating of 5": ("UPDATE feedback SET rating = 5.0", "not a like, dislike or wear"),
    "rating infinite": ("UPDATE feedback SET rating = 1e999", "not a like, dislike or wear"),
    "rating source unknown": ("UPDATE feedback SET source = 'hack'", "not a like, dislike or wear"),
    "rating of a missing outfit": ("UPDATE feedback SET outfit_id = 999", "missing row of outfits"),
    "exploration mark neither yes nor no": ("UPDATE feedback SET explore = 'maybe'", "exploration mark"),
    "exploration mark of 2": ("UPDATE feedback SET explore = 2", "exploration mark"),
    "outfit key not naming its pieces": (
        "UPDATE outfits SET key = '9|9|9|9'" + FIRST_OUTFIT,
        "does not name its pieces",
    ),
    "outfit key as a path": ("UPDATE outfits SET key = '../../etc'" + FIRST_OUTFIT, "not an outfit key"),
    # items' own newer columns
    "brand of a megabyte": ("UPDATE items SET brand = printf('%.1000000c', 'b') WHERE id = 1", "brand is not text"),
    "name of the wrong type": ("UPDATE items SET name = X'deadbeef' WHERE id = 1", "name is not text"),
    "status unknown": ("UPDATE items SET status = 'stolen'", "unknown status"),
    "wears since wash negative": ("UPDATE items SET wears_since_wash = -1", "not a count"),
    "price infinite": ("UPDATE items SET price = 1e999 WHERE id = 2", "price"),
    "trashed at no time": ("UPDATE items SET trashed_at = 'soon' WHERE id = 1", "not a time"),
    "archived neither yes nor no": ("UPDATE items SET archived = 7", "yes/no"),
    "shop kind of two lines": ("UPDATE items SET shop_kind = 'Tops\nrm -rf' WHERE id = 1", "shop kind"),
    "shop kind of a megabyte": ("UPDATE items SET shop_kind = printf('%.1000000c', 'k') WHERE id = 1", "shop kind"),
    "shop kind empty": ("UPDATE items SET shop_kind = '' WHERE id = 1", "shop kind"),
    "feature vector of the wrong length": ("UPDATE item_features SET dim = dim + 1", "does not hold"),
    "ranker metrics nested 200,000 deep": (
        "INSERT INTO ranker_versions (version, path, trained_at, n_ratings, last_feedback_id, active, metrics_json)"
        " VALUES (77, 'ranker/v77', '2026-01-01 00:00:00', 0, 0, 0, printf('%.200000c', '['))",
        "metrics are not a JSON object",
    ),
    # code that would run on the app's own later writes
    "trigger deleting every item": (
        "CREATE TRIGGER wipe AFTER INSERT ON items BEGIN DELETE FROM items; END",
        "trigger",
    ),
    "view": ("CREATE VIEW v AS SELECT * FROM items", "view"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ROWS))
def test_hostile_rows_of_the_newer_tables_are_refused_and_change_nothing(
    lived_in: Wardrobe, tmp_path: Path, case: str
) -> None:
    sql, match = HOSTILE_ROWS[case]
    good = lived_in.export(tmp_path / "good.zip")
    before = _rows(lived_in.data_dir)
    bad = _tampered(good, tmp_path / "bad.zip", sql)
    _refused(lived_in, bad, match)
    assert _rows(lived_in.data_dir) == before


def test_emptying_a_layer_from_the_trash_drops_its_outfits_and_the_closet_still_exports(
    lived_in: Wardrobe, tmp_path: Path
) -> None:
    """The layer and accessory of an outfit live only in its key: emptying them left outfits naming items that
    are gone (and so a closet whose export no restore would take)."""
    hat = next(i for i in lived_in.items() if i.category == "hat")
    jacket = next(i for i in lived_in.trash() if i.category == "jacket")
    lived_in.remove(hat.id)
    lived_in.empty_trash()
    gone = {str(hat.id), str(jacket.id)}
    keys = [row[1] for row in _rows(lived_in.data_dir)["outfits"]]
    assert keys and not [key for key in keys if gone & set(str(key).split("|"))]
    assert lived_in.doctor().healthy
    archive = lived_in.export(tmp_path / "after-emptying.zip")
    before = _rows(lived_in.data_dir)
    lived_in.restore(archive)
    assert _rows(lived_in.data_dir) == before


def test_an_older_backup_with_outfits_of_an_emptied_layer_restores_without_them(
    lived_in: Wardrobe, tmp_path: Path
) -> None:
    """Backups made before emptying dropped such outfits must still restore: those outfits (and their ratings)
    are left out, everything else comes back."""
    good = lived_in.export(tmp_path / "good.zip")
    before = _rows(lived_in.data_dir)
    old = _tampered(good, tmp_path / "older.zip", OUTFIT_OF_AN_EMPTIED_LAYER)
    lived_in.update_item(lived_in.items()[0].id, tags=["changed"])
    lived_in.restore(old)
    after = _rows(lived_in.data_dir)
    first = min(row[0] for row in before["outfits"])
    assert [row for row in after["outfits"]] == [row for row in before["outfits"] if row[0] != first]
    assert after["items"] == before["items"] and after["item_tags"] == before["item_tags"]
    assert lived_in.doctor().healthy


def test_legacy_tags_and_long_catalogue_names_do_not_block_backups(lived_in: Wardrobe, tmp_path: Path) -> None:
    """Tags and catalogue names an earlier version accepted (path-like, capitals, a line break, 250 characters)
    must not make the closet unexportable or its backups unrestorable."""
    with sqlite3.connect(lived_in.data_dir / DB_FILENAME) as connection:
        connection.execute(
            "INSERT INTO item_tags VALUES (1, '~cozy'), (1, 'x:/y'), (1, 'Gift'), (1, 'a' || char(10) || 'b')"
        )
        connection.execute(
            "INSERT INTO collections (name, kind, source, created_at)"
            " VALUES (?, 'catalogue', NULL, '2026-01-01 00:00:00')",
            ("n" * 250,),
        )
    before = _rows(lived_in.data_dir)
    archive = lived_in.export(tmp_path / "legacy.zip")
    lived_in.update_item(lived_in.items()[0].id, tags=["changed"])
    lived_in.restore(archive)
    assert _rows(lived_in.data_dir) == before


def test_doctor_repairs_outfits_left_naming_an_item_that_is_gone(lived_in: Wardrobe, tmp_path: Path) -> None:
    """A closet emptied by an earlier version keeps such outfits: doctor says so and repairs it."""
    with sqlite3.connect(lived_in.data_dir / DB_FILENAME) as connection:
        connection.execute(OUTFIT_OF_AN_EMPTIED_LAYER)
    report = lived_in.doctor()
    assert any("not in the closet" in problem for problem in report.problems)
    repaired = lived_in.doctor(repair=True)
    assert any("outfits" in line for line in repaired.repaired)
    assert lived_in.doctor().healthy
    lived_in.export(tmp_path / "repaired.zip")


def test_outfit_settings_travel_in_a_backup(lived_in: Wardrobe, tmp_path: Path) -> None:
    """The hemisphere (the season follows it) was left out of backups: a restore on a new computer lost it."""
    lived_in.set_outfit_settings(hemisphere="south", rest_ratings=12)
    archive = lived_in.export(tmp_path / "with-settings.zip")
    lived_in.set_outfit_settings(hemisphere="north", rest_ratings=40)
    lived_in.restore(archive)
    settings = lived_in.outfit_settings()
    assert (settings["hemisphere"], settings["rest_ratings"]) == ("south", 12)
    assert oct((lived_in.data_dir / "outfit_settings.json").stat().st_mode & 0o777) == "0o600"


def test_an_older_backup_without_settings_keeps_the_current_ones(lived_in: Wardrobe, tmp_path: Path) -> None:
    lived_in.set_outfit_settings(hemisphere="north")
    older = _tampered(lived_in.export(tmp_path / "new.zip"), tmp_path / "older.zip", drop=("outfit_settings.json",))
    lived_in.set_outfit_settings(hemisphere="south")
    lived_in.restore(older)
    assert lived_in.outfit_settings()["hemisphere"] == "south"


@pytest.mark.parametrize(
    "content",
    [
        b'{"hemisphere": "mars"}',
        b'{"rest_ratings": -4}',
        b'{"rest_ratings": 1e999}',
        b"[]",
        b"not json",
        b'{"hemisphere": "south", "path": "../../../etc/passwd"}',
        b'{"hemisphere": "' + b"s" * 100_000 + b'"}',
    ],
)
def test_hostile_outfit_settings_in_a_backup_are_refused(lived_in: Wardrobe, tmp_path: Path, content: bytes) -> None:
    lived_in.set_outfit_settings(hemisphere="south")
    good = lived_in.export(tmp_path / "good.zip")
    bad = _tampered(good, tmp_path / "bad.zip", drop=("outfit_settings.json",), extra={"outfit_settings.json": content})
    _refused(lived_in, bad, "outfit_settings.json is damaged")
    assert lived_in.outfit_settings()["hemisphere"] == "south"


def test_settings_are_put_back_when_the_swap_is_interrupted(
    lived_in: Wardrobe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lived_in.set_outfit_settings(hemisphere="north")
    archive = lived_in.export(tmp_path / "north.zip")
    lived_in.set_outfit_settings(hemisphere="south", rest_ratings=7)
    # the 12th rename comes after the settings file was moved aside (database, 3 files... then the rest)
    restore_interrupted_at(lived_in, archive, 12, monkeypatch)
    settings = lived_in.outfit_settings()
    assert (settings["hemisphere"], settings["rest_ratings"]) == ("south", 7)
