"""Check, before the desktop app starts, that the system libraries Qt's X11/Wayland plugins need are installed.

PySide6's wheels carry Qt but not the X11 helper libraries (libxcb-cursor0, libxcb-icccm4, ...), which a fresh
Debian/Ubuntu lacks; Qt then stops with "could not load the Qt platform plugin xcb". This asks the dynamic
linker (``ldd``) what Qt's xcb plugin cannot find and prints the exact ``apt-get install`` line. Nothing here
imports Qt. ``python -m wardrobe_app.ui.qt_libs`` exits 1 (after saying what to install) when something is
missing, 0 otherwise (and on systems other than Linux, where the wheels carry everything).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: Shared library -> the Debian/Ubuntu package that provides it (what Qt 6's xcb plugin loads).
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def qt_dir() -> Path | None:
    """PySide6's bundled Qt folder, found without importing PySide6."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def missing_libraries(qt: Path | None = None) -> list[str]:
    """Shared libraries Qt's xcb platform plugin needs that the system lacks (empty when all are there)."""
    qt = qt or qt_dir()
    ldd = shutil.which("ldd")
    if qt is None or ldd is None:
        return []
    missing: set[str] = set()
    for binary in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"):
        if binary.is_file():
            out = subprocess.run([ldd, str(binary)], capture_output=True, text=True, check=False).stdout
            missing.update(_NOT_FOUND.findall(out))
    return sorted(missing)


def install_command(missing: list[str]) -> str:
    """The apt-get line that installs them (a library we cannot name a package for is listed as it is)."""
    packages = sorted({DEBIAN_PACKAGES.get(lib, lib) for lib in missing})
    return "sudo apt-get install -y " + " ".join(packages)


def needs_xcb(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether Qt will use its X11 (xcb) plugin: not when QT_QPA_PLATFORM names others (offscreen, wayland, ...)."""
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if not chosen:
        return True
    return any(name.strip().split(":")[0] == "xcb" for name in chosen.split(";"))


def main() -> int:
    if not sys.platform.startswith("linux") or not needs_xcb():
        return 0
    missing = missing_libraries()
    if not missing:
        return 0
    print(
        "The desktop app needs system libraries that Qt does not bundle and this system lacks:\n  "
        + ", ".join(missing)
        + "\nInstall them (Debian/Ubuntu) with:\n  "
        + install_command(missing)
        + "\n(on other distributions install the packages that provide these files)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
