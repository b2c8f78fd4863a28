"""The expert's rules, read once from the data files in assets/expert/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from wardrobe_app.domain import Occasion, UnknownOccasionError
from wardrobe_app.resources import shipped_dir

EXPERT_DIR = shipped_dir("assets") / "expert"
OCCASIONS: tuple[str, ...] = tuple(o.value for o in Occasion)


@dataclass(frozen=True)
class ExpertRules:
    """Category suitability per occasion, formality, seasons and the colour-harmony rules."""

    suitability: dict[str, dict[str, float]]  # occasion -> category -> 0..1
    occasion_formality: dict[str, float]  # occasion -> 1..5
    loud_ok: dict[str, int]  # occasion -> loud colours that are still fine
    category_formality: dict[str, float]
    category_seasons: dict[str, list[str]]
    slot_weights: dict[str, float]
    colour: dict[str, Any]  # colour_rules.json as read

    @property
    def neutrals(self) -> frozenset[str]:
        return frozenset(self.colour["neutrals"])

    def suits(self, occasion: str, category: str | None) -> float:
        """How well a category suits an occasion (0..1); unknown categories get a middling 0.5."""
        return self.suitability[occasion].get(category or "", 0.5)

    def formality(self, category: str | None, own: int | None = None) -> float:
        """The item's formality 1..5: the user's own setting, else the category's usual one."""
        if own is not None:
            return float(own)
        return float(self.category_formality.get(category or "", 3.0))


def check_occasion(occasion: str) -> str:
    """The canonical occasion name, or UnknownOccasionError listing the known ones."""
    key = str(occasion).strip().lower()
    if key not in OCCASIONS:
        raise UnknownOccasionError(str(occasion), list(OCCASIONS))
    return key


@cache
def expert_rules(folder: Path = EXPERT_DIR) -> ExpertRules:
    """Read the rule files (cached for the process)."""
    occasions = json.loads((folder / "occasions.json").read_text(encoding="utf-8"))
    colour = json.loads((folder / "colour_rules.json").read_text(encoding="utf-8"))
    table = occasions["occasions"]
    missing = set(OCCASIONS) - set(table)
    if missing:
        raise ValueError(f"{folder}/occasions.json lacks occasions {sorted(missing)}")
    return ExpertRules(
        suitability={name: {k: float(v) for k, v in spec["categories"].items()} for name, spec in table.items()},
        occasion_formality={name: float(spec["formality"]) for name, spec in table.items()},
        loud_ok={name: int(spec["loud_ok"]) for name, spec in table.items()},
        category_formality={k: float(v) for k, v in occasions["category_formality"].items()},
        category_seasons={k: list(v) for k, v in occasions["category_seasons"].items()},
        slot_weights={k: float(v) for k, v in occasions["slot_weights"].items()},
        colour=colour,
    )
