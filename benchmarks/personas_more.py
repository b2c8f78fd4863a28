"""More simulated people for benchmarks/personas.py (``--personas new``): tastes different in kind from the
first three, judged on ground truth the app never sees (the dataset folder, the raw photo's central
lightness, colourfulness and hue).

- no shorts, skirts or hats: a garment-type taste (the dataset folder; a hat worn as the accessory);
- tonal: every garment's lightness within a narrow band (a monochrome person);
- strong contrast: the upper garment and the lower one (or a dress and the shoes) far apart in lightness;
- blue tops only: the upper garment (top or dress) is blue in the raw photo (a rare combination);
- easy-going: likes about two outfits in three, by a fixed coin per outfit (a permissive, noisy person);
- dark at work, colour at parties: a taste that differs by occasion.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

from wardrobe_app.domain import Outfit

Truth = dict[int, dict[str, object]]


def _photo_hue(path: Path) -> tuple[float, float]:
    """(hue in degrees, share of colourful pixels) of the raw photo's centre: the saturation-weighted
    circular mean hue of the pixels with saturation >= 0.25 and value >= 0.2."""
    from PIL import Image

    with Image.open(path) as image:
        hsv = np.asarray(image.convert("RGB").convert("HSV"), dtype=np.float32) / 255.0
    h, w = hsv.shape[:2]
    centre = hsv[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4].reshape(-1, 3)
    colourful = (centre[:, 1] >= 0.25) & (centre[:, 2] >= 0.2)
    if not colourful.any():
        return 0.0, 0.0
    angle = centre[colourful, 0] * 2 * np.pi
    weight = centre[colourful, 1]
    hue = float(np.degrees(np.arctan2((weight * np.sin(angle)).sum(), (weight * np.cos(angle)).sum())) % 360)
    return round(hue, 1), round(float(colourful.mean()), 4)


def add_hue(truth: Truth, closet: Path, photos: Path) -> Truth:
    """``truth`` with each garment's raw-photo ``hue`` and ``colourful`` share, computed once and cached
    beside the closet (``hue_truth.json``)."""
    cache = closet.parent / "hue_truth.json"
    if cache.exists():
        hues = {int(k): v for k, v in json.loads(cache.read_text()).items()}
    else:
        import sqlite3

        with sqlite3.connect(closet / "wardrobe.sqlite3") as db:
            names = db.execute("select id, source_name from items").fetchall()
        hues = {}
        for item_id, name in names:
            path = next(photos.glob(f"*/{name}"), None) if name else None
            if path is not None:
                hue, share = _photo_hue(path)
                hues[int(item_id)] = {"hue": hue, "colourful": share}
        cache.write_text(json.dumps(hues), encoding="utf-8")
    return {i: {**t, **hues.get(i, {})} for i, t in truth.items()}


def _garments(outfit: Outfit) -> list[int]:
    return [i for i in (outfit.layer, outfit.top, outfit.full, outfit.middle, outfit.bottom) if i is not None]


def _num(truth: Truth, item_id: int, key: str, default: float = 0.0) -> float:
    return float(truth.get(item_id, {}).get(key, default))  # type: ignore[arg-type]


def _folder(truth: Truth, item_id: int | None) -> str:
    return str(truth.get(item_id, {}).get("folder", "")) if item_id is not None else ""


def covered(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """Never shorts or a skirt, and no hat."""
    if any(_folder(truth, i) in ("shorts", "skirt") for i in _garments(outfit)):
        return False
    return _folder(truth, outfit.accessory) != "hat"


def tonal(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """All garments (shoes included) within 0.25 of each other in lightness."""
    levels = [_num(truth, i, "lightness") for i in _garments(outfit)]
    return max(levels) - min(levels) <= 0.25


def contrast(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """Upper and lower garment (dress and shoes) at least 0.35 apart in lightness."""
    upper = outfit.top if outfit.top is not None else outfit.full
    lower = outfit.middle if outfit.middle is not None else outfit.bottom
    if upper is None or lower is None:
        return False
    return abs(_num(truth, upper, "lightness") - _num(truth, lower, "lightness")) >= 0.35


def blue_top(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """The top (or dress) is blue: raw-photo hue 190-260 degrees on a colourful part of the garment."""
    upper = outfit.top if outfit.top is not None else outfit.full
    if upper is None:
        return False
    return 190 <= _num(truth, upper, "hue") <= 260 and _num(truth, upper, "colourful") >= 0.3


def easy_going(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """Likes about two outfits in three: a fixed coin per outfit (the same outfit, the same answer)."""
    key = ",".join(str(i) for i in sorted(_garments(outfit)))
    return zlib.crc32(key.encode()) % 1000 < 650


def by_occasion(outfit: Outfit, truth: Truth, occasion: str = "") -> bool:
    """At work only dark garments (lightness <= 0.45); at a party at least one colourful one."""
    if occasion == "work":
        return all(_num(truth, i, "lightness") <= 0.45 for i in _garments(outfit))
    return any(_num(truth, i, "saturation") >= 0.40 for i in _garments(outfit))


MORE = {
    "no shorts/skirts/hats": (("casual", "date"), covered),
    "tonal": (("casual", "work"), tonal),
    "strong contrast": (("casual", "party"), contrast),
    "blue tops only": (("casual", "work"), blue_top),
    "easy-going (65%)": (("casual", "date", "party"), easy_going),
    "dark work, colour party": (("work", "party"), by_occasion),
}
