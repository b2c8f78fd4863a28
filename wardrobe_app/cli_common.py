"""What the ``wardrobe`` command modules share: opening the closet, item lines and JSON, a progress bar."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wardrobe_app.domain import Item, category_name

Handler = Callable[[argparse.Namespace], int]
Command = Callable[[str, Handler, str], argparse.ArgumentParser]


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


def open_closet(args: argparse.Namespace, classifier: str = "auto") -> Any:
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
    kind = category_name(item.category, "unclassified") + conf
    return f"{item.id:>5}  {item.group or '?':<9} {kind:<22} {colours}{flags}"
