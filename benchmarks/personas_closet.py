"""The personas' closet: photos of ../shared/datasets/clothing-small/test imported once, then cached."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from wardrobe_app.domain import WardrobeError
from wardrobe_app.services.wardrobe import Wardrobe

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT.parent / "shared" / "datasets" / "clothing-small" / "test"
CACHE = Path(os.environ.get("WARDROBE_BENCH_CACHE", ROOT / "work_cache")) / "personas"
#: Photos taken per dataset class (subsample to keep the import quick).
PER_CLASS = {
    "t-shirt": 12,
    "longsleeve": 12,
    "shirt": 10,
    "outwear": 8,
    "pants": 18,
    "shorts": 8,
    "skirt": 6,
    "dress": 10,
    "shoes": 24,
    "hat": 4,
}
#: The dataset only says "shoes": the persona "sets" finer categories, as a user may.
SHOE_KINDS = ("sneakers", "boots", "formal shoes", "loafers", "heels", "sneakers")
PANTS_KINDS = ("jeans", "trousers", "pants")


def truth(source_name: str | None) -> dict[str, object]:
    """What the app never sees: the dataset folder and the raw photo's central lightness and colourfulness."""
    from PIL import Image

    path = next(PHOTOS.glob(f"*/{source_name}"), None) if source_name else None
    if path is None:
        return {}
    with Image.open(path) as image:
        rgb = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    h, w = rgb.shape[:2]
    centre = rgb[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4].reshape(-1, 3)
    lightness = float((0.299 * centre[:, 0] + 0.587 * centre[:, 1] + 0.114 * centre[:, 2]).mean())
    saturation = float(((centre.max(1) - centre.min(1)) / np.maximum(centre.max(1), 1e-6)).mean())
    return {"folder": path.parent.name, "lightness": round(lightness, 4), "saturation": round(saturation, 4)}


def load_truth(folder: Path) -> dict[int, dict[str, object]]:
    """Item id -> its ground truth, from the cached closet description."""
    return {row["id"]: row.get("truth", {}) for row in json.loads((folder / "closet.json").read_text())}


def build_closet(seed: int = 0) -> Path:
    """Import the sampled photos through Wardrobe.add_photo (category = the folder's class), once."""
    closet = CACHE / "closet"
    if (closet / "closet.json").exists():
        return closet
    if closet.exists():
        shutil.rmtree(closet)
    rng = np.random.default_rng(seed)
    with Wardrobe.open(closet, classifier="none") as wardrobe:
        for folder, n in PER_CLASS.items():
            paths = sorted((PHOTOS / folder).iterdir())
            for index, path in enumerate(rng.permutation(paths)[:n]):
                try:
                    item = wardrobe.add_photo(path, category=folder)
                except WardrobeError as exc:  # a bad photo is skipped, as the app does
                    print(f"skipped {path.name}: {exc}")
                    continue
                if folder == "shoes":
                    wardrobe.set_category(item.id, SHOE_KINDS[index % len(SHOE_KINDS)])
                elif folder == "pants":
                    wardrobe.set_category(item.id, PANTS_KINDS[index % len(PANTS_KINDS)])
        described = [
            {
                "id": i.id,
                "category": i.category,
                "group": i.group.value if i.group else None,
                "colours": [[c.name, *c.hsv, c.share] for c in i.colours],
                "multicolour": i.multicolour,
                "truth": truth(i.source_name),
            }
            for i in wardrobe.items()
        ]
    (closet / "closet.json").write_text(json.dumps(described, indent=1), encoding="utf-8")
    return closet


def fresh_copy(name: str) -> Path:
    """A copy of the cached closet for one run (ratings start empty)."""
    source = build_closet()
    target = CACHE / "runs" / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


if __name__ == "__main__":
    folder = build_closet()
    items = json.loads((folder / "closet.json").read_text())
    print(f"{len(items)} items in {folder}")
