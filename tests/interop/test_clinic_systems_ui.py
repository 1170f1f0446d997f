"""The window's side of issue 26: "Send to PACS" and "Export FHIR…" of a visit, today's worklist to pick a
patient from, and the PACS / EHR settings section; each against the real Orthanc or FHIR endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from pytestqt.qtbot import QtBot
from records.helpers import Team

from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from dermdesk.ui.records.clinic_systems import FhirExportDialog, PacsSendDialog
from dermdesk.ui.records.interop_settings import InteropSettingsSection
from dermdesk.ui.records.patient_page import PatientPage
from dermdesk.ui.records.worklist_dialog import WorklistDialog
from interop.conftest import Visit
from interop.fhir_server import fhir_server
from interop.orthanc import PACS_AE, STATION_AE, Orthanc
from interop.test_worklist import worklist_file


def to_orthanc(settings: DermDeskSettings, orthanc: Orthanc) -> DermDeskSettings:
    return settings.with_overrides(
        pacs_dicomweb_url=orthanc.dicomweb_url,
        pacs_host="127.0.0.1",
        pacs_port=orthanc.dicom_port,
        pacs_ae_title=PACS_AE,
        station_ae_title=STATION_AE,
    )


def test_the_patient_page_offers_send_to_pacs_and_export_fhir_for_a_visit(
    qtbot: QtBot, records: Records, team: Team, visit: Visit
) -> None:
    page = PatientPage()
    qtbot.addWidget(page)
    assert not page.pacs_button.isEnabled() and not page.fhir_button.isEnabled()
    page.show_record(records.patients.get(team.staff, visit.record_number))
    with qtbot.waitSignal(page.sig_pacs_requested) as pacs:
        page.pacs_button.click()
    with qtbot.waitSignal(page.sig_fhir_requested) as fhir:
        page.fhir_button.click()
    assert pacs.args == fhir.args == [visit.clinic.second_visit]


def test_send_to_pacs_sends_and_confirms(
    qtbot: QtBot, records: Records, team: Team, visit: Visit, settings: DermDeskSettings, orthanc: Orthanc
) -> None:
    settings = to_orthanc(settings, orthanc)
    dialog = PacsSendDialog(None, records, team.staff, visit.record_number, None, settings)
    qtbot.addWidget(dialog)
    assert orthanc.dicomweb_url in dialog.intro.text()
    dialog.send_button.click()
    qtbot.waitUntil(lambda: "confirmed" in dialog.status.text(), timeout=120_000)
    assert "to the PACS" in dialog.status.text() and "will retry" not in dialog.status.text()
    assert len(orthanc.instance_uids()) > 5
    dialog.close()


def test_send_to_pacs_without_a_pacs_cannot_be_pressed(
    qtbot: QtBot, records: Records, team: Team, visit: Visit, settings: DermDeskSettings
) -> None:
    dialog = PacsSendDialog(None, records, team.staff, visit.record_number, None, settings)
    qtbot.addWidget(dialog)
    assert not dialog.send_button.isEnabled() and "no PACS configured" in dialog.intro.text()
    dialog.close()


def test_export_fhir_saves_a_valid_file_and_shows_the_ehrs_refusal(
    qtbot: QtBot, records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> None:
    with fhir_server() as ehr:
        ehr.fail_with.append((422, "Media.content: too large"))
        settings = settings.with_overrides(fhir_url=ehr.url)
        dialog = FhirExportDialog(None, records, team.doctor, visit.record_number, None, settings)
        qtbot.addWidget(dialog)
        dialog.path.setText(str(tmp_path / "visit.json"))
        dialog.save_button.click()
        qtbot.waitUntil(lambda: "written to" in dialog.status.text(), timeout=60_000)
        assert Bundle.model_validate_json((tmp_path / "visit.json").read_bytes())
        dialog.send_button.click()
        qtbot.waitUntil(lambda: "Media.content: too large" in dialog.status.text(), timeout=60_000)
        dialog.close()


def test_the_worklist_dialog_picks_a_patient_and_fills_the_form_for_an_incomplete_entry(
    qtbot: QtBot, records: Records, team: Team, settings: DermDeskSettings, orthanc: Orthanc
) -> None:
    worklist_file(orthanc.worklists / "a.wl", patient_id="DD-004711", name="Müller^Anna", accession="A1")
    worklist_file(
        orthanc.worklists / "b.wl",
        patient_id="DD-004712",
        name="Berg^Ole",
        birth="",
        accession="A2",
        at="101500",
    )
    dialog = WorklistDialog(None, records, team.staff, to_orthanc(settings, orthanc))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.entries.count() == 2, timeout=60_000)
    assert "Müller" in dialog.entries.item(0).text()
    assert "incomplete: no date of birth" in dialog.entries.item(1).text()
    dialog.entries.setCurrentRow(1)
    dialog.pick_button.click()
    assert dialog.form is not None
    assert (dialog.form.record_number.text(), dialog.form.family_name.text()) == ("DD-004712", "Berg")
    assert "no date of birth" in dialog.form.error.text()
    dialog.form.reject()
    dialog.entries.setCurrentRow(0)
    with qtbot.waitSignal(dialog.sig_patient_picked) as picked:
        dialog.pick_button.click()
    assert picked.args == ["DD-004711"]
    assert records.patients.get(team.staff, "DD-004711").family_name == "Müller"


def test_the_settings_section_round_trips_and_refuses_an_unencrypted_remote_pacs(
    qtbot: QtBot, settings: DermDeskSettings
) -> None:
    section = InteropSettingsSection()
    qtbot.addWidget(section)
    section.load(settings)
    section.send_by.setCurrentIndex(section.send_by.findData("dimse"))
    section.pacs_host.setText("pacs.clinic.local")
    section.tls.setChecked(True)
    section.fhir_url.setText("https://ehr.clinic.local/fhir/")
    applied = section.apply(settings)
    assert (applied.pacs_send_by, applied.pacs_host, applied.pacs_tls) == ("dimse", "pacs.clinic.local", True)
    assert applied.fhir_url == "https://ehr.clinic.local/fhir"
    section.dicomweb_url.setText("http://pacs.clinic.local/dicom-web")
    with pytest.raises(ValueError, match="unencrypted"):
        section.apply(settings)
    section.allow_insecure.setChecked(True)
    assert section.apply(settings).interop_allow_insecure
    section.fhir_url.setText("")
    assert section.apply(applied).fhir_url is None  # emptied: cleared
