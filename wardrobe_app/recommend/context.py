"""Where and when an outfit is worn: weather as the user states it, the season from the date, hard rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wardrobe_app.domain import Item, WardrobeError
from wardrobe_app.recommend.rules import ExpertRules

WEATHERS: tuple[str, ...] = ("cold", "mild", "warm", "hot")
#: Upper temperature (degrees C, exclusive) of each weather band; above the last is "hot".
BANDS: tuple[tuple[float, str], ...] = ((10.0, "cold"), (18.0, "mild"), (25.0, "warm"))
#: A category whose suitability for an occasion is below this is never worn to it (slippers at work).
NEVER_BELOW = 0.12
#: Categories never worn in a weather.
NOT_IN_WEATHER: dict[str, frozenset[str]] = {
    "cold": frozenset({"shorts", "sandals", "flip-flops", "tank top"}),
    "mild": frozenset({"shorts", "sandals", "flip-flops"}),
    "warm": frozenset({"coat"}),
    "hot": frozenset({"coat", "outwear", "boots", "sweater", "hoodie", "cardigan", "jacket"}),
}
#: Extra expert score of wearing an outer layer, per weather (cold wants one, hot does not).
LAYER_BONUS = {"cold": 0.12, "mild": 0.02, "warm": -0.04, "hot": -0.15, None: -0.01}


class UnknownWeatherError(WardrobeError):
    """The weather was neither a known word nor a temperature."""

    def __init__(self, text: str) -> None:
        super().__init__(f"unknown weather {text!r}: say cold, mild, warm, hot or a temperature in °C such as 14")


def parse_weather(text: str | float | None) -> str | None:
    """'cold' | 'mild' | 'warm' | 'hot' from a word or a temperature in °C; None stays None."""
    if text is None or text == "":
        return None
    key = str(text).strip().lower().removesuffix("°c").removesuffix("c").strip()
    if key in WEATHERS:
        return key
    try:
        celsius = float(key)
    except ValueError:
        raise UnknownWeatherError(str(text)) from None
    return next((name for limit, name in BANDS if celsius < limit), "hot")


HEMISPHERES: tuple[str, ...] = ("north", "south")


class UnknownHemisphereError(WardrobeError):
    """The hemisphere was neither north nor south."""

    def __init__(self, text: str) -> None:
        super().__init__(f"unknown hemisphere {text!r}: say north or south")


def parse_hemisphere(text: str) -> str:
    """'north' | 'south' from north, northern, n, south, southern, s (any case)."""
    key = str(text).strip().lower()
    for name in HEMISPHERES:
        if key in (name, name[0], f"{name}ern"):
            return name
    raise UnknownHemisphereError(str(text))


def season_of(day: date, hemisphere: str = "north") -> str:
    """Meteorological season of a date; the south's seasons are shifted by half a year."""
    seasons = ("winter", "spring", "summer", "autumn")
    index = (day.month % 12) // 3
    if hemisphere.lower().startswith("s"):
        index = (index + 2) % 4
    return seasons[index]


@dataclass(frozen=True)
class Context:
    """The occasion, the stated weather (or None) and the season (or None)."""

    occasion: str
    weather: str | None = None
    season: str | None = None


def allowed(item: Item, context: Context, rules: ExpertRules) -> bool:
    """Hard rules: never below the occasion's floor (slippers only at home), never out of the weather,
    never out of the item's own season when the user set one."""
    category = item.category or ""
    if rules.suits(context.occasion, category) < NEVER_BELOW:
        return False
    if context.weather is not None and category in NOT_IN_WEATHER[context.weather]:
        return False
    own = item.season
    return not (context.season is not None and own and own != "all" and own != context.season)


def season_penalty(item: Item, context: Context, rules: ExpertRules) -> float:
    """Soft rule: a category's usual seasons (when the user stated no weather and set no season)."""
    if context.season is None or context.weather is not None or (item.season and item.season != "all"):
        return 0.0
    usual = rules.category_seasons.get(item.category or "", [])
    return -0.12 if usual and context.season not in usual else 0.0
