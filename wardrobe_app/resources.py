"""Where the files Wardrobe ships (migrations, assets, models) are: in the installed package, or the source tree."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

Shipped = Literal["migrations", "assets", "models"]
#: The folder inside the package that the wheel carries them in (filled by setup.py's build step).
PACKAGED = "_data"


def shipped_dir(name: Shipped) -> Path:
    """The folder of shipped ``name`` files, found through importlib.resources.

    An installed wheel carries them in ``wardrobe_app/_data/<name>``; a source checkout (and an editable
    install) keeps them at the top of the project, beside the ``wardrobe_app`` package.
    """
    package = resources.files("wardrobe_app")
    packaged = package.joinpath(PACKAGED, name)
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(str(package)).parent / name
