"""Start the desktop app: QApplication, the main window on screen first, then the closet opens in the background."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from wardrobe_app.resources import shipped_dir
from wardrobe_app.ui.main_window import MainWindow


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wardrobe-gui", description="The Wardrobe desktop app.")
    parser.add_argument(
        "--data-dir",
        default=None,  # the closet reads WARDROBE_DATA_DIR itself, as the CLI does (an empty one is unset)
        help="closet folder (default: WARDROBE_DATA_DIR or the user data folder)",
    )
    parser.add_argument("--no-classifier", action="store_true", help="never load the garment classifier")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C in the terminal quits
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Wardrobe")
    app.setOrganizationName("Wardrobe")
    QGuiApplication.setDesktopFileName("wardrobe")  # matches assets/linux/wardrobe.desktop (`make desktop`)
    QGuiApplication.setWindowIcon(QIcon(str(shipped_dir("assets") / "linux" / "wardrobe.png")))
    window = MainWindow(args.data_dir, classifier="none" if args.no_classifier else "auto")
    window.show()
    QTimer.singleShot(0, window.start)
    return app.exec()
