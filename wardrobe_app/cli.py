"""The ``wardrobe`` command line: the same services as the desktop app, no Qt."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from wardrobe_app.cli_common import Handler, ProgressBar, item_json, item_line
from wardrobe_app.cli_common import open_closet as _open
from wardrobe_app.domain import Group, WardrobeError, category_name
from wardrobe_app.domain.item_fields import FORMALITY_MAX, FORMALITY_MIN, SEASONS, check_item_fields


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
        added = sum(1 for r in results if r.item is not None)
        skipped = sum(1 for r in results if r.duplicate_of is not None)
        print(f"{added} added, {skipped} already in the closet, {failed} failed", file=sys.stderr)
        if wardrobe.classifier_error and not args.category:
            print(f"note: items left unclassified: {wardrobe.classifier_error}", file=sys.stderr)
        return 1 if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        items = wardrobe.items(group=args.group, include_archived=args.all, status=args.status)
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
        item = wardrobe.find(args.id)  # a closet item, or a catalogue product that shop/similar printed
        if args.json:
            data = item_json(item)
            data["collection"] = item.collection
            if item.collection != "closet":
                data.update(name=item.name, external_id=item.external_id, price=item.price, url=item.url)
            print(json.dumps(data))
            return 0
        print(item_line(item))
        if item.collection != "closet":
            print(f"  catalogue: {item.collection} (a shop product, not in your closet)")
        for field in (
            "name",
            "brand",
            "notes",
            "season",
            "formality",
            "external_id",
            "price",
            "purchased_on",
            "url",
            "status",
            "classifier_version",
            "added_at",
        ):
            value = getattr(item, field)
            if value is not None:
                print(f"  {field}: {value}")
        if item.tags:
            print(f"  tags: {', '.join(item.tags)}")
        print(f"  photo:  {item.photo_path}\n  cutout: {item.cutout_path}")
        for colour in item.colours:
            h, s, v = colour.hsv
            print(f"  colour: {colour.name:<12} {colour.hex}  {colour.share:5.1%}  hsv=({h:.0f}, {s:.2f}, {v:.2f})")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        item = wardrobe.item(args.id)
        if args.category and args.confirm:
            print("error: --confirm accepts the classifier's guess; give it or --category, not both", file=sys.stderr)
            return 2
        fields = {
            k: getattr(args, k)
            for k in ("name", "brand", "notes", "season", "formality", "price", "purchased_on")
            if getattr(args, k) is not None
        }
        from wardrobe_app.cli_items import tags_after

        tags = tags_after(item.tags, args.tag, args.untag)
        if tags is not None:
            fields["tags"] = tags
        if args.archive or args.unarchive:
            fields["archived"] = bool(args.archive)
        fields = check_item_fields(fields)  # all checked before anything changes
        if args.category:
            item = wardrobe.set_category(args.id, args.category)
        if args.confirm:
            item = wardrobe.confirm(args.id)
        if fields:
            item = wardrobe.update_item(args.id, **fields)
        print(item_line(item))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        items = wardrobe.review_queue()
        if args.json:
            print(json.dumps([item_json(i) for i in items]))
        elif not items:
            print("Nothing to review: every guess the classifier was unsure of has been checked.")
        else:
            for item in items:
                print(item_line(item))
            print(
                f"{len(items)} to review: accept a guess with `wardrobe set ID --confirm`, "
                "or correct it with `wardrobe set ID --category CATEGORY`",
                file=sys.stderr,
            )
    return 0


def cmd_reclassify(args: argparse.Namespace) -> int:
    with _open(args) as wardrobe:
        report = wardrobe.reclassify(progress=ProgressBar("Reclassifying"))
        print(report.summary())
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        for item_id in args.ids:  # every id checked first: an unknown one changes nothing
            wardrobe.item(item_id)
        for item_id in dict.fromkeys(args.ids):
            wardrobe.remove(item_id)
            print(f"moved item {item_id} to the trash (bring it back with `wardrobe restore {item_id}`)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        path = wardrobe.export(args.file)
        print(f"exported {len(wardrobe.items(include_archived=True))} items to {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if all(arg.isdigit() for arg in args.file) and any(os.path.exists(arg) for arg in args.file):
        # `restore 5` with a file named 5 here: bringing item 5 back must never replace the whole closet
        print(
            f"error: {' '.join(args.file)}: both item ids and files here; write ./{args.file[0]} to restore "
            "the file as the whole closet, or run it from another folder to bring the items back from the trash",
            file=sys.stderr,
        )
        return 2
    if all(arg.isdigit() for arg in args.file):  # item ids: back from the trash
        from wardrobe_app.cli_items import restore_items

        return restore_items(args, [int(arg) for arg in args.file])
    if len(args.file) != 1:
        print("error: restore takes one FILE.zip, or item ids to bring back from the trash", file=sys.stderr)
        return 2
    args.file = args.file[0]
    with _open(args, "none") as wardrobe:
        wardrobe.restore(args.file)
        print(f"restored {len(wardrobe.items(include_archived=True))} items from {args.file}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        report = wardrobe.doctor(repair=args.repair)
    if args.json:
        print(
            json.dumps(
                {
                    "healthy": report.healthy,
                    "problems": report.problems,
                    "repaired": report.repaired,
                    "left": report.left,
                }
            )
        )
    else:
        print("The closet is healthy." if report.healthy else "Problems found:")
        for line in report.problems:
            print(f"  - {line}")
        for line in report.repaired:
            print(f"  repaired: {line}")
        for line in report.left:
            print(f"  to do: {line}")
        if report.problems and not args.repair:
            print("Run `wardrobe doctor --repair` to fix what can be fixed.")
    return 0 if report.healthy or (args.repair and not report.left) else 1


def cmd_backfill(args: argparse.Namespace) -> int:
    with _open(args) as wardrobe:
        if wardrobe.classifier() is None:
            print(f"error: {wardrobe.classifier_error or 'no garment classifier'}", file=sys.stderr)
            return 1
        change = wardrobe.backfill_embeddings(progress=ProgressBar("Embedding"))
        print(f"recomputed the features of {len(change.updated)} items")
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    from wardrobe_app.services.classify import classify_photos
    from wardrobe_app.services.importing import expand_paths

    paths = expand_paths(args.photos)
    verdicts = classify_photos(paths, progress=ProgressBar("Classifying"))
    failed = 0
    for verdict in verdicts:
        c = verdict.classification
        if c is None:
            failed += 1
            print(f"error: {verdict.path}: {verdict.error}", file=sys.stderr)
        elif args.json:
            print(json.dumps(verdict.to_json()))
        else:
            others = ", ".join(f"{category_name(name)} {p:.0%}" for name, p in c.top3[1:])
            review = "  [needs review]" if c.needs_review else ""
            guess = f"{category_name(c.category)} ({c.group.value}) {c.confidence:.0%}"
            print(f"{verdict.path}: {guess}; then {others}{review}")
    return 1 if failed else 0


def cmd_eval_classifier(args: argparse.Namespace) -> int:
    from wardrobe_app.services.classify import evaluate_dataset

    bar = ProgressBar("Evaluating")
    report = evaluate_dataset(Path(args.dataset), progress=lambda done, total: bar(done, total))
    print(json.dumps(report.to_json()) if args.json else report.format_text())
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
    p.add_argument("--status", choices=["available", "laundry", "lent", "repair"], help="only items in this state")
    p.add_argument("--json", action="store_true")

    p = command("show", cmd_show, "show one item")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")

    p = command("set", cmd_set, "correct an item's category or set its details")
    p.add_argument("id", type=int)
    p.add_argument("--category")
    p.add_argument("--confirm", action="store_true", help="accept the classifier's guess (kept from now on)")
    p.add_argument("--name")
    p.add_argument("--brand")
    p.add_argument("--tag", action="append", metavar="TAG", help="add a free tag (repeat for more)")
    p.add_argument("--untag", action="append", metavar="TAG", help="take a tag off (repeat for more)")
    p.add_argument("--notes")
    p.add_argument("--season", choices=SEASONS)
    p.add_argument(
        "--formality",
        type=int,
        choices=range(FORMALITY_MIN, FORMALITY_MAX + 1),
        metavar=f"{FORMALITY_MIN}-{FORMALITY_MAX}",
    )
    p.add_argument("--archive", action="store_true")
    p.add_argument("--unarchive", action="store_true")
    p.add_argument("--price", help="what it cost (for cost per wear in `wardrobe stats`)")
    p.add_argument("--purchased", dest="purchased_on", metavar="YYYY-MM-DD", help="when it was bought")

    p = command("review", cmd_review, "items whose category the classifier was unsure of, to check")
    p.add_argument("--json", action="store_true")

    command(
        "reclassify",
        cmd_reclassify,
        "re-label items an older classifier labelled (never the ones you "
        "set or confirmed) and recompute their features; resumable",
    )

    p = command("remove", cmd_remove, "move items to the trash (`wardrobe restore ID` brings them back)")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")

    p = command("export", cmd_export, "write the closet (database + photos) to a zip file")
    p.add_argument("file", metavar="FILE.zip")

    p = command(
        "restore", cmd_restore, "replace the closet by an exported zip file, or bring items back from the trash"
    )
    p.add_argument("file", nargs="+", metavar="FILE.zip|ID")

    p = command("classify", cmd_classify, "say what garment each photo shows (no closet needed)")
    p.add_argument("photos", nargs="+", metavar="PHOTO")
    p.add_argument("--json", action="store_true", help="one JSON object per photo")

    p = command("eval-classifier", cmd_eval_classifier, "evaluate the garment classifier on a folder-per-class dataset")
    p.add_argument("dataset", metavar="DATASET_DIR")
    p.add_argument("--json", action="store_true")

    from wardrobe_app import cli_shop

    cli_shop.register(command)  # similar, shop, catalogue, worth-buying, complete-the-look

    p = command("doctor", cmd_doctor, "check the closet (database, files, checksums) and repair what can be repaired")
    p.add_argument("--repair", action="store_true", help="fix what can be fixed, and say what was done")
    p.add_argument("--json", action="store_true")

    command("backfill", cmd_backfill, "recompute item features after the garment classifier changed")

    from wardrobe_app import cli_outfits

    cli_outfits.register(command)  # occasions, suggest, settings, feedback, retrain

    from wardrobe_app.cli_diary import register

    register(command)  # wore, log, plan, status, laundry-rule, stats
    from wardrobe_app.cli_items import register as register_items

    register_items(command)  # trash, search
    from wardrobe_app import cli_life

    cli_life.register(command)  # cleanout, pack
    return parser


def _escape_unprintable_output() -> None:
    """A file name that is not valid UTF-8 (or any lone surrogate) prints as a backslash escape, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):  # not a text stream we can change
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def main(argv: Sequence[str] | None = None) -> int:
    _escape_unprintable_output()
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
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
