"""Records ▸ Model update: a verified new model, its card's figures beside the current model's.

Why an administrator decides: the model ranks diagnoses for every patient seen at this station; a new
one is installed when someone responsible has seen what changed. The package was already verified
(signature, checksums, reference pictures) before it was offered; installing verifies it again and is
audited. Others see that an update waits, and for whom.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dermdesk.i18n import _
from dermdesk.inference.package import ModelPackageError
from dermdesk.records import RecordsError
from dermdesk.sync.update_offer import UpdateOffer
from dermdesk.sync.updates import UpdateError
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.sign_in_dialogs import ERROR_STYLE
from dermdesk.ui.records.central_link import CentralLink

logger = logging.getLogger(__name__)


def _value(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class ModelUpdateDialog(QDialog):
    """Install or decline one offered model (administrators); a notice for everyone else."""

    def __init__(self, link: CentralLink, offer: UpdateOffer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("DermDesk — model update"))
        self.link, self.offer = link, offer
        heading = QLabel(
            self.tr(
                "<b>{name} {new}</b> is available (this station uses {current}). It is signed by a key "
                "this station trusts and its files and reference pictures were checked."
            ).format(
                name=offer.name,
                new=offer.version,
                current=offer.current_version or self.tr("the shipped model"),
            ),
            self,
        )
        heading.setWordWrap(True)
        self.table = QTableWidget(len(offer.figures), 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Figure (model card)"), self.tr("In use"), self.tr("Offered"), self.tr("Change")]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for index, figure in enumerate(offer.figures):
            change = (
                f"{figure.offered - figure.current:+.3f}"
                if figure.offered is not None and figure.current is not None
                else "—"
            )
            for column, text in enumerate(
                [_(figure.label), _value(figure.current), _value(figure.offered), change]
            ):
                self.table.setItem(index, column, QTableWidgetItem(text))
        note = QLabel(
            self.tr("Figures from the offered model's test pictures ({n}).").format(n=offer.n_images or "?"),
            self,
        )
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.install_button = QPushButton(self.tr("Install"), self)
        self.decline_button = QPushButton(self.tr("Decline this version"), self)
        self.later_button = QPushButton(self.tr("Later"), self)
        admin = link.may_install()
        self.install_button.setEnabled(admin)
        self.decline_button.setEnabled(admin)
        if not admin:
            self.message.setText(self.tr("An administrator installs or declines model updates."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.install_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.install_button.clicked.connect(self.install)
        self.decline_button.clicked.connect(self.decline)
        self.later_button.clicked.connect(self.close)
        fit_window(self, 640, 420)

    def figure_row(self, key: str) -> list[str]:
        """The texts of one figure's row (tests)."""
        for index, figure in enumerate(self.offer.figures):
            if figure.key == key:
                return [self.table.item(index, c).text() for c in range(4)]  # type: ignore[union-attr]
        return []

    def install(self) -> bool:
        try:
            self.link.install(self.offer)
        except (UpdateError, ModelPackageError, RecordsError) as exc:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(self.tr("Not installed: {reason}").format(reason=str(exc)))
            return False
        self.message.setStyleSheet("")
        self.message.setText(
            self.tr(
                "Installed: {name} {version} is installed; the station uses it from its next start."
            ).format(name=self.offer.name, version=self.offer.version)
        )
        self.install_button.setEnabled(False)
        self.decline_button.setEnabled(False)
        self.later_button.setText(self.tr("Close"))
        return True

    def decline(self) -> None:
        try:
            self.link.decline(self.offer)
        except UpdateError as exc:
            self.message.setText(str(exc))
            return
        self.close()
