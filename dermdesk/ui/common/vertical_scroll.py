"""A panel that fills its dock and scrolls vertically only when the screen is too low for it.

Qt's own `QScrollArea.setWidgetResizable(True)` sizes a page that holds word-wrapped text by the page's
preferred height, not the room there is, so a patient page with a wrapped heading always scrolled on a
768-pixel screen and hid the lesion buttons below the fold. This area gives the page exactly the
viewport's size, or the page's minimum height when that is more (then the scroll bar appears), and
never scrolls sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class VerticalScroll(QScrollArea):
    """Hold ``page``: full viewport size while it fits, its minimum height (scrolling) when not."""

    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(page)
        page.installEventFilter(self)
        self._pending = False

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        page = self.widget()
        needed = page.minimumSizeHint().width() if page is not None else 0
        return QSize(needed + self.verticalScrollBar().sizeHint().width(), 80)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        page = self.widget()
        hint = page.sizeHint() if page is not None else QSize(0, 0)
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._fit)
        return False

    def _fit(self) -> None:
        self._pending = False
        page = self.widget()
        if page is None:
            return
        room = self.viewport().size()
        page.resize(room.width(), max(room.height(), page.minimumSizeHint().height()))
