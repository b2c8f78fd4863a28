"""Where the closet lives: platformdirs user data dir, or --data-dir / WARDROBE_DATA_DIR."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from wardrobe_app.domain import DataDirError

ENV_VAR = "WARDROBE_DATA_DIR"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("wardrobe", "Wardrobe"))


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The data dir to use, created if missing and checked to be writable."""
    if data_dir is not None:
        path = Path(data_dir)
    elif os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR])
    else:
        path = default_data_dir()
    path = path.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise DataDirError(
            f"cannot use the data folder {path}: {exc.strerror or exc}. "
            f"Choose another with --data-dir or {ENV_VAR}."
        ) from exc
    return path
