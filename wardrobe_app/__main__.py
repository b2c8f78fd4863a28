"""``python -m wardrobe_app`` runs the command-line interface."""

from wardrobe_app.cli import main

raise SystemExit(main())
