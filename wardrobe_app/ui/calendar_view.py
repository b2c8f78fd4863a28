"""The Calendar tab: a month of the wear diary, each day's outfit as small thumbnails; plan, wear, move, delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Change, Occasion
from wardrobe_app.domain.diary import WearEntry
from wardrobe_app.ui.item_models import ThumbnailCache
from wardrobe_app.ui.naming import named, plain
from wardrobe_app.ui.ops import ClosetOp, ClosetQuery
from wardrobe_app.ui.session import ClosetSession

if TYPE_CHECKING:
    from wardrobe_app.services.wardrobe import Wardrobe

#: Thumbnails drawn in one day's cell at most (the rest of the outfit is in the day's list).
CELL_THUMBS = 4
WORN_COLOUR = QColor("#3d7a4a")
PLANNED_COLOUR = QColor("#b07a20")


@dataclass
class MonthData:
    """What the calendar shows of a month (and the days around it), gathered in the worker."""

    entries: list[WearEntry] = field(default_factory=list)
    thumbs: dict[int, str | None] = field(default_factory=dict)  # item id -> thumbnail path
    labels: dict[int, str] = field(default_factory=dict)


def shown_span(year: int, month: int) -> tuple[date, date]:
    """The days a month page can show: a week before the 1st to two weeks after the last."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first - timedelta(days=7), following + timedelta(days=14)


def gather_month(wardrobe: Wardrobe, start: date, end: date) -> MonthData:
    """The diary entries from ``start`` to ``end`` and the thumbnails and labels of their items (worker)."""
    items = {i.id: i for i in wardrobe.items(include_archived=True)}
    return MonthData(
        wardrobe.diary(start, end), {i: items[i].thumb_path for i in items}, {i: items[i].label for i in items}
    )


class DiaryCalendar(QCalendarWidget):
    """A month grid whose day cells show the outfit worn (solid frame) or planned (dashed, faded) that day."""

    def __init__(self, thumbnails: ThumbnailCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails
        self.by_day: dict[date, list[WearEntry]] = {}
        self.thumbs: dict[int, str | None] = {}
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        thumbnails.ready.connect(lambda _path: self.updateCells())

    def set_data(self, data: MonthData) -> None:
        self.by_day = {}
        for entry in data.entries:
            self.by_day.setdefault(entry.day, []).append(entry)
        self.thumbs = data.thumbs
        self.updateCells()

    def shown_entry(self, day: date) -> WearEntry | None:
        """The entry a day's cell draws: what was worn, else the plan."""
        entries = self.by_day.get(day, [])
        return next((e for e in entries if not e.planned), entries[0] if entries else None)

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:
        day: date = qdate.toPython() if isinstance(qdate, QDate) else qdate  # type: ignore[assignment]
        entry = self.shown_entry(day)
        if entry is None:
            super().paintCell(painter, rect, qdate)
            return
        painter.save()
        self._paint_day(painter, rect, qdate)
        colour = PLANNED_COLOUR if entry.planned else WORN_COLOUR
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine if entry.planned else Qt.PenStyle.SolidLine))
        painter.drawRect(rect.adjusted(1, 1, -2, -2))
        ids = entry.item_ids[:CELL_THUMBS]
        top = rect.top() + 18
        size = max(8, min((rect.width() - 6) // max(len(ids), 1), rect.bottom() - top - 3))
        left = rect.left() + (rect.width() - size * len(ids)) // 2
        if entry.planned:
            painter.setOpacity(0.6)
        for n, item_id in enumerate(ids):
            pixmap = self.thumbnails.get(self.thumbs.get(item_id))
            target = QRect(left + n * size, top, size - 1, size - 1)
            painter.drawPixmap(
                target,
                pixmap.scaled(
                    target.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                ),
            )
        more = len(self.by_day.get(day, [])) - 1
        if more > 0:
            painter.setOpacity(1.0)
            painter.drawText(
                rect.adjusted(0, 2, -5, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, f"+{more}"
            )
        painter.restore()

    def _paint_day(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:
        """The cell's background and its day number in the top left corner (the thumbnails go below)."""
        palette = self.palette()
        selected = qdate == self.selectedDate()
        painter.fillRect(rect, palette.highlight().color().lighter(160) if selected else palette.base().color())
        shown_month = qdate.month() == self.monthShown()
        colour = (
            QColor("#aaaaaa")
            if not shown_month
            else (QColor("#c03030") if qdate.dayOfWeek() >= 6 else palette.text().color())
        )
        painter.setPen(colour)
        font = painter.font()
        font.setBold(qdate == QDate.currentDate())
        painter.setFont(font)
        painter.drawText(
            rect.adjusted(5, 2, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, str(qdate.day())
        )


class CalendarView(QWidget):
    """The month on the left; the chosen day's entries and what can be done with them on the right."""

    changed = Signal()  # the diary changed (a plan, a wear, a move, a delete)
    refreshed = Signal()

    def __init__(self, session: ClosetSession, thumbnails: ThumbnailCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data = MonthData()
        self.calendar = named(DiaryCalendar(thumbnails), "diaryCalendar")
        self.day_title = plain(named(QLabel(), "dayTitle"))
        self.day_list = named(QListWidget(), "dayEntries")
        self.day_list.setWordWrap(True)
        self.occasion = named(QComboBox(), "planOccasion")
        for occasion in Occasion:  # named as the Outfits tab names them ("Casual"), saved as the services say
            self.occasion.addItem(occasion.value.capitalize(), occasion.value)
        self.plan_button = named(QPushButton("Plan this day"), "planDay")
        self.wore_button = named(QPushButton("Wore it"), "woreEntry")
        self.move_date = named(QDateEdit(), "moveDate")
        self.move_date.setCalendarPopup(True)
        self.move_date.setDisplayFormat("ddd d MMM yyyy")  # not the bare "27 11 2026" some locales give
        self.move_button = named(QPushButton("Move"), "moveEntry")
        self.delete_button = named(QPushButton("Delete"), "deleteEntry")
        self.plan_button.setToolTip("Put the best suggestion for the occasion in the diary for this day")
        self.wore_button.setToolTip("The planned outfit was worn: it becomes the day's entry")

        side = QVBoxLayout()
        side.addWidget(self.day_title)
        side.addWidget(self.day_list, 1)
        for row in (
            (self.wore_button, self.delete_button),
            (self.move_date, self.move_button),
            (QLabel("Occasion"), self.occasion, self.plan_button),
        ):
            line = QHBoxLayout()
            for widget in row:
                line.addWidget(widget)
            side.addLayout(line)
        legend = QLabel("<small>solid frame: worn · dashed: planned</small>")
        side.addWidget(legend)
        layout = QHBoxLayout(self)
        layout.addWidget(self.calendar, 3)
        panel = QWidget()
        panel.setLayout(side)
        panel.setMinimumWidth(260)
        layout.addWidget(panel, 1)

        self.calendar.currentPageChanged.connect(lambda _y, _m: self.refresh())
        self.calendar.selectionChanged.connect(self.show_day)
        self.day_list.currentRowChanged.connect(lambda _row: self._enable())
        self.plan_button.clicked.connect(self.plan_day)
        self.wore_button.clicked.connect(self.wear_selected)
        self.move_button.clicked.connect(self.move_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.show_day()

    # -- loading -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # "Wore it" on the outfit board may have written today's entry

    def refresh(self) -> None:
        start, end = shown_span(self.calendar.yearShown(), self.calendar.monthShown())
        ClosetQuery(self.session, lambda w: gather_month(w, start, end), title="Cannot read the wear diary").success(
            self._on_month
        ).run_in_background()

    def _on_month(self, data: MonthData) -> None:
        self.data = data
        self.calendar.set_data(data)
        self.show_day()
        self.refreshed.emit()

    # -- the chosen day ------------------------------------------------------------------------
    @property
    def day(self) -> date:
        return self.calendar.selectedDate().toPython()  # type: ignore[return-value]

    def show_day(self) -> None:
        day = self.day
        self.day_title.setText(day.strftime("%A %d %B %Y"))
        self.day_list.clear()
        for entry in self.calendar.by_day.get(day, []):
            names = " + ".join(self.data.labels.get(i, f"item {i}") for i in entry.item_ids)
            row = QListWidgetItem(f"{entry.kind.value} · {entry.occasion}: {names or 'its items were removed'}")
            row.setData(Qt.ItemDataRole.UserRole, entry)
            row.setForeground(PLANNED_COLOUR if entry.planned else WORN_COLOUR)
            self.day_list.addItem(row)
        if self.day_list.count():
            self.day_list.setCurrentRow(0)
        self.move_date.setDate(self.calendar.selectedDate())
        self._enable()

    def selected_entry(self) -> WearEntry | None:
        row = self.day_list.currentItem()
        return None if row is None else row.data(Qt.ItemDataRole.UserRole)

    def _enable(self) -> None:
        entry = self.selected_entry()
        self.plan_button.setEnabled(self.day >= date.today())  # the past is logged with "Wore it", not planned
        self.wore_button.setEnabled(entry is not None and entry.planned and entry.day <= date.today())
        self.move_button.setEnabled(entry is not None)
        self.delete_button.setEnabled(entry is not None)

    # -- changes -------------------------------------------------------------------------------
    def _changed(self, _result: object = None) -> None:
        self.changed.emit()  # the month is reread through closet_changed (the Change names the diary entry)

    def plan_day(self) -> None:
        day, occasion = self.day, str(self.occasion.currentData())
        ClosetOp(self.session, lambda w: w.plan(day, occasion), title="Cannot plan this day").success(
            self._changed
        ).run_in_background()

    def wear_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            entry_id = entry.id
            ClosetOp(self.session, lambda w: w.wear_planned(entry_id), title="Cannot log the outfit").success(
                self._changed
            ).run_in_background()

    def move_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            entry_id, day = entry.id, date.fromisoformat(self.move_date.date().toString(Qt.DateFormat.ISODate))
            ClosetOp(
                self.session,
                lambda w: w.move_entry(entry_id, day),
                title="Cannot move the entry",
                changes=lambda moved: Change(diary=(moved.id,)),
            ).success(self._changed).run_in_background()

    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            entry_id = entry.id
            ClosetOp(self.session, lambda w: w.delete_entry(entry_id), title="Cannot delete the entry").success(
                self._changed
            ).run_in_background()
