"""Camera control widgets: a row per control the device really has, and the contact setting.

Rows exist for exposure, gain, white balance, focus and zoom, but only those the source supports are
shown (the desk probes the device off the GUI thread and calls `show_controls`); a source without any
(a video file) shows a single line saying so. Slider moves are gathered for DEBOUNCE_MS and sent as one
`sig_value_changed`, so dragging does not flood the device with requests; the timer stops with the panel.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSlider, QVBoxLayout, QWidget

from dermdesk.capture.controls import ControlName, ControlRange, ControlState
from dermdesk.ui.common.terms import vocabulary_word

DEBOUNCE_MS = 150


class _ControlRow:
    """The widgets of one control: label, Auto checkbox, slider, value."""

    def __init__(self, panel: CameraControlsPanel, name: ControlName, row: int, grid: QGridLayout) -> None:
        self.name = name
        self.spec: ControlRange | None = None
        self.label = QLabel(name.value.replace("_", " ").capitalize(), panel)
        self.auto = QCheckBox(QCoreApplication.translate("_ControlRow", "Auto"), panel)
        self.slider = QSlider(Qt.Orientation.Horizontal, panel)
        self.slider.setMinimumWidth(110)
        self.value = QLabel("", panel)
        self.value.setMinimumWidth(56)
        for column, widget in enumerate((self.label, self.auto, self.slider, self.value)):
            grid.addWidget(widget, row, column)
            widget.setObjectName(f"control-{name.value}-{column}")
        self.auto.toggled.connect(lambda on: panel._on_auto_toggled(name, on))
        self.slider.valueChanged.connect(lambda _position: panel._on_slider_moved(name))

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.label, self.auto, self.slider, self.value)

    def set_visible(self, visible: bool) -> None:
        for widget in self.widgets():
            widget.setVisible(visible)
        if visible and self.spec is not None:
            self.auto.setVisible(self.spec.has_auto)

    def position_to_value(self) -> float:
        assert self.spec is not None
        return self.spec.minimum + self.slider.value() * self.spec.step

    def show(self, spec: ControlRange, state: ControlState) -> None:
        self.spec = spec
        self.label.setText(vocabulary_word(spec.label))
        steps = round((spec.maximum - spec.minimum) / spec.step)
        for widget in (self.slider, self.auto):
            widget.blockSignals(True)
        self.slider.setRange(0, steps)
        self.slider.setValue(round((state.value - spec.minimum) / spec.step))
        self.auto.setChecked(bool(state.auto))
        self.slider.setEnabled(not state.auto)
        for widget in (self.slider, self.auto):
            widget.blockSignals(False)
        self.show_value(state.value)
        self.set_visible(True)

    def show_value(self, value: float) -> None:
        unit = f" {self.spec.unit}" if self.spec is not None and self.spec.unit else ""
        self.value.setText(f"{value:g}{unit}")


class CameraControlsPanel(QWidget):
    """The camera's adjustable controls (only the supported ones) and its contact setting."""

    sig_value_changed = Signal(object, float)
    """(ControlName, value): the user settled on a manual value (debounced)."""
    sig_auto_changed = Signal(object, bool)
    """(ControlName, on): the user switched a control's automatic mode."""
    sig_contact_changed = Signal(bool)
    """True for a contact dermatoscope, False for a non-contact one (recorded with each still)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel(self.tr("Connecting…"), self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #777;")
        grid = QGridLayout()
        self._rows = {name: _ControlRow(self, name, row, grid) for row, name in enumerate(ControlName)}
        self.contact = QCheckBox(self.tr("Contact dermatoscope (on the skin)"), self)
        self.contact.setToolTip(
            self.tr("Untick for a non-contact dermatoscope; each still records which it was.")
        )
        self.contact.setChecked(True)
        self.contact.toggled.connect(self.sig_contact_changed.emit)
        self.calibration = QLabel("", self)
        self.calibration.setWordWrap(True)
        self.calibration.setObjectName("calibration-summary")
        column = QVBoxLayout(self)
        column.addWidget(self.status)
        column.addLayout(grid)
        column.addWidget(self.contact)
        column.addSpacing(8)
        column.addWidget(self.calibration)
        column.addStretch(1)
        self._pending: set[ControlName] = set()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.show_controls({}, {}, note=self.tr("Connecting…"))

    def show_controls(
        self,
        supported: Mapping[ControlName, ControlRange],
        states: Mapping[ControlName, ControlState],
        *,
        note: str = "",
    ) -> None:
        """Show the rows of ``supported`` controls with their ``states``; hide every other row."""
        self._debounce.stop()
        self._pending.clear()
        for name, row in self._rows.items():
            spec, state = supported.get(name), states.get(name)
            if spec is not None and state is not None:
                row.show(spec, state)
            else:
                row.spec = None
                row.set_visible(False)
        text = note or ("" if supported else self.tr("This source has no adjustable camera controls."))
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def show_state(self, name: ControlName, state: ControlState) -> None:
        """What the device read back after a change (a slider the user is still moving is left alone)."""
        row = self._rows[name]
        if row.spec is not None and name not in self._pending:
            row.show(row.spec, state)

    def show_calibration(self, scale: str, white_balance: str) -> None:
        """The camera's calibration in a few words (scale at the magnification in use, white balance)."""
        self.calibration.setText(
            self.tr("<b>Scale:</b> {scale}<br><b>White balance:</b> {white_balance}").format(
                scale=scale, white_balance=white_balance
            )
        )

    def set_contact(self, contact: bool) -> None:
        self.contact.blockSignals(True)
        self.contact.setChecked(contact)
        self.contact.blockSignals(False)

    def visible_controls(self) -> list[ControlName]:
        """The controls whose rows are shown (tests and screenshots)."""
        return [name for name, row in self._rows.items() if not row.slider.isHidden()]

    def row_widgets(self, name: ControlName) -> tuple[QWidget, ...]:
        return self._rows[name].widgets()

    def slider(self, name: ControlName) -> QSlider:
        return self._rows[name].slider

    def auto_box(self, name: ControlName) -> QCheckBox:
        return self._rows[name].auto

    def _on_slider_moved(self, name: ControlName) -> None:
        row = self._rows[name]
        if row.spec is None:
            return
        row.show_value(row.position_to_value())
        self._pending.add(name)
        self._debounce.start()

    def _on_auto_toggled(self, name: ControlName, on: bool) -> None:
        self._rows[name].slider.setEnabled(not on)
        self.sig_auto_changed.emit(name, on)

    def _on_debounce_timeout(self) -> None:
        pending, self._pending = self._pending, set()
        for name in pending:
            row = self._rows[name]
            if row.spec is not None:
                self.sig_value_changed.emit(name, row.position_to_value())

    def stop(self) -> None:
        """Stop the debounce timer (the window closes)."""
        self._debounce.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.stop()
        super().closeEvent(event)
