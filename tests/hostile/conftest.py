"""Fixtures of the hostile tests: the in-process ``wardrobe`` command line of the unit tests."""

from __future__ import annotations

from tests.unit.conftest import CliRun, run

__all__ = ["CliRun", "run"]
