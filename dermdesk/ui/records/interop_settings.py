"""The "PACS / EHR" section of the settings page: where DICOM and FHIR may go, and how.

Self-contained so the settings page can host it: `load(settings)` fills it, `apply(settings)` returns
the settings with its values (validated by the settings class; ValueError with a readable reason when
a value is refused, e.g. an http:// PACS on another machine without the explicit allowance), and
`sig_changed` says something was edited. It saves nothing itself.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dermdesk.interop.destinations import DestinationError, check_url, describe
from dermdesk.settings import DermDeskSettings
from dermdesk.ui.admin.settings_page import SettingsSection
from dermdesk.ui.common.sign_in_dialogs import error_line


def _text(edit: QLineEdit) -> str | None:
    value = edit.text().strip()
    return value or None


class InteropSettingsSection(QWidget):
    """PACS (DICOMweb or DIMSE), worklist and FHIR endpoint settings."""

    sig_changed = Signal()
    """A value was edited (not yet applied)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.send_by = QComboBox(self)
        self.send_by.addItem(self.tr("DICOMweb (STOW-RS)"), "dicomweb")
        self.send_by.addItem(self.tr("DICOM network (C-STORE)"), "dimse")
        self.dicomweb_url = QLineEdit(self)
        self.dicomweb_url.setPlaceholderText("https://pacs.clinic.local/dicom-web")
        self.pacs_host = QLineEdit(self)
        self.pacs_host.setPlaceholderText("pacs.clinic.local")
        self.pacs_port = QSpinBox(self)
        self.pacs_port.setRange(1, 65535)
        self.pacs_ae = QLineEdit(self)
        self.pacs_ae.setMaxLength(16)
        self.station_ae = QLineEdit(self)
        self.station_ae.setMaxLength(16)
        self.tls = QCheckBox(self.tr("DICOM over TLS"), self)
        self.worklist_host = QLineEdit(self)
        self.worklist_host.setPlaceholderText(self.tr("the PACS's address when empty"))
        self.fhir_url = QLineEdit(self)
        self.fhir_url.setPlaceholderText("https://ehr.clinic.local/fhir")
        self.fhir_token = QLineEdit(self)
        self.fhir_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.fhir_token.setPlaceholderText(self.tr("bearer token, if the EHR asks for one"))
        self.allow_insecure = QCheckBox(
            self.tr("Allow unencrypted connections to other machines (only on an isolated clinic network)"),
            self,
        )
        pacs = QGroupBox("PACS", self)
        pacs_form = QFormLayout(pacs)
        pacs_form.addRow(self.tr("Send by:"), self.send_by)
        pacs_form.addRow(self.tr("DICOMweb address:"), self.dicomweb_url)
        pacs_form.addRow(self.tr("DICOM host:"), self.pacs_host)
        pacs_form.addRow(self.tr("DICOM port:"), self.pacs_port)
        pacs_form.addRow(self.tr("PACS AE title:"), self.pacs_ae)
        pacs_form.addRow(self.tr("This station's AE title:"), self.station_ae)
        pacs_form.addRow("", self.tls)
        pacs_form.addRow(self.tr("Worklist host:"), self.worklist_host)
        ehr = QGroupBox(self.tr("EHR (FHIR R4)"), self)
        ehr_form = QFormLayout(ehr)
        ehr_form.addRow(self.tr("FHIR address:"), self.fhir_url)
        ehr_form.addRow(self.tr("Token:"), self.fhir_token)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(pacs)
        column.addWidget(ehr)
        column.addWidget(self.allow_insecure)
        column.addStretch(1)
        for edit in (
            self.dicomweb_url,
            self.pacs_host,
            self.pacs_ae,
            self.station_ae,
            self.worklist_host,
            self.fhir_url,
            self.fhir_token,
        ):
            edit.textEdited.connect(lambda _text: self.sig_changed.emit())
        self.send_by.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
        self.pacs_port.valueChanged.connect(lambda _v: self.sig_changed.emit())
        self.tls.toggled.connect(lambda _on: self.sig_changed.emit())
        self.allow_insecure.toggled.connect(lambda _on: self.sig_changed.emit())

    def load(self, settings: DermDeskSettings) -> None:
        self.send_by.setCurrentIndex(self.send_by.findData(settings.pacs_send_by))
        self.dicomweb_url.setText(settings.pacs_dicomweb_url or "")
        self.pacs_host.setText(settings.pacs_host or "")
        self.pacs_port.setValue(settings.pacs_port)
        self.pacs_ae.setText(settings.pacs_ae_title)
        self.station_ae.setText(settings.station_ae_title)
        self.tls.setChecked(settings.pacs_tls)
        self.worklist_host.setText(settings.worklist_host or "")
        self.fhir_url.setText(settings.fhir_url or "")
        self.fhir_token.setText(settings.fhir_token or "")
        self.allow_insecure.setChecked(settings.interop_allow_insecure)

    def values(self) -> dict[str, Any]:
        return {
            "pacs_send_by": self.send_by.currentData(),
            "pacs_dicomweb_url": _text(self.dicomweb_url),
            "pacs_host": _text(self.pacs_host),
            "pacs_port": self.pacs_port.value(),
            "pacs_ae_title": _text(self.pacs_ae) or "PACS",
            "station_ae_title": _text(self.station_ae) or "DERMDESK",
            "pacs_tls": self.tls.isChecked(),
            "worklist_host": _text(self.worklist_host),
            "fhir_url": _text(self.fhir_url),
            "fhir_token": _text(self.fhir_token),
            "interop_allow_insecure": self.allow_insecure.isChecked(),
        }

    def apply(self, settings: DermDeskSettings) -> DermDeskSettings:
        """`settings` with this section's values; ValueError (a sentence for IT) when refused."""
        values = self.values()
        allow = bool(values["interop_allow_insecure"])
        try:
            for key, what in (("pacs_dicomweb_url", "PACS"), ("fhir_url", self.tr("FHIR endpoint"))):
                if values[key]:
                    values[key] = check_url(values[key], what, allow)
            return DermDeskSettings(**{**settings.model_dump(), **values})  # None clears a field
        except DestinationError as exc:
            raise ValueError(str(exc)) from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ValueError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc

    def summary(self, settings: DermDeskSettings) -> str:
        places = describe(settings)
        return "; ".join(f"{k.upper()}: {v}" for k, v in places.items()) or self.tr(
            "No PACS or EHR configured."
        )


class ClinicSystemsSection(SettingsSection):
    """This section on the station's settings page, checked like the rest of the page (https unless the
    system is on this machine or IT allowed plain http)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("PACS, worklist and EHR (the clinic's own systems)"), parent)
        self.fields = InteropSettingsSection(self)
        self.form.addRow(self.fields)
        for key in ("pacs_dicomweb_url", "fhir_url"):
            problem = error_line(self)
            self.form.addRow(problem)
            self.problem_labels[key] = problem

    def load(self, settings: DermDeskSettings) -> None:
        self.fields.load(settings)

    def changes(self) -> dict[str, Any]:
        return self.fields.values()
