"""Typed errors a user can cause, each with a message a person understands."""

from __future__ import annotations


class WardrobeError(Exception):
    """Base of every error the wardrobe reports to a person."""


class PhotoError(WardrobeError):
    """A file could not be read as a photo (empty, truncated, not an image, too big)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DuplicatePhotoError(WardrobeError):
    """The same photo (same content) is already in the closet."""

    def __init__(self, path: str, existing_id: int) -> None:
        super().__init__(f"{path}: already in the closet as item {existing_id}")
        self.path = path
        self.existing_id = existing_id


class ItemNotFoundError(WardrobeError):
    """No item with that id."""

    def __init__(self, item_id: int) -> None:
        super().__init__(f"there is no item {item_id} in the closet")
        self.item_id = item_id


class UnknownCategoryError(WardrobeError):
    """A category name the wardrobe does not know."""

    def __init__(self, category: str, known: list[str]) -> None:
        super().__init__(f"unknown category {category!r}; known categories: {', '.join(known)}")
        self.category = category


class UnknownOccasionError(WardrobeError):
    """An occasion name the wardrobe does not know."""

    def __init__(self, occasion: str, known: list[str]) -> None:
        super().__init__(f"unknown occasion {occasion!r}; known occasions: {', '.join(known)}")
        self.occasion = occasion


class CannotMakeOutfitError(WardrobeError):
    """The closet lacks what an outfit needs (no shoes, say)."""


class DataDirError(WardrobeError):
    """The data folder cannot be created, read or written."""


class ArchiveError(WardrobeError):
    """An export archive is damaged or not a wardrobe archive."""


class UnknownCatalogueError(WardrobeError):
    """No imported shop catalogue of that name."""

    def __init__(self, name: str, known: list[str]) -> None:
        listing = ", ".join(known) if known else "none yet (import one with: wardrobe catalogue import NAME DIR)"
        super().__init__(f"there is no catalogue {name!r}; catalogues: {listing}")
        self.name = name


class CollectionGoneError(WardrobeError):
    """The catalogue being imported into was removed (or the closet restored) by another window meanwhile."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"the catalogue {name!r} was removed (or the closet restored) in another window or command while it was "
            "being imported; the import stopped and added nothing more. Import it again to start over"
        )
        self.name = name


class ModelIntegrityError(WardrobeError):
    """A trained model file is missing or does not match its manifest."""


class ClosetBusyError(WardrobeError):
    """Another window or command is writing to the closet and did not finish in time."""


class DamagedClosetError(WardrobeError):
    """The closet on disk is damaged (database unreadable, missing, or pointing outside its folder)."""


class UnsafePathError(DamagedClosetError):
    """A path read from the database or an archive points outside the data folder."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"refusing to use {path!r}: it points outside the closet's folder (the database may have been "
            "tampered with; run `wardrobe doctor`)"
        )
        self.path = path


class DiskFullError(WardrobeError):
    """The disk holding the closet is full."""

    def __init__(self, where: str) -> None:
        super().__init__(f"the disk is full ({where}); nothing half-written was kept. Free some space and try again")


class ItemInTrashError(ItemNotFoundError):
    """The item was removed to the trash: it is out of the closet until restored (or gone once emptied)."""

    def __init__(self, item_id: int) -> None:
        WardrobeError.__init__(
            self, f"item {item_id} is in the trash; bring it back with `wardrobe restore {item_id}` first"
        )
        self.item_id = item_id


class InvalidCutoutError(WardrobeError, ValueError):
    """A brush stroke or a mask for the cut-out fix that cannot be used (off any photo, absurd, wrong shape)."""
