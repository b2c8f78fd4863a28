"""The ``wardrobe`` command line: the same services as the desktop app, no Qt."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from wardrobe_app.domain import Group, Item, WardrobeError
from wardrobe_app.domain.item_fields import FORMALITY_MAX, FORMALITY_MIN, SEASONS, check_item_fields

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

    wardrobe = Wardrobe.open(args.data_dir, classifier=classifier)
    for notice in wardrobe.notices:
        print(f"note: {notice}", file=sys.stderr)
    return wardrobe


def item_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "category": item.category,
        "group": item.group.value if item.group else None,
        "confidence": None if item.confidence is None else round(item.confidence, 4),
        "needs_review": item.needs_review,
        "corrected": item.corrected,
        "confirmed": item.confirmed,
        "colours": [{"name": c.name, "hex": c.hex, "share": round(c.share, 3)} for c in item.colours],
        "multicolour": item.multicolour,
        "photo": item.photo_path,
        "cutout": item.cutout_path,
        "status": item.status,
        "price": item.price,
        "purchased_on": item.purchased_on.isoformat() if item.purchased_on else None,
    }


def item_line(item: Item) -> str:
    colours = ", ".join(f"{c.name} {c.share:.0%}" for c in item.colours[:3]) or "-"
    conf = f" ({item.confidence:.0%})" if item.confidence is not None and not item.corrected else ""
    flags = " [needs review]" if item.to_review else " [confirmed]" if item.confirmed else ""
    flags += " [archived]" if item.archived else ""
    flags += " [in the trash]" if item.trashed_at else ""
    flags += f" [{item.status}]" if item.status != "available" else ""
    if not Path(item.photo_path).is_file():  # deleted behind the app's back: say so (wardrobe doctor)
        flags += " [photo missing: run wardrobe doctor]"
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
    if all(arg.isdigit() and not Path(arg).exists() for arg in args.file):  # item ids: back from the trash
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


# -- similar items and shop catalogues -------------------------------------------------------------
def _similar_json(item: Item, distance: float) -> dict[str, Any]:
    data = item_json(item)
    data.update(
        distance=round(float(distance), 4),
        collection=item.collection,
        name=item.name,
        external_id=item.external_id,
        price=item.price,
        url=item.url,
    )
    return data


def _print_matches(matches: list[tuple[Item, float]], as_json: bool, empty: str) -> None:
    if as_json:
        print(json.dumps([_similar_json(item, distance) for item, distance in matches]))
        return
    if not matches:
        print(empty)
    for item, distance in matches:
        shop = ""
        if item.collection != "closet":
            details = [d for d in (item.name, f"{item.price:.2f}" if item.price is not None else None, item.url) if d]
            shop = f"  [{item.collection}] " + " | ".join(details)
        print(f"{distance:6.3f}  {item_line(item)}{shop}")


def cmd_similar(args: argparse.Namespace) -> int:
    with _open(args) as wardrobe:
        matches = wardrobe.similar(args.photo_or_id, k=args.k, collection=args.collection, group=args.group)
        _print_matches(matches, args.json, f"nothing to compare with in {args.collection}")
    return 0


def cmd_shop(args: argparse.Namespace) -> int:
    with _open(args) as wardrobe:
        matches = wardrobe.shop_for(args.photo_or_id, k=args.k, catalogue=args.catalogue)
        _print_matches(matches, args.json, "no matching products")
    return 0


def cmd_worth_buying(args: argparse.Namespace) -> int:
    with _open(args) as wardrobe:
        verdicts = wardrobe.worth_buying(
            args.photo, threshold=args.threshold, occasions=args.occasion, category=args.category
        )
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            "occasion": v.occasion,
                            "good_outfits": v.good_outfits,
                            "best_score": round(v.best_score, 4),
                            "partners": list(v.partners),
                            "examples": [o.to_json() for o in v.examples],
                            "note": v.note,
                        }
                        for v in verdicts
                    ]
                )
            )
            return 0
        for v in verdicts:
            line = f"{v.occasion:<8} {v.good_outfits:>4} good outfits (best {v.best_score:.0%})"
            if v.partners:
                line += f" with items {', '.join(str(i) for i in v.partners[:8])}"
            print(line + (f"  - {v.note}" if v.note else ""))
    return 0


def cmd_complete_the_look(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        looks = wardrobe.complete_the_look(args.id, args.occasion, args.catalogue, k=args.k)
        if args.json:
            print(
                json.dumps(
                    [
                        {**_similar_json(look.product, 0.0), "score": look.score, "outfit": look.outfit.to_json()}
                        for look in looks
                    ]
                )
            )
            return 0
        for look in looks:
            outfit = " + ".join(str(i) for i in look.outfit.item_ids)
            print(f"{look.score:5.0%}  {item_line(look.product)}  [{look.product.name or ''}]  outfit {outfit}")
    return 0


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    with _open(args) as wardrobe:
        report = wardrobe.import_catalogue(args.name, args.folder, csv=args.csv, progress=ProgressBar("Importing"))
        if report.csv_encoding not in (None, "utf-8"):
            print(f"note: the CSV is not UTF-8; read it as {report.csv_encoding}", file=sys.stderr)
        for line, why in report.bad_rows:
            print(f"CSV line {line}: {why}", file=sys.stderr)
        for path, why in report.duplicates:
            print(f"skipped {path}: {why}", file=sys.stderr)
        for path, why in report.failed:
            print(f"error: {path}: {why}", file=sys.stderr)
        copies = f", copies skipped {len(report.duplicates)}" if report.duplicates else ""
        print(
            f"catalogue {args.name}: added {report.added}, already there {report.already_in}{copies}, "
            f"failed {len(report.failed)} of {report.total} photos "
            f"({report.photos_per_second:.1f} photos/s)"
            + (" - interrupted, run again to resume" if report.cancelled else "")
        )
        if wardrobe.classifier_error:
            print(f"note: products left unclassified: {wardrobe.classifier_error}", file=sys.stderr)
        return 1 if report.total == 0 else 0


def cmd_catalogue_list(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        catalogues = wardrobe.catalogues()
        if args.json:
            print(json.dumps([{"name": c.name, "items": c.items, "source": c.source} for c in catalogues]))
        elif not catalogues:
            print("No catalogues yet. Import one with: wardrobe catalogue import NAME DIR [--csv FILE]")
        for c in [] if args.json else catalogues:
            print(f"{c.name:<24} {c.items:>7} products  {c.source or ''}")
    return 0


def cmd_catalogue_remove(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        change = wardrobe.remove_catalogue(args.name)
        print(change.notes[0])
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    with _open(args) as wardrobe:
        if wardrobe.classifier() is None:
            print(f"error: {wardrobe.classifier_error or 'no garment classifier'}", file=sys.stderr)
            return 1
        change = wardrobe.backfill_embeddings(progress=ProgressBar("Embedding"))
        print(f"recomputed the features of {len(change.updated)} items")
    return 0


# -- outfits -----------------------------------------------------------------------------------------
def cmd_occasions(args: argparse.Namespace) -> int:
    from wardrobe_app.domain import Occasion

    print("\n".join(o.value for o in Occasion))
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
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
    with _open(args, "none") as wardrobe:
        if args.hemisphere is not None or args.rest is not None:
            settings = wardrobe.set_outfit_settings(hemisphere=args.hemisphere, rest_ratings=args.rest)
        else:
            settings = wardrobe.outfit_settings()
        if args.json:
            print(json.dumps(settings))
        else:
            print(f"hemisphere: {settings['hemisphere']} (the season follows it: {settings['season']} today)")
            print(f"rest: liked and worn outfits come back after {settings['rest_ratings']} more ratings")
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        outfit = wardrobe.outfit(args.ids)
        if args.wore:
            change = wardrobe.wore(outfit, args.occasion)
        else:
            change = wardrobe.feedback(outfit, args.occasion, liked=bool(args.like))
        print("recorded " + ", ".join(change.notes))
    return 0


def cmd_retrain(args: argparse.Namespace) -> int:
    with _open(args, "none") as wardrobe:
        stats = wardrobe.retrain(reset=args.reset)
        if args.reset:
            print("back to the expert ranker")
        else:
            print(
                f"personal ranker v{stats.version}: {stats.n_ratings} ratings, "
                f"accuracy {stats.accuracy or 0:.0%}, {stats.seconds:.2f} s"
            )
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
            others = ", ".join(f"{name} {p:.0%}" for name, p in c.top3[1:])
            review = "  [needs review]" if c.needs_review else ""
            print(f"{verdict.path}: {c.category} ({c.group.value}) {c.confidence:.0%}; then {others}{review}")
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

    p = command("similar", cmd_similar, "the items that look most like a photo or an item")
    p.add_argument("photo_or_id", metavar="PHOTO_OR_ID")
    p.add_argument("--k", type=int, default=5, help="how many (default 5)")
    p.add_argument("--in", dest="collection", default="closet", metavar="closet|CATALOGUE")
    p.add_argument("--group", choices=[g.value for g in Group])
    p.add_argument("--json", action="store_true")

    p = command("shop", cmd_shop, "catalogue products like a photo or a closet item (shop for this)")
    p.add_argument("photo_or_id", metavar="PHOTO_OR_ID")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--in", dest="catalogue", default=None, metavar="CATALOGUE", help="default: all catalogues")
    p.add_argument("--json", action="store_true")

    p = command("catalogue", cmd_catalogue_list, "shop catalogues: import, list, remove")
    cat = p.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    q = cat.add_parser("import", help="import (or resume importing) a folder of product photos")
    q.set_defaults(handler=cmd_catalogue_import)
    q.add_argument("name", metavar="NAME")
    q.add_argument("folder", metavar="DIR")
    q.add_argument(
        "--csv",
        metavar="FILE",
        help="id, name, category, colour, price, url columns (default: DIR/styles.csv when there is one)",
    )
    q = cat.add_parser("list", help="list the catalogues")
    q.set_defaults(handler=cmd_catalogue_list)
    q.add_argument("--json", action="store_true")
    q = cat.add_parser("remove", help="delete a catalogue and its products")
    q.set_defaults(handler=cmd_catalogue_remove)
    q.add_argument("name", metavar="NAME")

    p = command("worth-buying", cmd_worth_buying, "how many good outfits a garment in a photo adds, per occasion")
    p.add_argument("photo", metavar="PHOTO")
    p.add_argument("--threshold", type=float, default=0.6, help="an outfit is good from this score (default 0.6)")
    p.add_argument("--occasion", action="append", help="only these occasions (repeatable)")
    p.add_argument("--category", help="what the garment is, if the classifier cannot tell")
    p.add_argument("--json", action="store_true")

    p = command("complete-the-look", cmd_complete_the_look, "catalogue products that complete an outfit with an item")
    p.add_argument("id", type=int)
    p.add_argument("--occasion", required=True)
    p.add_argument("--in", dest="catalogue", required=True, metavar="CATALOGUE")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--json", action="store_true")

    p = command("doctor", cmd_doctor, "check the closet (database, files, checksums) and repair what can be repaired")
    p.add_argument("--repair", action="store_true", help="fix what can be fixed, and say what was done")
    p.add_argument("--json", action="store_true")

    command("backfill", cmd_backfill, "recompute item features after the garment classifier changed")

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
