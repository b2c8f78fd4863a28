"""The ``wardrobe`` commands for similar items and shop catalogues (similar, shop, catalogue, worth-buying, ...)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from wardrobe_app.cli_common import Command, ProgressBar, item_json, item_line, open_closet
from wardrobe_app.domain import Group, Item
from wardrobe_app.domain.results import SimilarMatch


def _similar_json(item: Item, distance: float) -> dict[str, Any]:
    data = item_json(item)
    data.update(
        distance=round(float(distance), 4),
        collection=item.collection,
        name=item.name,
        external_id=item.external_id,
        shop_kind=item.shop_kind,
        price=item.price,
        url=item.url,
    )
    return data


def _print_matches(matches: list[SimilarMatch], as_json: bool, empty: str) -> None:
    """Best match first; people read the match (the score the order goes by), ``--json`` keeps the distance."""
    if as_json:
        print(json.dumps([_similar_json(item, distance) for item, distance in matches]))
        return
    if not matches:
        print(empty)
    for match in matches:
        item = match.item
        shop = ""
        if item.collection != "closet":
            price = f"{item.price:.2f}" if item.price is not None else None
            details = [d for d in (item.shop_kind, item.name, price, item.url) if d]
            shop = f"  [{item.collection}] " + " | ".join(details)
        print(f"{match.match:>4.0%} match  {item_line(item)}{shop}")


def cmd_similar(args: argparse.Namespace) -> int:
    with open_closet(args) as wardrobe:
        matches = wardrobe.similar(args.photo_or_id, k=args.k, collection=args.collection, group=args.group)
        _print_matches(matches, args.json, f"nothing to compare with in {args.collection}")
    return 0


def cmd_shop(args: argparse.Namespace) -> int:
    with open_closet(args) as wardrobe:
        matches = wardrobe.shop_for(args.photo_or_id, k=args.k, catalogue=args.catalogue)
        _print_matches(matches, args.json, "no matching products")
    return 0


def cmd_worth_buying(args: argparse.Namespace) -> int:
    with open_closet(args) as wardrobe:
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
    with open_closet(args, "none") as wardrobe:
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
    with open_closet(args) as wardrobe:
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
    with open_closet(args, "none") as wardrobe:
        catalogues = wardrobe.catalogues()
        if args.json:
            print(json.dumps([{"name": c.name, "items": c.items, "source": c.source} for c in catalogues]))
        elif not catalogues:
            print("No catalogues yet. Import one with: wardrobe catalogue import NAME DIR [--csv FILE]")
        for c in [] if args.json else catalogues:
            print(f"{c.name:<24} {c.items:>7} products  {c.source or ''}")
    return 0


def cmd_catalogue_remove(args: argparse.Namespace) -> int:
    with open_closet(args, "none") as wardrobe:
        change = wardrobe.remove_catalogue(args.name)
        print(change.notes[0])
    return 0


def register(command: Command) -> None:
    """Add these commands to the ``wardrobe`` parser (``command(name, handler, help)`` makes a subparser)."""
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
