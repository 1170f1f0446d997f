"""Thumbnails of the stills captured in this session, newest first.

The worker that saves a still also makes its small thumbnail (image work stays off the GUI thread);
this widget only wraps those few kilobytes in a QPixmap. Each thumbnail says the light it was taken
under (its tooltip too: staff compare lights, not file paths) and, when it was kept although the
quality check refused it, says so on the still itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from dermdesk.capture.lighting import LightingMode
from dermdesk.ui.common.terms import light_name

THUMBNAIL_SIZE = QSize(160, 120)


class ThumbnailStrip(QListWidget):
    """A horizontal strip of this session's stills; each names its light (and an override)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(THUMBNAIL_SIZE)
        self.setFixedHeight(THUMBNAIL_SIZE.height() + 44)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setToolTip(self.tr("Stills captured in this session"))

    def add_still(
        self,
        path: Path,
        thumbnail: np.ndarray,
        lighting: LightingMode | None = None,
        *,
        overridden: bool = False,
    ) -> None:
        """Show a still: `thumbnail` is a small BGR uint8 picture made by the capture worker."""
        height, width = thumbnail.shape[:2]
        image = QImage(thumbnail.data, width, height, thumbnail.strides[0], QImage.Format.Format_BGR888)
        pixmap = QPixmap.fromImage(image)  # copies the few KB, so the array may go
        light = light_name(lighting) if lighting is not None else self.tr("Light not recorded")
        text = light + (self.tr("\n⚠ kept despite the check") if overridden else "")
        item = QListWidgetItem(QIcon(pixmap), text)
        tip = self.tr("{light} · still {value}").format(light=light, value=path.stem.rsplit("-", 1)[-1])
        if overridden:
            tip += self.tr(" · kept although the quality check refused it")
        item.setToolTip(tip)
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.insertItem(0, item)
        self.scrollToItem(item)

    def paths(self) -> list[Path]:
        return [Path(self.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.count())]
