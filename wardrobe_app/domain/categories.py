"""Garment categories and the outfit group each belongs to (one table)."""

from __future__ import annotations

from wardrobe_app.domain.category_names import category_name, spoken_aliases
from wardrobe_app.domain.errors import UnknownCategoryError
from wardrobe_app.domain.types import Group

#: The ten labels of garment_classifier 1.x, in label order (also the first ten of 2.x). A loaded version's
#: own label set is its labels.json (``GarmentClassifier.labels``): 2.x adds six kinds of top.
CLASSIFIER_CATEGORIES: tuple[str, ...] = (
    "t-shirt",
    "longsleeve",
    "shirt",
    "outwear",
    "dress",
    "pants",
    "shorts",
    "skirt",
    "shoes",
    "hat",
)

#: Every category a user may pick, mapped to its group.
CATEGORY_GROUPS: dict[str, Group] = {
    # tops
    "t-shirt": Group.TOP,
    "longsleeve": Group.TOP,
    "shirt": Group.TOP,
    "outwear": Group.TOP,
    "blouse": Group.TOP,
    "polo": Group.TOP,
    "tank top": Group.TOP,
    "sweater": Group.TOP,
    "hoodie": Group.TOP,
    "jacket": Group.TOP,
    "blazer": Group.TOP,
    "coat": Group.TOP,
    "cardigan": Group.TOP,
    "undershirt": Group.TOP,
    "top": Group.TOP,
    # full (counts as top + middle)
    "dress": Group.FULL,
    "jumpsuit": Group.FULL,
    # middles (bottoms)
    "pants": Group.MIDDLE,
    "jeans": Group.MIDDLE,
    "trousers": Group.MIDDLE,
    "chinos": Group.MIDDLE,
    "leggings": Group.MIDDLE,
    "sweatpants": Group.MIDDLE,
    "shorts": Group.MIDDLE,
    "skirt": Group.MIDDLE,
    # shoes
    "shoes": Group.BOTTOM,
    "sneakers": Group.BOTTOM,
    "heels": Group.BOTTOM,
    "boots": Group.BOTTOM,
    "sandals": Group.BOTTOM,
    "formal shoes": Group.BOTTOM,
    "loafers": Group.BOTTOM,
    "flats": Group.BOTTOM,
    "slippers": Group.BOTTOM,
    "flip-flops": Group.BOTTOM,
    # accessories
    "hat": Group.ACCESSORY,
    "cap": Group.ACCESSORY,
    "scarf": Group.ACCESSORY,
    "bag": Group.ACCESSORY,
    "belt": Group.ACCESSORY,
    "tie": Group.ACCESSORY,
    # accessories a shop catalogue sells (Fashion Product Images: watches, sunglasses, ...); outfits leave them out
    "watch": Group.ACCESSORY,
    "sunglasses": Group.ACCESSORY,
    "wallet": Group.ACCESSORY,
    "jewellery": Group.ACCESSORY,
    "socks": Group.ACCESSORY,
}


#: Other spellings people type, each mapped to the stored category (built once).
_ALIASES: dict[str, str] = {
    "tshirt": "t-shirt",
    "t shirt": "t-shirt",
    "tee": "t-shirt",
    "long sleeve": "longsleeve",
    "formal-shoes": "formal shoes",
    "trainers": "sneakers",
    "vest": "undershirt",
    "camisole": "top",
    "crop top": "top",
    "hoody": "hoodie",
    "flip flops": "flip-flops",
    "house shoes": "slippers",
    "denim": "jeans",
    "long sleeve top": "longsleeve",
    "long-sleeve": "longsleeve",
    "jewelry": "jewellery",
    "wristwatch": "watch",
    "sunglass": "sunglasses",
    "shades": "sunglasses",
    **spoken_aliases(),  # what the app shows ("long-sleeve top") is a name a user may type back
}


def normalise_category(name: str) -> str:
    """Return the canonical spelling of a category, or raise UnknownCategoryError."""
    key = " ".join(name.strip().lower().replace("_", " ").split())
    key = _ALIASES.get(key, key)
    if key not in CATEGORY_GROUPS:
        raise UnknownCategoryError(name, sorted({category_name(c) for c in CATEGORY_GROUPS}))
    return key


def group_of(category: str) -> Group:
    """The group a (canonical or alias) category belongs to."""
    return CATEGORY_GROUPS[normalise_category(category)]
