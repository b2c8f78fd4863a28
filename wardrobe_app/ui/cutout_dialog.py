"""The Fix cut-out dialog: the photo with its mask, a brush for "keep" and "remove" strokes, Apply (GrabCut
with the strokes as seeds, in the worker), Undo stroke, Back to the original, and Save."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Item
from wardrobe_app.domain.strokes import Stroke
from wardrobe_app.ui.naming import named, plain
from wardrobe_app.ui.session import ClosetSession

KEEP_COLOUR, REMOVE_COLOUR = QColor(40, 200, 90, 150), QColor(230, 40, 60, 150)
CANVAS = QSize(560, 480)


def overlay(rgb: np.ndarray, mask: np.ndarray) -> QImage:
    """The photo with what the mask leaves out dimmed and tinted, and the garment's outline in yellow."""
    garment = mask > 0
    out = rgb.astype(np.float32)
    out[~garment] = out[~garment] * 0.3 + np.array((110, 20, 70), np.float32) * 0.45
    inner = garment.copy()
    inner[1:, :] &= garment[:-1, :]
    inner[:-1, :] &= garment[1:, :]
    inner[:, 1:] &= garment[:, :-1]
    inner[:, :-1] &= garment[:, 1:]
    out[garment & ~inner] = (255, 220, 0)
    data = np.ascontiguousarray(out.clip(0, 255).astype(np.uint8))
    height, width = data.shape[:2]
    return QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class CutoutCanvas(QWidget):
    """Shows the overlay fitted to the widget; a drag paints a stroke (in photo pixels) of the current kind."""

    strokes_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cutoutCanvas")
        self.setMinimumSize(CANVAS)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.pixmap = QPixmap()
        self.photo_size = QSize(1, 1)
        self.strokes: list[Stroke] = []
        self.keep = True
        self.brush = 12  # radius in screen pixels
        self._points: list[tuple[int, int]] = []

    def set_image(self, rgb: np.ndarray, mask: np.ndarray) -> None:
        self.pixmap = QPixmap.fromImage(overlay(rgb, mask))
        self.photo_size = QSize(rgb.shape[1], rgb.shape[0])
        self.update()

    # -- geometry ------------------------------------------------------------------------------
    def _target(self) -> QRect:
        fitted = self.photo_size.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect(QPoint((self.width() - fitted.width()) // 2, (self.height() - fitted.height()) // 2), fitted)

    def scale(self) -> float:
        return self._target().width() / max(1, self.photo_size.width())

    def to_photo(self, pos: QPointF | QPoint) -> tuple[int, int]:
        target, scale = self._target(), self.scale()
        x = (pos.x() - target.left()) / scale
        y = (pos.y() - target.top()) / scale
        return (
            int(min(max(x, 0), self.photo_size.width() - 1)),
            int(min(max(y, 0), self.photo_size.height() - 1)),
        )

    def photo_radius(self) -> int:
        return max(1, round(self.brush / self.scale()))

    # -- painting ----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._points = [self.to_photo(event.position())]
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._points:
            point = self.to_photo(event.position())
            if point != self._points[-1]:
                self._points.append(point)
                self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._points:
            self.add_stroke(Stroke(tuple(self._points), self.photo_radius(), self.keep))
            self._points = []

    def add_stroke(self, stroke: Stroke) -> None:
        self.strokes.append(stroke)
        self.strokes_changed.emit()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#2b2b2b"))
        target = self._target()
        if not self.pixmap.isNull():
            painter.drawPixmap(target, self.pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = self.scale()
        pending = [(self._points, self.photo_radius(), self.keep)] if self._points else []
        for points, radius, keep in [(list(s.points), s.radius, s.keep) for s in self.strokes] + pending:
            pen = QPen(KEEP_COLOUR if keep else REMOVE_COLOUR, 2 * radius * scale)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            screen = [QPointF(target.left() + x * scale, target.top() + y * scale) for x, y in points]
            if len(screen) == 1:
                painter.drawPoint(screen[0])
            else:
                painter.drawPolyline(screen)
        painter.end()


class CutoutFixDialog(QDialog):
    """Fix one item's cut-out; ``saved(item)`` once the new cut-out is in the closet."""

    saved = Signal(object)

    def __init__(self, session: ClosetSession, image: Any, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cutoutDialog")
        self.setWindowTitle(f"Fix the cut-out of {label}")
        self.session = session
        self.history: list[Any] = [image]  # CutoutImage after each Apply; the first is the one opened
        self.busy = False

        self.canvas = CutoutCanvas()
        self.canvas.set_image(image.rgb, image.mask)
        self.canvas.strokes_changed.connect(self._update_buttons)
        self.keep_button = named(QPushButton("Keep (paint garment)"), "keepBrush")
        self.remove_button = named(QPushButton("Remove (paint background)"), "removeBrush")
        group = QButtonGroup(self)
        for button in (self.keep_button, self.remove_button):
            button.setCheckable(True)
            group.addButton(button)
        self.keep_button.setChecked(True)
        self.keep_button.toggled.connect(lambda on: setattr(self.canvas, "keep", on))
        self.size_slider = named(QSlider(Qt.Orientation.Horizontal), "brushSize")
        self.size_slider.setRange(2, 60)
        self.size_slider.setValue(self.canvas.brush)
        self.size_slider.valueChanged.connect(lambda v: setattr(self.canvas, "brush", v))
        tools = QHBoxLayout()
        tools.addWidget(self.keep_button)
        tools.addWidget(self.remove_button)
        tools.addWidget(QLabel("Brush"))
        tools.addWidget(self.size_slider, 1)

        self.apply_button = named(QPushButton("Apply"), "applyStrokes")
        self.apply_button.setToolTip("Cut out again with your strokes as sure garment / sure background")
        self.apply_button.clicked.connect(self.apply)
        self.undo_button = named(QPushButton("Undo stroke"), "undoStroke")
        self.undo_button.setShortcut("Ctrl+Z")
        self.undo_button.clicked.connect(self.undo)
        self.original_button = named(QPushButton("Back to the original"), "backToOriginal")
        self.original_button.setToolTip("The cut-out the import made, before any fix")
        self.original_button.clicked.connect(self.back_to_original)
        self.save_button = named(QPushButton("Save"), "saveCutout")
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        actions = QHBoxLayout()
        for button in (self.apply_button, self.undo_button, self.original_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        actions.addWidget(cancel)
        self.status = plain(named(QLabel(), "cutoutStatus"))
        self.status.setText(
            "Paint over what should be kept (green) or removed (red), then Apply. Dimmed parts are left out."
        )

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        self._update_buttons()

    @property
    def current(self) -> Any:
        return self.history[-1]

    def _update_buttons(self) -> None:
        free = not self.busy
        self.apply_button.setEnabled(free and bool(self.canvas.strokes))
        self.undo_button.setEnabled(free and (bool(self.canvas.strokes) or len(self.history) > 1))
        self.original_button.setEnabled(free)
        self.save_button.setEnabled(free)

    def _run(self, fn: Any, done: Any, message: str, title: str) -> None:
        self.busy = True
        self.status.setText(message)
        self._update_buttons()

        def finished(result: Any) -> None:
            self.busy = False
            done(result)
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            self.busy = False
            self.status.setText("")
            self._update_buttons()
            self.session.report(title, exc)

        self.session.run(fn, done=finished, failed=failed, title=title)

    def apply(self) -> None:
        strokes, image = list(self.canvas.strokes), self.current
        if strokes:
            self._run(lambda w: w.refine_cutout(image, strokes), self._show, "Cutting out again…", "Cannot apply")

    def _show(self, image: Any) -> None:
        self.history.append(image)
        self.canvas.strokes.clear()
        self.canvas.set_image(image.rgb, image.mask)
        self.status.setText("Applied. Paint more strokes, Undo, or Save.")

    def undo(self) -> None:
        if self.canvas.strokes:
            self.canvas.strokes.pop()
            self.canvas.update()
        elif len(self.history) > 1:
            self.history.pop()
            self.canvas.set_image(self.current.rgb, self.current.mask)
        self._update_buttons()

    def back_to_original(self) -> None:
        item_id = self.current.item_id
        self._run(lambda w: w.original_cutout(item_id), self._show, "Cutting out as the import did…", "Cannot reset")

    def save(self) -> None:
        strokes, image = list(self.canvas.strokes), self.current

        def save(w: Any) -> Item:
            final = w.refine_cutout(image, strokes) if strokes else image
            return w.save_cutout(final.item_id, final.mask)

        self._run(save, self._saved, "Saving the cut-out…", "Cannot save the cut-out")

    def _saved(self, item: Item) -> None:
        self.saved.emit(item)
        self.accept()
