"""The ``wardrobe`` commands of closet life: wore, log, plan, status, laundry-rule and stats."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from wardrobe_app.cli_common import Command, open_closet
from wardrobe_app.domain import WardrobeError, category_name
from wardrobe_app.domain.diary import DiaryChange, ItemStatus, WearEntry, parse_day, parse_status
from wardrobe_app.services.data_dir import outside_closet


def _entry_line(entry: WearEntry, labels: dict[int, str]) -> str:
    items = " + ".join(f"{labels.get(i, 'removed item')} ({i})" for i in entry.item_ids) or "(its items were removed)"
    return f"{entry.day.isoformat()}  {entry.kind.value:<7}  {entry.occasion:<7}  {items}   [entry {entry.id}]"


def _entry_json(entry: WearEntry, labels: dict[int, str]) -> dict[str, Any]:
    return {**entry.to_json(), "labels": [labels.get(i) for i in entry.item_ids]}


def _labels(wardrobe: Any) -> dict[int, str]:
    return {i.id: i.label for i in wardrobe.items(include_archived=True)}


def _say_laundry(change: DiaryChange, labels: dict[int, str]) -> None:
    for item_id in change.to_laundry:
        print(
            f"note: {labels.get(item_id, 'item')} ({item_id}) goes to the laundry now (its category's rule); "
            f"it is left out of suggestions until `wardrobe status {item_id} available`",
            file=sys.stderr,
        )


# -- diary -------------------------------------------------------------------------------------------
def cmd_wore(args: argparse.Namespace) -> int:
    day = parse_day(args.date) if args.date else date.today()
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        change = wardrobe.wear(args.ids, occasion=args.occasion, day=day)
        labels = _labels(wardrobe)
        if args.json:
            print(
                json.dumps(
                    {
                        **_entry_json(change.entry, labels),
                        "from_plan": change.from_plan,
                        "to_laundry": list(change.to_laundry),
                    }
                )
            )
        else:
            print(("wore the plan: " if change.from_plan else "wore: ") + _entry_line(change.entry, labels))
        _say_laundry(change, labels)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    start = parse_day(args.start) if args.start else None
    end = parse_day(args.end) if args.end else None
    if start and end and start > end:
        raise WardrobeError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        entries = wardrobe.diary(start, end)
        labels = _labels(wardrobe)
    if args.json:
        print(json.dumps([_entry_json(e, labels) for e in entries]))
    elif not entries:
        print("Nothing in the diary for these days. Log an outfit with: wardrobe wore ID... [--date YYYY-MM-DD]")
    else:
        for entry in entries:
            print(_entry_line(entry, labels))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    day = parse_day(args.date)
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        change = wardrobe.plan(day, args.occasion, with_item=args.with_item)
        labels = _labels(wardrobe)
    outfit = change.outfit
    if args.json:
        print(
            json.dumps(
                {
                    **_entry_json(change.entry, labels),
                    "score": None if outfit is None else round(float(outfit.score), 4),
                    "reasons": [] if outfit is None else list(outfit.reasons),
                }
            )
        )
        return 0
    print("planned: " + _entry_line(change.entry, labels))
    for reason in () if outfit is None else outfit.reasons:
        print(f"     - {reason}")
    return 0


# -- status and laundry ------------------------------------------------------------------------------
def cmd_status(args: argparse.Namespace) -> int:
    status = parse_status(args.status)  # before opening: a wrong word changes nothing
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        change = wardrobe.set_status(args.ids, status)
        labels = _labels(wardrobe)
    for item_id in change.updated:
        print(f"{labels.get(item_id, '')} ({item_id}): {status.phrase}")
    return 0


def cmd_laundry_rule(args: argparse.Namespace) -> int:
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        if args.category is not None:
            if args.wears is None:
                raise WardrobeError("say after how many wears, or `off`: wardrobe laundry-rule CATEGORY N|off")
            wears = None if args.wears.strip().lower() == "off" else _whole(args.wears)
            wardrobe.set_laundry_rule(args.category, wears)
        rules = wardrobe.laundry_rules()
    if not rules:
        print("No laundry rules: items stay available however often they are worn.")
    for category, wears in rules.items():
        print(f"{category_name(category):<16} to the laundry after {wears} wear{'s' if wears != 1 else ''}")
    return 0


def _count(n: int, noun: str) -> str:
    """ "1 wear", "2 wears" """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise WardrobeError(f"{text!r} is not a number of wears (or `off`)") from None


# -- statistics --------------------------------------------------------------------------------------
def cmd_stats(args: argparse.Namespace) -> int:
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        folder = outside_closet(wardrobe.data_dir, args.png, "the plots folder") if args.png else None
        stats = wardrobe.stats()
    written: list[Path] = []
    if folder is not None:
        from wardrobe_app.services.stats_plots import write_plots

        written = write_plots(stats, folder)
    if args.json:
        print(json.dumps({**stats.to_json(), "png": [str(p) for p in written]}))
        return 0
    span = f" from {stats.first_day} to {stats.last_day}" if stats.first_day else ""
    if stats.first_day is not None and stats.first_day == stats.last_day:
        span = f" on {stats.first_day}"
    print(f"{_count(len(stats.items), 'item')}, {_count(stats.outfits_worn, 'outfit')} worn{span}")

    def show(title: str, rows: tuple[Any, ...], cost: bool = False) -> None:
        if rows:
            print(f"{title}:")
        for r in rows:
            extra = f"  {r.cost_per_wear:.2f} per wear (price {r.price:.2f})" if cost else ""
            print(f"  {r.wears:>4} {'wear ' if r.wears == 1 else 'wears'}  {r.label} ({r.item_id}){extra}")

    show("most worn", stats.most_worn)
    show("least worn", stats.least_worn)
    show("best value", stats.best_value, cost=True)
    show("worst value", stats.worst_value, cost=True)
    if stats.never_worn:
        print(
            f"never worn: {len(stats.never_worn)} items ({', '.join(str(i.item_id) for i in stats.never_worn[:20])}"
            f"{' ...' if len(stats.never_worn) > 20 else ''})"
        )
    print("colours: " + ", ".join(f"{c.name} {c.share:.0%}" for c in stats.colour_mix[:8]))
    print("categories: " + ", ".join(f"{category_name(c)} {n} ({_count(w, 'wear')})" for c, n, w in stats.categories))
    print("occasions: " + ", ".join(f"{o} {n} items suit, {w} worn" for o, n, w in stats.occasions))
    for path in written:
        print(f"wrote {path}")
    return 0


# -- parser --------------------------------------------------------------------------------------------
def register(command: Command) -> None:
    """Add these commands to the ``wardrobe`` parser (``command(name, handler, help)`` makes a subparser)."""
    p = command("wore", cmd_wore, "log an outfit you wore (its item ids) in the diary, and rate it 'wore'")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day it was worn (default today)")
    p.add_argument("--occasion", default="casual", help="casual, work, formal, party, date or sport (default casual)")
    p.add_argument("--json", action="store_true")

    p = command("log", cmd_log, "the wear diary: outfits worn and planned, by day")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")

    p = command("plan", cmd_plan, "plan a day's outfit: the best suggestion for the occasion goes in the diary")
    p.add_argument("date", metavar="YYYY-MM-DD")
    p.add_argument("--occasion", required=True)
    p.add_argument("--with", dest="with_item", type=int, metavar="ID", help="build the outfit around this item")
    p.add_argument("--json", action="store_true")

    p = command("status", cmd_status, "say items are available, in the laundry, lent out or waiting for repair")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("status", metavar="|".join(s.value for s in ItemStatus))

    p = command(
        "laundry-rule",
        cmd_laundry_rule,
        "list the laundry rules, or set one: after N wears an item "
        "of a category goes to the laundry (`off` removes it)",
    )
    p.add_argument("category", nargs="?", metavar="CATEGORY")
    p.add_argument("wears", nargs="?", metavar="N|off")

    p = command("stats", cmd_stats, "wears per item, cost per wear, colour mix and category balance")
    p.add_argument("--json", action="store_true")
    p.add_argument("--png", metavar="DIR", help="also draw the plots as PNG files in DIR")
