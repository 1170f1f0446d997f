"""The "Export DICOM…" dialog of a visit: writes the files off the GUI thread and shows what went out
(or why nothing did)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pydicom
from pytestqt.qtbot import QtBot
from records.helpers import Team

from dermdesk.records import NewPatient, Records
from dermdesk.settings import DermDeskSettings
from dermdesk.ui.records.dicom_export_dialog import DicomExportDialog
from interop.conftest import Visit


def test_the_dialog_exports_the_visit_into_the_chosen_folder(
    qtbot: QtBot, records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    dialog = DicomExportDialog(None, records, team.doctor, visit.record_number, None, settings)
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()  # no folder yet
    dialog.folder.setText(str(tmp_path / "pacs-out"))
    with qtbot.waitSignal(dialog.sig_exported, timeout=60_000) as exported:
        dialog.export_button.click()
    result = exported.args[0]
    assert "written as DICOM" in dialog.status.text()
    files = sorted((tmp_path / "pacs-out").glob("*.dcm"))
    assert len(files) == len(result.files) > 5
    assert {str(pydicom.dcmread(f, stop_before_pixels=True).PatientID) for f in files} == {"DD-000777"}
    dialog.close()


def test_a_refusal_is_shown_in_the_dialog(
    qtbot: QtBot, records: Records, team: Team, settings: DermDeskSettings, tmp_path: Path
) -> None:
    records.patients.register(
        team.staff, NewPatient("DD-000321", "Ada", "Lovelace", date(1971, 5, 17), "female")
    )
    dialog = DicomExportDialog(None, records, team.doctor, "DD-000321", None, settings)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: "no visits yet" in dialog.status.text(), timeout=30_000)
    assert dialog.export_button.isEnabled()
    assert not (tmp_path / "out").exists()
    dialog.close()
