"""The ``wardrobe`` command line: the same services as the desktop app, no Qt."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from wardrobe_app.domain import Group, Item, WardrobeError

Handler = Callable[[argparse.Namespace], int]


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, label: str, enabled: bool | None = None) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def __call__(self, done: int, total: int, current: str = "") -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        name = Path(current).name[:30] if current else ""
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<30}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _open(args: argparse.Namespace, classifier: str = "auto") -> Any:
    from wardrobe_app.services.wardrobe import Wardrobe

    return Wardrobe.open(args.data_dir, classifier=classifier)


def item_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "category": item.category,
        "group": item.group.value if item.group else None,
        "confidence": None if item.confidence is None else round(item.confidence, 4),
        "needs_review": item.needs_review,
        "corrected": item.corrected,
        "colours": [{"name": c.name, "hex": c.hex, "share": round(c.share, 3)} for c in item.colours],
        "multicolour": item.multicolour,
        "photo": item.photo_path,
        "cutout": item.cutout_path,
    }


def item_line(item: Item) -> str:
    colours = ", ".join(f"{c.name} {c.share:.0%}" for c in item.colours[:3]) or "-"
    conf = f" ({item.confidence:.0%})" if item.confidence is not None and not item.corrected else ""
    flags = " [needs review]" if item.needs_review else ""
    flags += " [archived]" if item.archived else ""
    return f"{item.id:>5}  {item.group or '?':<9} {(item.category or 'unclassified') + conf:<22} {colours}{flags}"


# -- closet commands -------------------------------------------------------------------------------
def cmd_add(args: argparse.Namespace) -> int:
    with _open(args) as wardrobe:
        results = wardrobe.add_photos(args.paths, category=args.category, progress=ProgressBar("Adding"))
        failed = 0
        for result in results:
            if result.item is not None:
                if args.json:
                    print(json.dumps(item_json(result.item)))
                else:
                    print(f"added {item_line(result.item)}")
            elif result.duplicate_of is not None:
                print(f"skipped {result.path}: already in the closet as item {result.duplicate_of}", file=sys.stderr)
            else:
                failed += 1
                print(f"error: {result.path}: {result.error}", file=sys.stderr)
        if not results:
            print("no photos found", file=sys.stderr)
            return 1
        if wardrobe.classifier_error and not args.category:
            print(f"note: items left unclassified: {wardrobe.classifier_error}", file=sys.stderr)
        return 1 if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        items = wardrobe.items(group=args.group, include_archived=args.all)
        if args.json:
            print(json.dumps([item_json(i) for i in items]))
        elif not items:
            print("The closet is empty. Add photos with: wardrobe add PHOTO_OR_FOLDER")
        else:
            for item in items:
                print(item_line(item))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        item = wardrobe.item(args.id)
        if args.json:
            print(json.dumps(item_json(item)))
            return 0
        print(item_line(item))
        for field in ("name", "notes", "season", "formality", "classifier_version", "added_at"):
            value = getattr(item, field)
            if value is not None:
                print(f"  {field}: {value}")
        print(f"  photo:  {item.photo_path}\n  cutout: {item.cutout_path}")
        for colour in item.colours:
            h, s, v = colour.hsv
            print(f"  colour: {colour.name:<12} {colour.hex}  {colour.share:5.1%}  hsv=({h:.0f}, {s:.2f}, {v:.2f})")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        item = wardrobe.item(args.id)
        if args.category:
            item = wardrobe.set_category(args.id, args.category)
        fields = {k: getattr(args, k) for k in ("name", "notes", "season", "formality") if getattr(args, k) is not None}
        if args.archive or args.unarchive:
            fields["archived"] = bool(args.archive)
        if fields:
            item = wardrobe.update_item(args.id, **fields)
        print(item_line(item))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        for item_id in args.ids:
            wardrobe.remove(item_id)
            print(f"removed item {item_id}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        path = wardrobe.export(args.file)
        print(f"exported {len(wardrobe.items(include_archived=True))} items to {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        wardrobe.restore(args.file)
        print(f"restored {len(wardrobe.items(include_archived=True))} items from {args.file}")
    return 0


# -- parser ----------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wardrobe", description="Your closet, offline: add photos, get outfits.")
    parser.add_argument("--data-dir", help="closet folder (default: WARDROBE_DATA_DIR or the user data dir)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    p = command("add", cmd_add, "add photos or folders of photos to the closet")
    p.add_argument("paths", nargs="+", metavar="PHOTO_OR_DIR")
    p.add_argument("--category", help="set the category yourself instead of the classifier")
    p.add_argument("--json", action="store_true", help="one JSON object per added item")

    p = command("list", cmd_list, "list the closet")
    p.add_argument("--group", choices=[g.value for g in Group])
    p.add_argument("--all", action="store_true", help="include archived items")
    p.add_argument("--json", action="store_true")

    p = command("show", cmd_show, "show one item")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")

    p = command("set", cmd_set, "correct an item's category or set its details")
    p.add_argument("id", type=int)
    p.add_argument("--category")
    p.add_argument("--name")
    p.add_argument("--notes")
    p.add_argument("--season", choices=["spring", "summer", "autumn", "winter", "all"])
    p.add_argument("--formality", type=int, choices=range(1, 6), metavar="1-5")
    p.add_argument("--archive", action="store_true")
    p.add_argument("--unarchive", action="store_true")

    p = command("remove", cmd_remove, "remove items (and their photos) from the closet")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")

    p = command("export", cmd_export, "write the closet (database + photos) to a zip file")
    p.add_argument("file", metavar="FILE.zip")

    p = command("restore", cmd_restore, "replace the closet by an exported zip file")
    p.add_argument("file", metavar="FILE.zip")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except WardrobeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
