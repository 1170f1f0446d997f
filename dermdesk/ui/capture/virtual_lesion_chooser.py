"""Which lesion the virtual dermatoscope shows: a chooser on the Camera panel, for training and demos.

The virtual dermatoscope streams one of its bundled lesion pictures at a time; without a chooser it
always showed the first (a naevus), so a trainer could not show a melanoma. The chooser lists each
lesion by its confirmed diagnosis and switches from the next frame on. It is hidden for real cameras.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from dermdesk.ui.common.terms import diagnosis_name


class VirtualLesionChooser(QWidget):
    """ "Lesion shown:" and one entry per lesion of the virtual dermatoscope."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setToolTip(self.tr("The virtual dermatoscope's lesion (training and demonstrations)"))
        # Long diagnosis names must not widen the Camera panel (the window fits 1024 px screens).
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(12)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Lesion shown:"), self))
        row.addWidget(self.combo, 1)
        self._source: VirtualDermatoscope | None = None
        self.combo.currentIndexChanged.connect(self._on_chosen)
        self.hide()

    def show_source(self, source: object) -> None:
        """Offer the lesions of ``source`` when it is the virtual dermatoscope; hide otherwise."""
        self._source = source if isinstance(source, VirtualDermatoscope) else None
        self.combo.blockSignals(True)
        self.combo.clear()
        if self._source is not None:
            for index, lesion in enumerate(self._source.lesions, 1):
                self.combo.addItem(f"{index} — {diagnosis_name(lesion.dx)}", index - 1)
            self.combo.setCurrentIndex(self._source.lesion_index)
        self.combo.blockSignals(False)
        self.setVisible(self._source is not None)

    def _on_chosen(self, position: int) -> None:
        if self._source is not None and position >= 0:
            self._source.set_lesion(int(self.combo.itemData(position)))
