"""Closet life speed: a 300-item closet with two years of generated wear entries: `stats` (target <= 1 s),
the PNG plots, a month of the diary, a calendar month rendered (target <= 200 ms), planning a day,
versatility and clean-out, and packing for 7 days with two occasions (target <= 2 s, never more items
than the greedy baseline)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wardrobe_app.domain.diary import EntryKind  # noqa: E402
from wardrobe_app.recommend.samples import synthetic_closet  # noqa: E402
from wardrobe_app.services.wardrobe import Wardrobe  # noqa: E402

COUNTS = {"top": 120, "middle": 90, "full": 30, "bottom": 60}  # 300 items
OCCASIONS = ("casual", "work", "casual", "work", "party", "date", "sport", "formal")


def fill(wardrobe: Wardrobe, rng: np.random.Generator) -> dict[str, list[int]]:
    """The synthetic items written straight into the closet (no photos: speed only), 70% with a price."""
    from wardrobe_app.db.tables import ItemColourRow, ItemRow

    ids: dict[str, list[int]] = {slot: [] for slot in COUNTS}
    with wardrobe.sessions.begin() as session:
        for item in synthetic_closet(rng, COUNTS):
            colour = item.colours[0]
            row = ItemRow(
                content_hash=item.content_hash,
                photo_path=f"photos/{item.id}.jpg",
                category=item.category,
                group=item.group.value if item.group else None,
                added_at=datetime.now(),
                corrected=True,
                price=round(float(rng.uniform(5, 200)), 2) if rng.random() < 0.7 else None,
                colours=[
                    ItemColourRow(
                        rank=0,
                        name=colour.name,
                        hex=colour.hex,
                        hue=colour.hsv[0],
                        saturation=colour.hsv[1],
                        value=colour.hsv[2],
                        share=1.0,
                    )
                ],
            )
            session.add(row)
            session.flush()
            ids[item.group.value if item.group else "top"].append(row.id)
    return ids


def wear_two_years(wardrobe: Wardrobe, ids: dict[str, list[int]], rng: np.random.Generator, end: date) -> int:
    """An outfit on 9 days in 10 for two years (favourites worn more: Zipf-like picks)."""
    diary = wardrobe._diary()

    def pick(slot: str) -> int:
        pool = ids[slot]
        return pool[min(int(rng.zipf(1.6)) - 1, len(pool) - 1) if rng.random() < 0.6 else rng.integers(len(pool))]

    n = 0
    for offset in range(730, 0, -1):
        if rng.random() < 0.1:
            continue
        outfit = [pick("full")] if rng.random() < 0.15 else [pick("top"), pick("middle")]
        diary.record(
            [*outfit, pick("bottom")],
            end - timedelta(days=offset),
            OCCASIONS[rng.integers(len(OCCASIONS))],
            EntryKind.WORN,
        )
        n += 1
    return n


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def calendar_month(wardrobe: Wardrobe, today: date, repeat: int) -> None:
    """Read a month (the diary, thumbnails, labels) and paint the calendar's 42 cells off-screen."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from wardrobe_app.ui.calendar_view import DiaryCalendar, gather_month, shown_span
    from wardrobe_app.ui.item_models import ThumbnailCache

    app = QApplication.instance() or QApplication([])
    calendar = DiaryCalendar(ThumbnailCache())
    calendar.resize(1000, 740)
    month = today.replace(day=1) - timedelta(days=20)
    calendar.setCurrentPage(month.year, month.month)

    def render() -> object:
        calendar.set_data(gather_month(wardrobe, *shown_span(month.year, month.month)))
        return calendar.grab()

    render()  # first paint: fonts and styles
    seconds, _ = timed(render, repeat)
    app.processEvents()
    print(
        f"calendar month:   {seconds * 1000:7.1f} ms  (target <= 200 ms; read + paint 42 cells, "
        f"{sum(len(v) for v in calendar.by_day.values())} entries)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-gui", action="store_true", help="skip the calendar rendering (no Qt)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp, Wardrobe.open(Path(tmp) / "closet", classifier="none") as wardrobe:
        start = time.perf_counter()
        ids = fill(wardrobe, rng)
        entries = wear_two_years(wardrobe, ids, rng, today)
        print(
            f"closet: {sum(map(len, ids.values()))} items, {entries} worn entries over two years "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )

        seconds, stats = timed(wardrobe.stats, args.repeat)
        print(
            f"stats:            {seconds * 1000:7.1f} ms  (target <= 1000 ms)  "
            f"{stats.outfits_worn} outfits, {sum(i.wears for i in stats.items)} item-wears"
        )  # type: ignore[attr-defined]
        from wardrobe_app.services.stats_plots import write_plots

        seconds, _ = timed(lambda: write_plots(wardrobe.stats(), Path(tmp) / "plots"), 1)
        print(f"stats + 4 PNGs:   {seconds * 1000:7.1f} ms")
        first = today.replace(day=1) - timedelta(days=40)
        month = (first.replace(day=1), first.replace(day=28))
        seconds, found = timed(lambda: wardrobe.diary(*month), args.repeat)
        print(f"a month of diary: {seconds * 1000:7.1f} ms  ({len(found)} entries)")  # type: ignore[arg-type]
        if not args.no_gui:
            calendar_month(wardrobe, today, args.repeat)
        day = today + timedelta(days=1)
        seconds, _ = timed(lambda: wardrobe.plan(day, "work"), 1)
        print(f"plan a day:       {seconds * 1000:7.1f} ms  (first call: loads the ranker)")
        seconds, _ = timed(lambda: wardrobe.plan(day + timedelta(days=1), "work"), 1)
        print(f"plan another day: {seconds * 1000:7.1f} ms")
        packing(wardrobe, args.repeat)


def packing(wardrobe: Wardrobe, repeat: int) -> None:
    """Versatility, clean-out, and packing trips against the greedy baseline."""
    seconds, found = timed(wardrobe.versatility, 1)
    print(f"versatility:      {seconds * 1000:7.1f} ms  ({sum(found.per_occasion.values())} good outfits, 6 occasions)")  # type: ignore[attr-defined]
    seconds, found = timed(wardrobe.cleanout, 1)
    print(f"clean-out:        {seconds * 1000:7.1f} ms  ({len(found)} candidates)")  # type: ignore[arg-type]
    for days, occasions, weather in (
        (7, "work,casual", None),
        (7, "work:5,casual:2", "cold"),
        (14, "casual,party", None),
    ):
        seconds, plan = timed(lambda: wardrobe.pack(days, occasions, weather), repeat)  # noqa: B023
        print(
            f"pack {days:>2} days {occasions:<16} {weather or 'any':<5}: {seconds * 1000:7.1f} ms"
            f"{'  (target <= 2000 ms)' if days == 7 else ''}  {len(plan.items)} items, "  # type: ignore[attr-defined]
            f"greedy baseline {plan.greedy_items} items, {plan.candidates} ranked outfits"  # type: ignore[attr-defined]
        )


if __name__ == "__main__":
    main()
