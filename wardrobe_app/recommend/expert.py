"""The expert scorer: dress-code and colour-theory rules rate any outfit and say why."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from wardrobe_app.domain import Colour, Item, category_name
from wardrobe_app.recommend.features import hue_distance
from wardrobe_app.recommend.rules import ExpertRules, check_occasion, expert_rules

#: Share of the final score that comes from category suitability, colour harmony and formality.
WEIGHTS = {"suitability": 0.55, "harmony": 0.35, "formality": 0.10}


@dataclass(frozen=True)
class Verdict:
    """The expert's rating of one outfit (0..1) and its reasons, each with its weight (+ good, - bad)."""

    score: float
    reasons: tuple[tuple[float, str], ...]
    dress_code: frozenset[str] = frozenset()  # the reasons that are about the occasion's dress code

    def words(self, limit: int = 4) -> tuple[str, ...]:
        """The strongest reasons without repeats, good ones first, mixing colour and dress code."""
        ranked = sorted(self.reasons, key=lambda r: (r[0] < 0, -abs(r[0])))
        texts = list(dict.fromkeys(text for _, text in ranked))
        code = [t for t in texts if t in self.dress_code]
        colour = [t for t in texts if t not in self.dress_code]
        mixed = []
        while code or colour:  # alternate: colour, dress code, colour, ...
            for group in (colour, code):
                if group:
                    mixed.append(group.pop(0))
        good = [t for t in mixed if t in {text for w, text in self.reasons if w >= 0}]
        return tuple((good + [t for t in mixed if t not in good])[:limit])


def _plural(category: str) -> bool:
    return category.endswith("s") and category not in ("dress",)


def _colour_of(item: Item) -> Colour:
    return item.dominant_colour or Colour("grey", "#808080", (0.0, 0.0, 0.5), 1.0)


def _is_neutral(colour: Colour, rules: ExpertRules) -> bool:
    return colour.name in rules.neutrals or colour.hsv[1] <= rules.colour["neutral_max_saturation"]


def _is_loud(colour: Colour, rules: ExpertRules) -> bool:
    loud = rules.colour["loud"]
    _h, s, v = colour.hsv
    return not _is_neutral(colour, rules) and s >= loud["min_saturation"] and v >= loud["min_value"]


def _pair(a: Colour, b: Colour, rules: ExpertRules, top_middle: bool) -> tuple[float, str | None]:
    """Score and reason of one pair of dominant colours."""
    pr = rules.colour["pair_rules"]
    na, nb = _is_neutral(a, rules), _is_neutral(b, rules)
    if na and nb:
        if sorted((a.name, b.name)) in [sorted(p) for p in rules.colour["classic_pairs"]]:
            contrast = abs(a.hsv[2] - b.hsv[2]) >= pr["value_contrast"]["min_contrast"]
            text = pr["classic_pair"]["reason" if contrast else "reason_low_contrast"]
            return pr["classic_pair"]["score"], text.format(a=a.name, b=b.name)
        if a.name == b.name:
            return pr["monochrome"]["score"], pr["monochrome"]["reason"].format(a=a.name)
        score = pr["both_neutral"]["score"]
        vc = pr["value_contrast"]
        if top_middle and abs(a.hsv[2] - b.hsv[2]) >= vc["min_contrast"]:
            return score + vc["score"], vc["reason"].format(a=a.name, b=b.name)
        return score, pr["both_neutral"]["reason"].format(a=a.name, b=b.name)
    if na or nb:
        neutral, colour = (a, b) if na else (b, a)
        return pr["one_neutral"]["score"], pr["one_neutral"]["reason"].format(n=neutral.name, c=colour.name)
    d = float(hue_distance(a.hsv[0], b.hsv[0]))  # type: ignore[arg-type]
    if d <= pr["monochrome"]["max_hue"]:
        return pr["monochrome"]["score"], pr["monochrome"]["reason"].format(a=a.name)
    if d <= pr["analogous"]["max_hue"]:
        return pr["analogous"]["score"], pr["analogous"]["reason"].format(a=a.name, b=b.name)
    if d >= pr["complementary"]["min_hue"]:
        return pr["complementary"]["score"], pr["complementary"]["reason"].format(a=a.name, b=b.name)
    clash = pr["clash"]
    if clash["min_hue"] <= d <= clash["max_hue"] and min(a.hsv[1], b.hsv[1]) >= clash["min_saturation"]:
        return clash["score"], clash["reason"].format(a=a.name, b=b.name)
    return 0.0, None


def judge(
    slots: dict[str, Item | None], occasion: str, rules: ExpertRules | None = None, season: str | None = None
) -> Verdict:
    """Rate an outfit given as {"top"|"middle"|"full"|"bottom": Item or None} for an occasion.

    ``season`` (spring, summer, autumn, winter), when given, lowers pieces out of season.
    """
    rules = rules or expert_rules()
    occasion = check_occasion(occasion)
    worn = {slot: item for slot, item in slots.items() if item is not None}
    reasons: list[tuple[float, str]] = []
    dress_code: set[str] = set()

    weights = rules.slot_weights
    total_w = sum(weights[s] for s in worn) or 1.0
    suitability = 0.0
    for slot, item in worn.items():
        category = category_name(item.category, "item")
        suits = rules.suits(occasion, item.category)
        suitability += weights[slot] * suits / total_w
        verb = "suit" if _plural(category) else "suits"
        if suits >= 0.8:
            reasons.append((0.1 * suits, f"{category} {verb} {occasion}"))
            dress_code.add(reasons[-1][1])
        elif suits <= 0.3:
            where = f"at {occasion}" if occasion in ("work", "sport", "party") else f"for {occasion}"
            be = "are" if _plural(category) else "is"
            reasons.append((-0.3 * (1 - suits), f"{category} {be} out of place {where}"))
            dress_code.add(reasons[-1][1])

    harmony = rules.colour["base_harmony"]
    order = [s for s in ("top", "full", "middle", "bottom") if s in worn]
    for s1, s2 in combinations(order, 2):
        score, text = _pair(_colour_of(worn[s1]), _colour_of(worn[s2]), rules, {s1, s2} == {"top", "middle"})
        harmony += score
        if text:
            reasons.append((score, text))
    colours = [_colour_of(i) for i in worn.values()]
    outfit_rules = rules.colour["outfit_rules"]
    loud = [c for c in colours if _is_loud(c, rules)]
    extra = len(loud) - max(1, rules.loud_ok[occasion])
    if extra > 0:
        penalty = outfit_rules["too_many_loud"]["score_per_extra"] * extra
        harmony += penalty
        reasons.append((penalty, outfit_rules["too_many_loud"]["reason"].format(n=len(loud))))
    elif len(loud) == 1 and all(_is_neutral(c, rules) for c in colours if c is not loud[0]):
        harmony += outfit_rules["one_accent"]["score"]
        accent = outfit_rules["one_accent"]
        reasons.append((accent["score"], accent["reason"].format(c=loud[0].name)))
    if sum(i.multicolour for i in worn.values()) >= 2:
        harmony += outfit_rules["two_patterns"]["score"]
        reasons.append((outfit_rules["two_patterns"]["score"], outfit_rules["two_patterns"]["reason"]))
    harmony = min(1.0, max(0.0, harmony))

    target = rules.occasion_formality[occasion]
    levels = [rules.formality(i.category, i.formality) for i in worn.values()]
    gap = sum(abs(level - target) for level in levels) / max(1, len(levels))
    fit = max(0.0, 1.0 - gap / 3.0)
    mean_level = sum(levels) / max(1, len(levels))
    if gap >= 1.5:
        word = "too casual" if mean_level < target else "too dressy"
        reasons.append((-0.1 * gap, f"{word} for {occasion}"))
        dress_code.add(reasons[-1][1])

    if season is not None:
        for item in worn.values():
            seasons = (
                [item.season]
                if item.season and item.season != "all"
                else rules.category_seasons.get(item.category or "", [])
            )
            if seasons and season not in seasons:
                suitability -= 0.15
                reasons.append((-0.15, f"{category_name(item.category, 'item')}: not for {season}"))

    score = WEIGHTS["suitability"] * suitability + WEIGHTS["harmony"] * harmony + WEIGHTS["formality"] * fit
    return Verdict(score=round(min(1.0, max(0.0, score)), 4), reasons=tuple(reasons), dress_code=frozenset(dress_code))
