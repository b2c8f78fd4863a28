"""The ``wardrobe`` commands for clean-out and packing for a trip."""

from __future__ import annotations

import argparse
import json
from typing import Any

from wardrobe_app.cli_common import Command, open_closet
from wardrobe_app.domain import DataDirError
from wardrobe_app.services.data_dir import outside_closet


def _labels(wardrobe: Any) -> dict[int, str]:
    return {i.id: i.label for i in wardrobe.items(include_archived=True)}


def cmd_cleanout(args: argparse.Namespace) -> int:
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        if args.dismiss:
            change = wardrobe.dismiss_cleanout(args.dismiss)
            labels = _labels(wardrobe)
            for item_id in change.updated:
                print(f"keeping {labels.get(item_id, 'item')} ({item_id}): clean-out will not suggest it again")
            return 0
        found = wardrobe.cleanout(months=args.months)
    if args.json:
        print(json.dumps([c.to_json() for c in found]))
        return 0
    if not found:
        print("Nothing to clean out: every item is worn, versatile and unlike the others.")
        return 0
    print(f"{len(found)} item{'s' if len(found) != 1 else ''} you could donate or sell:")
    for candidate in found:
        print(f"{candidate.item_id:>5}  {candidate.label}")
        for reason in candidate.reasons:
            other = "" if reason.other_id is None else f" (item {reason.other_id})"  # the id to look it up by
            print(f"         - {reason.text}{other}")
    print("Keep one (it will not be suggested again): wardrobe cleanout --dismiss ID")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        output = outside_closet(wardrobe.data_dir, args.output, "the packing list") if args.output else None
        plan = wardrobe.pack(args.days, args.occasions, args.weather)
        labels = _labels(wardrobe)
    text = plan.as_text(labels)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise DataDirError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    if args.json:
        print(json.dumps(plan.to_json(labels)))
        return 0
    print(text, end="")
    baseline = "" if plan.greedy_items is None else f" (the greedy baseline packs {plan.greedy_items})"
    print(f"\n{len(plan.items)} items for {len(plan.days)} days{baseline}")
    if args.output:
        print(f"wrote {args.output}")
    return 0


def _months(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of months") from None


def _days(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None


def register(command: Command) -> None:
    """Add ``cleanout`` and ``pack`` to the ``wardrobe`` parser."""
    p = command("cleanout", cmd_cleanout, "items you could donate or sell, with the reasons; --dismiss keeps one")
    p.add_argument("--months", type=_months, default=12, help="not worn for this many months (default 12)")
    p.add_argument("--dismiss", type=int, nargs="+", metavar="ID", help="keep these items: never suggested again")
    p.add_argument("--json", action="store_true")

    p = command("pack", cmd_pack, "the fewest items for a distinct good outfit every day of a trip, day by day")
    p.add_argument("--days", type=_days, help="how many days (optional with work:5,casual:2)")
    p.add_argument(
        "--occasions", required=True, help="the days' occasions: work,casual (taking turns) or work:5,casual:2"
    )
    p.add_argument("--weather", metavar="W", help="cold, mild, warm, hot or a temperature in °C")
    p.add_argument("--output", metavar="FILE", help="also save the list and plan as text")
    p.add_argument("--json", action="store_true")
