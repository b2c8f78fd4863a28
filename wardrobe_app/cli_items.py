"""The ``wardrobe`` commands of item editing: the trash (trash, restore ID, trash --empty) and search."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from wardrobe_app.cli_common import Command, open_closet
from wardrobe_app.domain import Item, category_name
from wardrobe_app.domain.item_fields import check_tags


def _line(item: Item) -> str:
    when = item.trashed_at.strftime("%Y-%m-%d %H:%M") if item.trashed_at else "?"
    return f"{item.id:>5}  {item.label:<30}  removed {when} UTC"


def tags_after(current: tuple[str, ...], add: list[str] | None, drop: list[str] | None) -> tuple[str, ...] | None:
    """The tag set after ``--tag`` (add) and ``--untag`` (drop); None when neither was given."""
    if not add and not drop:
        return None
    dropped = set(check_tags(drop or []))
    return check_tags([t for t in current if t not in dropped] + list(add or []))


# -- commands ----------------------------------------------------------------------------------------
def cmd_trash(args: argparse.Namespace) -> int:
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        if args.empty:
            change = wardrobe.empty_trash()
            n = len(change.removed)
            print(f"emptied the trash: {n} item{'s' if n != 1 else ''} deleted for good")
            return 0
        items = wardrobe.trash()
        if args.json:
            print(json.dumps([_trash_json(i) for i in items]))
        elif not items:
            print("The trash is empty.")
        else:
            for item in items:
                print(_line(item))
            print(
                f"{len(items)} in the trash: bring one back with `wardrobe restore ID`, "
                "delete them for good with `wardrobe trash --empty`",
                file=sys.stderr,
            )
    return 0


def restore_items(args: argparse.Namespace, ids: list[int]) -> int:
    """``wardrobe restore ID...``: bring items back from the trash (called by cli.cmd_restore)."""
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        wardrobe.restore_from_trash(ids)
        for item_id in ids:
            print(f"restored item {item_id} from the trash")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    text = " ".join(args.words)
    with open_closet(args, classifier="none") as wardrobe:  # no classifier needed
        items = wardrobe.search(text, include_archived=args.all)
    if args.json:
        print(json.dumps([{"id": i.id, "label": i.label, "category": i.category} for i in items]))
        return 0
    if not items:
        print(f"No items match {text!r}.", file=sys.stderr)
        return 0
    for item in items:
        print(f"{item.id:>5}  {item.label:<30}  {category_name(item.category, 'unclassified')}")
    return 0


def _trash_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "label": item.label,
        "category": item.category,
        "trashed_at": item.trashed_at.isoformat() if item.trashed_at else None,
        "photo": item.photo_path,
    }


# -- parser ------------------------------------------------------------------------------------------
def register(command: Command) -> None:
    """Add these commands to the ``wardrobe`` parser (``command(name, handler, help)`` makes a subparser)."""
    p = command("trash", cmd_trash, "list the items removed to the trash, or empty it (--empty) for good")
    p.add_argument("--empty", action="store_true", help="delete every item in the trash, with its photos")
    p.add_argument("--json", action="store_true")

    p = command("search", cmd_search, "find closet items by words (synonyms understood: jeans finds denim)")
    p.add_argument("words", nargs="+", metavar="WORD")
    p.add_argument("--all", action="store_true", help="include archived items")
    p.add_argument("--json", action="store_true")
