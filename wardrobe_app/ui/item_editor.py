"""The Edit item dialog: name, brand, price, purchase date, season, formality, tags, notes, archived.

Values are checked with the same rules as ``wardrobe set`` (domain/item_fields.py) before the dialog
closes; a refused value is named under the form and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wardrobe_app.domain import Item, category_name
from wardrobe_app.domain.item_fields import (
    FORMALITY_MAX,
    FORMALITY_MIN,
    SEASONS,
    InvalidItemFieldError,
    check_item_fields,
)
from wardrobe_app.ui.naming import escaped, named, plain

FORMALITY_WORDS = {1: "very casual", 2: "casual", 3: "smart casual", 4: "smart", 5: "formal"}


class ItemEditor(QDialog):
    """Edits one item's own fields; ``fields()`` gives the checked values once accepted."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemEditor")
        self.setWindowTitle(f"Edit {item.label}")
        self.item = item
        self._checked: dict[str, Any] = {}

        self.name_edit = named(QLineEdit(item.name or ""), "nameEdit")
        self.name_edit.setPlaceholderText(item.label)
        self.brand_edit = named(QLineEdit(item.brand or ""), "brandEdit")
        self.price_edit = named(QLineEdit("" if item.price is None else f"{item.price:.2f}"), "priceEdit")
        self.price_edit.setPlaceholderText("what it cost, e.g. 59.90")
        self.date_edit = named(QLineEdit(item.purchased_on.isoformat() if item.purchased_on else ""), "purchasedEdit")
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.season_box = named(QComboBox(), "seasonBox")
        self.season_box.addItem("—", None)
        for season in SEASONS:
            self.season_box.addItem("all year" if season == "all" else season, season)
        self.season_box.setCurrentIndex(max(0, self.season_box.findData(item.season)))
        self.formality_box = named(QComboBox(), "formalityBox")
        self.formality_box.addItem("—", None)
        for level in range(FORMALITY_MIN, FORMALITY_MAX + 1):
            self.formality_box.addItem(f"{level}: {FORMALITY_WORDS.get(level, '')}", level)
        self.formality_box.setCurrentIndex(max(0, self.formality_box.findData(item.formality)))
        self.tags_edit = named(QLineEdit(", ".join(item.tags)), "tagsEdit")
        self.tags_edit.setPlaceholderText("words separated by commas: gift, wedding, needs ironing")
        self.notes_edit = named(QPlainTextEdit(item.notes or ""), "notesEdit")
        self.notes_edit.setTabChangesFocus(True)  # Tab goes on to Archived and Save (it typed tab characters)
        self.notes_edit.setFixedHeight(80)
        self.archived_box = named(
            QCheckBox("Archived: kept, but out of the grid, outfits and suggestions"), "archivedBox"
        )
        self.archived_box.setChecked(item.archived)
        self.error_label = plain(named(QLabel(wordWrap=True), "editError"))
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Brand", self.brand_edit)
        form.addRow("Price", self.price_edit)
        form.addRow("Bought on", self.date_edit)
        form.addRow("Season", self.season_box)
        form.addRow("Formality", self.formality_box)
        form.addRow("Tags", self.tags_edit)
        form.addRow("Notes", self.notes_edit)
        form.addRow("", self.archived_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        title = named(
            QLabel(f"<b>{escaped(item.title)}</b> · {escaped(category_name(item.category, 'unclassified'))}"),
            "editTitle",
        )
        title.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._widgets = {
            "name": self.name_edit,
            "brand": self.brand_edit,
            "price": self.price_edit,
            "purchased_on": self.date_edit,
            "tags": self.tags_edit,
            "notes": self.notes_edit,
        }

    def raw_fields(self) -> dict[str, Any]:
        """The values as typed (empty text is None), not yet checked."""

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return {
            "name": text(self.name_edit),
            "brand": text(self.brand_edit),
            "price": text(self.price_edit),
            "purchased_on": text(self.date_edit),
            "season": self.season_box.currentData(),
            "formality": self.formality_box.currentData(),
            "tags": self.tags_edit.text(),
            "notes": self.notes_edit.toPlainText().strip() or None,
            "archived": self.archived_box.isChecked(),
        }

    def fields(self) -> dict[str, Any]:
        """The checked values (valid once the dialog was accepted)."""
        return dict(self._checked)

    def accept(self) -> None:
        try:
            self._checked = check_item_fields(self.raw_fields())
        except InvalidItemFieldError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            widget = self._widgets.get(exc.field)
            if widget is not None:
                widget.setFocus()
            return
        super().accept()
