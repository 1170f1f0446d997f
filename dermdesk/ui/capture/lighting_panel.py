"""The capture screen's lighting buttons and the "Lighting sequence" button.

One checkable button per lighting mode the device offers (no others are shown), and a sequence button
whose menu holds a checkbox per mode: clicking it takes one still per ticked mode. The panel only
shows state and forwards the user's intent (`sig_mode_chosen`, `sig_sequence_requested`); the window's
CaptureDesk switches the light off the GUI thread and tells the panel what the device confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from dermdesk.capture.lighting import LightingMode
from dermdesk.ui.common.terms import light_name
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

SHORT_LABELS: dict[LightingMode, str] = {
    LightingMode.OFF: QT_TRANSLATE_NOOP("lighting_panel", "Off"),
    LightingMode.WHITE: QT_TRANSLATE_NOOP("lighting_panel", "White"),
    LightingMode.WHITE_POLARISED: QT_TRANSLATE_NOOP("lighting_panel", "Polarised"),
    LightingMode.UV_365: "UV 365",
    LightingMode.NB_450: "450 nm",
    LightingMode.NB_525: "525 nm",
    LightingMode.NB_590: "590 nm",
    LightingMode.NB_630: "630 nm",
}
DEFAULT_SEQUENCE = (LightingMode.WHITE, LightingMode.WHITE_POLARISED, LightingMode.UV_365)


class LightingPanel(QWidget):
    """Lighting buttons for the modes on offer, plus the lighting-sequence button."""

    sig_mode_chosen = Signal(object)
    """The LightingMode whose button the user pressed."""
    sig_sequence_requested = Signal(list)
    """The LightingModes ticked in the sequence menu, in display order, when the user starts a sequence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[LightingMode, QToolButton] = {}
        self._current: LightingMode | None = None
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(QLabel(self.tr("Light:"), self))
        self.note = QLabel("", self)
        self.note.setStyleSheet("color: #777;")
        self._layout.addWidget(self.note)
        self.sequence_menu = QMenu(self)
        self._sequence_actions: dict[LightingMode, QAction] = {}
        self.sequence_button = QToolButton(self)
        self.sequence_button.setText(self.tr("Lighting sequence"))
        self.sequence_button.setToolTip(
            self.tr("One still per ticked lighting mode (choose the modes with the arrow)")
        )
        self.sequence_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.sequence_button.setMenu(self.sequence_menu)
        self.sequence_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sequence_button.clicked.connect(self._on_sequence_clicked)
        self._layout.addSpacing(8)
        self._layout.addWidget(self.sequence_button)
        self._group.idClicked.connect(self._on_button_clicked)
        self.set_modes((), None, note=self.tr("Connecting…"))

    # --- state from the desk ---------------------------------------------------------------------

    def set_modes(
        self, modes: Sequence[LightingMode], current: LightingMode | None, *, note: str = ""
    ) -> None:
        """Show one button per mode in ``modes`` (none: show ``note`` instead) with ``current`` pressed."""
        for button in self._buttons.values():
            self._group.removeButton(button)
            button.deleteLater()
        self._buttons = {}
        for position, mode in enumerate(modes):
            button = QToolButton(self)
            button.setText(QCoreApplication.translate("lighting_panel", SHORT_LABELS[mode]))
            button.setToolTip(light_name(mode))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setObjectName(f"lighting-{mode.value}")
            self._group.addButton(button, list(LightingMode).index(mode))
            self._layout.insertWidget(1 + position, button)
            self._buttons[mode] = button
        self.note.setText(note if not modes else "")
        self.note.setVisible(not modes)
        self._rebuild_sequence_menu(modes)
        self.sequence_button.setVisible(len(modes) > 1)
        self.set_current(current)

    def set_current(self, mode: LightingMode | None) -> None:
        """Press the button of ``mode`` (what the device confirmed) without emitting anything."""
        self._current = mode
        button = self._buttons.get(mode) if mode is not None else None
        if button is not None:
            button.setChecked(True)
        else:
            checked = self._group.checkedButton()
            if checked is not None:
                self._group.setExclusive(False)
                checked.setChecked(False)
                self._group.setExclusive(True)

    def set_busy(self, busy: bool) -> None:
        """Grey the buttons out while a sequence runs (the light is not the user's then)."""
        for button in self._buttons.values():
            button.setEnabled(not busy)
        self.sequence_button.setEnabled(not busy)

    # --- queries ---------------------------------------------------------------------------------

    @property
    def current(self) -> LightingMode | None:
        return self._current

    def modes(self) -> list[LightingMode]:
        return list(self._buttons)

    def button(self, mode: LightingMode) -> QToolButton | None:
        return self._buttons.get(mode)

    def sequence_modes(self) -> list[LightingMode]:
        return [mode for mode, action in self._sequence_actions.items() if action.isChecked()]

    def set_sequence_modes(self, modes: Sequence[LightingMode]) -> None:
        for mode, action in self._sequence_actions.items():
            action.setChecked(mode in modes)

    # --- internals -------------------------------------------------------------------------------

    def _rebuild_sequence_menu(self, modes: Sequence[LightingMode]) -> None:
        previous = set(self.sequence_modes()) or set(DEFAULT_SEQUENCE)
        self.sequence_menu.clear()
        self._sequence_actions = {}
        for mode in modes:
            action = self.sequence_menu.addAction(light_name(mode))
            action.setCheckable(True)
            action.setChecked(mode in previous)
            self._sequence_actions[mode] = action
        if modes and not self.sequence_modes():
            for action in self._sequence_actions.values():
                action.setChecked(True)

    def _on_button_clicked(self, button_id: int) -> None:
        mode = list(LightingMode)[button_id]
        if mode is not self._current:
            self.sig_mode_chosen.emit(mode)

    def _on_sequence_clicked(self) -> None:
        self.sig_sequence_requested.emit(self.sequence_modes())
