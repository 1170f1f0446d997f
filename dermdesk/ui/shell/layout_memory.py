"""The main window's size, docks and toolbars, remembered per screen size.

A layout that suits a 1920×1080 screen does not fit a 1366×768 one: each screen size keeps its own, in a
small INI file beside the settings. A saved geometry that would not fit the screen it is restored on
(another monitor, a changed resolution) is dropped for the default fit. The default fills the screen's
available area up to a comfortable size; below 1280×720 the docks share one tab group so the live view
keeps its room, and the status bar says why.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from dermdesk.ui.common import screen_fit
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

SMALLEST_SUPPORTED = QSize(1280, 720)
COMFORTABLE = QSize(2560, 1600)  # the whole free area of ordinary screens; a 4K one keeps room beside
SMALL_SCREEN_MESSAGE = QT_TRANSLATE_NOOP(
    "layout_memory",
    "This screen ({width}×{height}) is smaller than the 1280×720 DermDesk is laid out for: the panels "
    "share one tab group on the left; drag a tab out or close panels from the View menu for more room.",
)


def screen_area(window: QMainWindow) -> QRect:
    """The available area (without task bars) of the screen the window is on."""
    return screen_fit.available_area(window)


def screen_key(area: QRect) -> str:
    return f"{area.width()}x{area.height()}"


class WindowLayouts:
    """Save and restore a QMainWindow's size and dock state per screen size."""

    def __init__(self, path: Path) -> None:
        self._store = QSettings(str(path), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow) -> str | None:
        """Lay the window out for its screen; returns a message for the person when the screen is small."""
        area = screen_area(window)
        key = screen_key(area)
        size = self._store.value(f"{key}/size")
        state = self._store.value(f"{key}/state")
        fit_to(window, area)
        if isinstance(size, QSize) and size.isValid():
            if size.width() <= area.width() and size.height() <= area.height():
                window.resize(size)
            else:
                logger.info("Saved window size for %s does not fit the screen: default size used", key)
        if isinstance(state, QByteArray):
            window.restoreState(state)
        if area.width() < SMALLEST_SUPPORTED.width() or area.height() < SMALLEST_SUPPORTED.height():
            share_one_tab_group(window)
            return QCoreApplication.translate("layout_memory", SMALL_SCREEN_MESSAGE).format(
                width=area.width(), height=area.height()
            )
        return None

    def remember(self, window: QMainWindow) -> None:
        key = screen_key(screen_area(window))
        self._store.setValue(f"{key}/size", window.size())
        self._store.setValue(f"{key}/state", window.saveState())
        self._store.sync()
        if self._store.status() != QSettings.Status.NoError:
            logger.warning("The window layout could not be saved in %s", self._store.fileName())


def fit_to(window: QMainWindow, area: QRect) -> None:
    """Fill ``area`` up to a comfortable size, top left."""
    width = min(COMFORTABLE.width(), area.width())
    height = min(COMFORTABLE.height(), area.height())
    window.resize(width, height)
    window.move(area.topLeft())


def share_one_tab_group(window: QMainWindow) -> None:
    """All visible docks as tabs of one group on the left (a screen too small for docks side by side)."""
    docks = [dock for dock in window.findChildren(QDockWidget) if dock.isVisibleTo(window)]
    docks = [dock for dock in docks if window.dockWidgetArea(dock) != Qt.DockWidgetArea.BottomDockWidgetArea]
    if len(docks) < 2:
        return
    first = docks[0]
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first)
    for dock in docks[1:]:
        window.tabifyDockWidget(first, dock)
    first.raise_()
