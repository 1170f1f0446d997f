"""Windows sized for the screen they open on: never larger than its free area.

A window's preferred size (a report preview of 1000×820, a timeline of 1100×560) suits a big screen;
on the 1366×768 screen most clinics have, or 1920×1080 at 150 % (1280×720 logical pixels), the same
window would run off the bottom with its buttons. Every top-level window sizes itself through here.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FALLBACK_AREA = QRect(0, 0, 1366, 768)
MARGIN = 40  # room for a title bar and a task bar the screen's free area may not count


def available_area(widget: QWidget | None = None) -> QRect:
    """The free area of the screen ``widget`` is on (the primary screen before it is shown)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else FALLBACK_AREA


def fit_window(widget: QWidget, width: int, height: int) -> None:
    """Resize a top-level window to ``width``×``height``, or less where the screen is smaller."""
    area = available_area(widget)
    widget.resize(min(width, area.width()), min(height, max(200, area.height() - MARGIN)))
