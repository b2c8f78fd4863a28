"""Closet life in the main window: Stats and Shop tabs, Clean-out and Pack for a trip, the panel's shop buttons."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton

from wardrobe_app.ui.naming import named


def install_life(window: Any) -> None:
    """Add the closet-life tabs, menu and buttons to a MainWindow (once its closet is open)."""
    if getattr(window, "stats_view", None) is not None:
        return
    from wardrobe_app.ui.catalogue_view import CatalogueView
    from wardrobe_app.ui.stats_view import StatsView

    window.stats_view = StatsView(window.session)
    window.tabs.addTab(window.stats_view, "Stats")
    for signal in (window.model.modelReset, window.model.rowsInserted, window.model.rowsRemoved):
        signal.connect(window.stats_view.closet_changed)
    window.session.closet_changed.connect(window.stats_view.closet_changed)
    calendar = getattr(window, "calendar_view", None)
    if calendar is not None:
        calendar.changed.connect(window.stats_view.closet_changed)
    window.shop_view = CatalogueView(window.session)
    window.tabs.addTab(window.shop_view, "Shop")

    menu = QMenu("Closet &life", window)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)  # Help stays the last menu
    window.cleanout_action = named(QAction("Clean-out…", window), "cleanout")
    window.cleanout_action.triggered.connect(lambda: open_cleanout(window))
    window.pack_action = named(QAction("Pack for a trip…", window), "pack")
    window.pack_action.triggered.connect(lambda: open_packing(window))
    menu.addAction(window.cleanout_action)
    menu.addAction(window.pack_action)

    panel = window.panel
    shop = named(QPushButton("Shop for this"), "shopForThis")
    similar = named(QPushButton("Find similar"), "panelFindSimilar")
    shop.clicked.connect(lambda: shop_for(window, panel.item.id, panel.item.label) if panel.item else None)
    similar.clicked.connect(lambda: window.find_similar(panel.item.id) if panel.item else None)
    row = QHBoxLayout()
    row.addWidget(shop)
    row.addWidget(similar)
    panel.layout().insertLayout(panel.layout().count() - 1, row)  # above the stretch at the bottom
    panel.shop_buttons = (shop, similar)
    for button in panel.shop_buttons:
        button.setEnabled(panel.item is not None)  # show_item keeps them so


def shop_for(window: Any, item_id: int, label: str) -> None:
    window.tabs.setCurrentWidget(window.shop_view)
    window.shop_view.shop_for(item_id, label)


def open_cleanout(window: Any) -> Any:
    from wardrobe_app.ui.cleanout_dialog import CleanoutDialog

    dialog = window.cleanout_dialog = CleanoutDialog(window.session, window)
    dialog.open()
    dialog.refresh()
    return dialog


def open_packing(window: Any) -> Any:
    from wardrobe_app.ui.packing_dialog import PackingDialog

    dialog = window.packing_dialog = PackingDialog(window.session, window)
    dialog.open()
    return dialog


def dropped_on_shop(window: Any, paths: list[str]) -> bool:
    """A photo dropped while the Shop tab is showing asks "worth buying?" instead of adding it to the closet."""
    view = window.shop_view
    if view is None or window.tabs.currentWidget() is not view or not paths:
        return False
    view.worth_buying(paths[0])
    return True
