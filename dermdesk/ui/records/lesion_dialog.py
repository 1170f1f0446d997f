"""Placing a new lesion: the body-map point, its ISIC site and a finer description, filed by the core.

The site and description are suggested from where the body map was clicked; staff correct them when
needed (lateral torso, a scalp lesion under the hair line). `LesionService.add` validates and files
the lesion; its message is shown in the dialog on refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import AnatomSite, LesionInfo, NewLesion, RecordsError
from dermdesk.ui.common.sign_in_dialogs import error_line
from dermdesk.ui.common.terms import body_site_name
from dermdesk.ui.records.body_map import BodyPoint, describe

AddLesion = Callable[[NewLesion], LesionInfo]


class NewLesionDialog(QDialog):
    """Site and description for a lesion placed at a body-map point."""

    sig_added = Signal(object)
    """The LesionInfo the core filed (with its new label, e.g. "L3")."""

    def __init__(self, point: BodyPoint, add: AddLesion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New lesion"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        self.point = point
        self._add = add
        suggestion = describe(point)
        self.site = QComboBox(self)
        for site in AnatomSite:
            self.site.addItem(body_site_name(site.value), site.value)
        self.detail = QLineEdit(self)
        self.detail.setPlaceholderText(self.tr("e.g. right forearm, 5 cm below the elbow"))
        if suggestion is not None:
            self.site.setCurrentIndex(self.site.findData(suggestion[0].value))
            self.detail.setText(suggestion[1])
        where = QLabel(
            self.tr("{view} view, {x:.0%} across and {y:.0%} down the figure.").format(
                view=QCoreApplication.translate("body_map", point.view.capitalize()),
                x=point.x,
                y=point.y,
            ),
            self,
        )
        self.error = error_line(self)
        self.add_button = QPushButton(self.tr("Add lesion"), self)
        self.add_button.setDefault(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Body site:"), self.site)
        form.addRow(self.tr("Description:"), self.detail)
        column = QVBoxLayout(self)
        column.addWidget(where)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.add_button.clicked.connect(self._on_add)

    def new_lesion(self) -> NewLesion:
        return NewLesion(
            site=self.site.currentData(),
            site_detail=self.detail.text() or None,
            map_x=self.point.x,
            map_y=self.point.y,
            map_view=self.point.view,
        )

    def _on_add(self) -> None:
        try:
            lesion = self._add(self.new_lesion())
        except RecordsError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.sig_added.emit(lesion)
        self.accept()
