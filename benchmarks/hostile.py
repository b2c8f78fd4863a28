"""Run every attack of tests/hostile (and the GUI's closet-safety tests) and print how many were handled.

Each attack is a test that reproduces one way a hostile archive, a second process, an odd file or path,
a damaged state or a full disk could lose, leak or double a closet, and checks the closet afterwards
(every item still there with all its files, nothing outside the data dir touched).

    .venv/bin/python benchmarks/hostile.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["tests/hostile", "tests/gui/test_closet_safety.py"]
LOSS_WORDS = ("lost", "precious", "outside", "snapshot")


class Tally:
    def __init__(self) -> None:
        self.passed: list[str] = []
        self.failed: list[tuple[str, str]] = []
        self.skipped: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if report.passed:
                self.passed.append(report.nodeid)
            elif report.skipped:
                self.skipped.append(report.nodeid)
            else:
                self.failed.append((report.nodeid, str(report.longrepr)))


def main() -> int:
    os.chdir(ROOT)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tally = Tally()
    pytest.main(["-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts=", *TARGETS], plugins=[tally])
    lost = [n for n, text in tally.failed if any(w in text for w in LOSS_WORDS)]
    tried = len(tally.passed) + len(tally.failed)
    print()
    print(f"attacks tried:          {tried}")
    print(f"handled cleanly:        {len(tally.passed)}")
    print(f"not handled:            {len(tally.failed)}")
    print(f"data lost or doubled:   {len(lost)}")
    print(f"skipped on this system: {len(tally.skipped)}")
    for name, _ in tally.failed:
        print(f"  not handled: {name}")
    return 0 if not tally.failed else 1


if __name__ == "__main__":
    sys.exit(main())
