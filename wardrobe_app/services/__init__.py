"""Services: the facade both fronts (CLI and GUI) use."""

from wardrobe_app.services.wardrobe import Wardrobe

__all__ = ["Wardrobe"]
