"""Start the Wardrobe desktop app (``python main.py``)."""

from wardrobe_app.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
