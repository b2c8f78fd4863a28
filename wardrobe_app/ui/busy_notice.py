"""The status bar's "still working" notice: a change that waits on another window or command says so."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from wardrobe_app.ui.worker import Worker

#: After this long without an answer, the status bar says the window is still working (and why it may wait).
STILL_WORKING_MS = 3000
STILL_WORKING = "Still working… (or waiting for another window or command to finish)"  # fits beside the rest


class BusyNotice(QObject):
    """Shows STILL_WORKING while the worker stays busy with work that has no progress bar of its own
    (a write waits up to a minute, silently, while another process holds the closet's writer lock)."""

    def __init__(self, worker: Worker, status: QStatusBar, has_progress: Callable[[], bool]) -> None:
        super().__init__(status)
        self.worker, self.status, self.has_progress = worker, status, has_progress
        self.timer = QTimer(self, singleShot=True, interval=STILL_WORKING_MS)
        self.timer.timeout.connect(self._say)
        worker.busy_changed.connect(self._on_busy_changed)

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self.timer.start()
            return
        self.timer.stop()
        if self.status.currentMessage() == STILL_WORKING:
            self.status.clearMessage()

    def _say(self) -> None:
        if self.worker.busy and not self.has_progress() and not self.status.currentMessage():
            self.status.showMessage(STILL_WORKING)
        if self.worker.busy:
            self.timer.start()  # checked again: a message shown since may have gone
