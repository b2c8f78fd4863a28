"""The ``wardrobe`` commands for outfits: occasions, suggest, settings, feedback, retrain."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from wardrobe_app.cli_common import Command, open_closet


def cmd_occasions(args: argparse.Namespace) -> int:
    from wardrobe_app.domain import Occasion

    print("\n".join(o.value for o in Occasion))
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    with open_closet(args, "none") as wardrobe:
        _say_settings_problem(wardrobe.outfit_settings())
        board = wardrobe.suggestions(
            args.occasion, k=args.top, with_item=args.with_item, weather=args.weather, hemisphere=args.hemisphere
        )
        outfits = sorted(board.outfits, key=lambda o: -o.score)
        if args.json:
            print(json.dumps([o.to_json() for o in outfits]))
            return 0
        labels = {i.id: i.label for i in wardrobe.items()}
        roles = (
            ("layer", "layer"),
            ("top", "top"),
            ("full", "dress"),
            ("middle", "bottom"),
            ("bottom", "shoes"),
            ("accessory", "accessory"),
        )
        for rank, outfit in enumerate(outfits, 1):
            parts = [
                f"{word}: {labels.get(i, '?')} ({i})"
                for field, word in roles
                if (i := getattr(outfit, field)) is not None
            ]
            print(f"{rank}. {outfit.score:.0%}  " + " + ".join(parts))
            for reason in outfit.reasons:
                print(f"     - {reason}")
        for line in board.missing:
            print(f"only {len(outfits)} good outfit{'s' if len(outfits) != 1 else ''}: {line}")
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    with open_closet(args, "none") as wardrobe:
        if args.hemisphere is not None or args.rest is not None:
            settings = wardrobe.set_outfit_settings(hemisphere=args.hemisphere, rest_ratings=args.rest)
        else:
            settings = wardrobe.outfit_settings()
        _say_settings_problem(settings)
        if args.json:
            print(json.dumps(settings))
        else:
            print(f"hemisphere: {settings['hemisphere']} (the season follows it: {settings['season']} today)")
            print(f"rest: liked and worn outfits come back after {settings['rest_ratings']} more ratings")
    return 0


def _say_settings_problem(settings: dict[str, Any]) -> None:
    """Tell the user (on stderr) when their outfit settings file was damaged and the defaults stand in."""
    if settings.get("problem"):
        print(f"note: {settings['problem']}", file=sys.stderr)


def cmd_feedback(args: argparse.Namespace) -> int:
    with open_closet(args, "none") as wardrobe:
        outfit = wardrobe.outfit(args.ids)
        if args.wore:
            change = wardrobe.wore(outfit, args.occasion)
        else:
            change = wardrobe.feedback(outfit, args.occasion, liked=bool(args.like))
        print("recorded " + ", ".join(change.notes))
    return 0


def cmd_retrain(args: argparse.Namespace) -> int:
    with open_closet(args, "none") as wardrobe:
        stats = wardrobe.retrain(reset=args.reset)
        if args.reset:
            print("back to the expert ranker")
        else:
            print(
                f"personal ranker v{stats.version}: {stats.n_ratings} ratings, "
                f"accuracy {stats.accuracy or 0:.0%}, {stats.seconds:.2f} s"
            )
    return 0


def register(command: Command) -> None:
    """Add these commands to the ``wardrobe`` parser (``command(name, handler, help)`` makes a subparser)."""
    command("occasions", cmd_occasions, "list the occasions outfits can be suggested for")
    p = command("suggest", cmd_suggest, "the best outfits from your closet for an occasion")
    p.add_argument("--occasion", required=True, help="casual, work, formal, party, date or sport")
    p.add_argument("--top", type=int, default=5, help="how many outfits (default 5)")
    p.add_argument("--with", dest="with_item", type=int, metavar="ID", help="build the outfits around this item")
    p.add_argument("--weather", metavar="W", help="today's weather: cold, mild, warm, hot or a temperature in °C")
    p.add_argument(
        "--hemisphere", metavar="H", help="north or south, for this once (the season follows it; see `settings`)"
    )
    p.add_argument("--json", action="store_true")
    p = command("settings", cmd_settings, "show or change the outfit settings (hemisphere, how long outfits rest)")
    p.add_argument("--hemisphere", metavar="H", help="north or south: the season of a date follows it")
    p.add_argument("--rest", type=int, metavar="N", help="liked and worn outfits come back after N more ratings")
    p.add_argument("--json", action="store_true")
    p = command("feedback", cmd_feedback, "like, dislike or say you wore an outfit (its item ids)")
    p.add_argument("--occasion", required=True)
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--like", action="store_true")
    verdict.add_argument("--dislike", action="store_true")
    verdict.add_argument("--wore", action="store_true")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p = command("retrain", cmd_retrain, "retrain the personal outfit ranker from your ratings now")
    p.add_argument("--reset", action="store_true", help="forget the personal ranker, back to the expert one")
