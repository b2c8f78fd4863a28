"""GUI fixtures: an offscreen main window on a temporary closet, a fake garment classifier, dialog answers."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from wardrobe_app.domain import Group, group_of
from wardrobe_app.ui.main_window import MainWindow


@dataclass
class FakeClassification:
    category: str
    group: Group
    confidence: float
    top3: list[tuple[str, float]]
    features: np.ndarray = field(default_factory=lambda: np.zeros(512, np.float32))
    needs_review: bool = False


class FakeClassifier:
    """Same interface as GarmentClassifier: reddish garments are t-shirts, bluish pants, dark ones shoes.

    ``gate``: when set up, photos after the ``pass_before``-th wait for it (to cancel an import midway).
    """

    version = "fake-1"

    def __init__(self) -> None:
        self.calls = 0
        self.gate: threading.Event | None = None
        self.pass_before = 0

    def classify(self, images: list[np.ndarray], masks: list[np.ndarray] | None = None) -> list[FakeClassification]:
        out = []
        for index, rgb in enumerate(images):
            self.calls += 1
            if self.gate is not None and self.calls > self.pass_before:
                self.gate.wait(10)
            mask = masks[index] > 0 if masks is not None else np.ones(rgb.shape[:2], bool)
            r, _g, b = (float(rgb[..., c][mask].mean()) if mask.any() else 0.0 for c in range(3))
            if r > b + 40:
                category, confidence = "t-shirt", 0.92
            elif b > r + 40:
                category, confidence = "pants", 0.4
            else:
                category, confidence = "shoes", 0.8
            out.append(
                FakeClassification(
                    category, group_of(category), confidence, [(category, confidence)], needs_review=confidence < 0.5
                )
            )
        return out


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot: object, data_dir: Path, settings: QSettings, classifier: object = "none") -> MainWindow:
    window = MainWindow(data_dir, classifier=classifier, settings=settings)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.classifier_state != "loading" and not window.worker.busy, timeout=20000)  # type: ignore[attr-defined]
    return window


@pytest.fixture
def window(qtbot: object, data_dir: Path, settings: QSettings) -> Iterator[MainWindow]:
    """The main window on an empty temporary closet, without a classifier."""
    win = open_window(qtbot, data_dir, settings)
    yield win
    win.close()


@pytest.fixture
def fake_classifier() -> FakeClassifier:
    return FakeClassifier()


@pytest.fixture
def say_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer Yes to every confirmation; the questions asked are recorded."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def wait_for_import(qtbot: object, window: MainWindow, timeout: int = 60000) -> None:
    qtbot.waitUntil(lambda: window.import_job is None and window.last_summary is not None, timeout=timeout)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=timeout)  # type: ignore[attr-defined]
