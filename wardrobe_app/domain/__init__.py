"""Domain objects of the wardrobe: frozen dataclasses and enums, no I/O."""

from wardrobe_app.domain.categories import (
    CATEGORY_GROUPS,
    CLASSIFIER_CATEGORIES,
    group_of,
    normalise_category,
)
from wardrobe_app.domain.errors import (
    ArchiveError,
    CannotMakeOutfitError,
    DataDirError,
    DuplicatePhotoError,
    ItemNotFoundError,
    ModelIntegrityError,
    PhotoError,
    UnknownCatalogueError,
    UnknownCategoryError,
    UnknownOccasionError,
    WardrobeError,
)
from wardrobe_app.domain.types import (
    AddResult,
    Change,
    Colour,
    Feedback,
    Group,
    Item,
    Occasion,
    Outfit,
    Suggestions,
)

__all__ = [
    "CATEGORY_GROUPS",
    "CLASSIFIER_CATEGORIES",
    "AddResult",
    "ArchiveError",
    "CannotMakeOutfitError",
    "Change",
    "Colour",
    "DataDirError",
    "DuplicatePhotoError",
    "Feedback",
    "Group",
    "Item",
    "ItemNotFoundError",
    "ModelIntegrityError",
    "Occasion",
    "Outfit",
    "PhotoError",
    "Suggestions",
    "UnknownCatalogueError",
    "UnknownCategoryError",
    "UnknownOccasionError",
    "WardrobeError",
    "group_of",
    "normalise_category",
]
