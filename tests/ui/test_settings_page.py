"""The settings page offscreen: sections load the settings, Save checks every field at once and shows
each refusal beside its field (nothing saved), a valid change is saved to settings.json and used at
once; other features add their own section. The start-up notice is a bar in the main window, not a
window over the sign-in dialog. Bad input: a logo that is not a picture or is huge, an upload address
that is not https and not this machine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget
from reports.seed import picture

from dermdesk.settings import DermDeskSettings, load_settings
from dermdesk.ui.admin.settings_page import (
    ClinicSection,
    SettingsPage,
    SettingsSection,
    UploadSection,
    default_sections,
)
from dermdesk.ui.records.interop_settings import ClinicSystemsSection


def page_of(qtbot, saved: list[DermDeskSettings], **kwargs: Any) -> SettingsPage:
    loaded = load_settings()

    def apply(settings: DermDeskSettings) -> None:
        loaded.store.save(settings)
        saved.append(settings)

    page = SettingsPage(loaded.settings, apply, **kwargs)
    qtbot.addWidget(page)
    page.show()
    return page


def section(page: SettingsPage, kind: type) -> Any:
    return next(s for s in page.sections if isinstance(s, kind))


def test_valid_settings_are_saved_and_refusals_are_shown_beside_their_fields(
    qtbot, station_dirs, tmp_path: Path
) -> None:
    saved: list[DermDeskSettings] = []
    page = page_of(qtbot, saved)
    clinic, upload = section(page, ClinicSection), section(page, UploadSection)

    not_a_picture = tmp_path / "logo.png"
    not_a_picture.write_text("not a picture")
    huge = tmp_path / "huge.png"
    with huge.open("wb") as out:
        out.truncate(11_000_000)
    clinic.name.setText("Hautarztpraxis Am Stadtpark")
    clinic.logo.setText(str(not_a_picture))
    upload.url.setText("http://central.example.org")
    with qtbot.waitSignal(page.sig_refused) as refused:
        assert page.save() is None
    problems = refused.args[0]
    assert "PNG or JPEG" in problems["clinic_logo"] and clinic.problem_labels["clinic_logo"].isVisible()
    assert "use https://" in problems["upload_url"] and upload.problem_labels["upload_url"].isVisible()
    assert "Not saved" in page.error.text() and saved == []
    assert not station_dirs.settings_file.exists()

    clinic.logo.setText(str(huge))
    upload.url.setText("ftp://central.example.org")
    assert page.save() is None
    assert "at most 10 MB" in clinic.problem_labels["clinic_logo"].text()
    assert "starting with https://" in upload.problem_labels["upload_url"].text()

    logo = tmp_path / "real.png"
    logo.write_bytes(picture(1, size=(400, 160)))
    clinic.logo.setText(str(logo))
    clinic.phone.setText("+49 30 1234567")
    clinic.paper.setCurrentIndex(clinic.paper.findData("Letter"))
    upload.url.setText("http://127.0.0.1:8000")  # this machine: http is allowed
    with qtbot.waitSignal(page.sig_saved):
        page.save()
    assert not clinic.problem_labels["clinic_logo"].isVisible() and not page.error.isVisible()
    stored = json.loads(station_dirs.settings_file.read_text(encoding="utf-8"))
    assert (
        stored["clinic_name"] == "Hautarztpraxis Am Stadtpark" and stored["clinic_phone"] == "+49 30 1234567"
    )
    assert stored["paper_size"] == "Letter" and stored["upload_url"] == "http://127.0.0.1:8000"
    assert Path(stored["clinic_logo"]) == logo
    assert load_settings().settings.clinic_logo == logo


class PacsSection(SettingsSection):
    """What another feature's section looks like (issues 26 and 28 add theirs this way)."""

    def __init__(self) -> None:
        super().__init__("PACS")
        self.root = QLineEdit()
        self.add_field("dicom_uid_root", "UID root:", self.root)

    def load(self, settings: DermDeskSettings) -> None:
        self.root.setText(settings.dicom_uid_root or "")

    def changes(self) -> dict[str, Any]:
        return {"dicom_uid_root": self.root.text().strip() or None}


def test_another_feature_adds_its_own_section(qtbot, station_dirs) -> None:
    saved: list[DermDeskSettings] = []
    page = page_of(qtbot, saved)
    pacs = PacsSection()
    page.add_section(pacs)
    assert page.sections[-1] is pacs
    pacs.root.setText("not an oid")
    assert page.save() is None and pacs.problem_labels["dicom_uid_root"].isVisible()
    pacs.root.setText("1.2.826.0.1.3680043.10.1234")
    assert page.save() is not None and saved[-1].dicom_uid_root == "1.2.826.0.1.3680043.10.1234"


def test_a_settings_notice_is_a_bar_in_the_window_not_a_box_over_the_sign_in(
    qtbot, station_dirs, tmp_path: Path
) -> None:
    from dermdesk.context import CommandContext
    from dermdesk.source_spec import SourceSpec
    from dermdesk.ui.shell.main_window import MainWindow

    station_dirs.config_dir.mkdir(parents=True, exist_ok=True)
    station_dirs.settings_file.write_text("{ damaged", encoding="utf-8")
    loaded = load_settings()
    settings = loaded.settings.model_copy(update={"resolution": (320, 240)})
    ctx = CommandContext(
        settings=settings, store=loaded.store, log_file=tmp_path / "log", notices=loaded.notices
    )

    def boxes() -> set[QWidget]:
        return {w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()}

    earlier = boxes()  # another test's box left on screen is not this window's
    window = MainWindow(ctx, SourceSpec.parse("virtual"))
    qtbot.addWidget(window)
    window.show()
    window.show_notices(ctx.notices)
    assert window.notice_bar.isVisible() and "could not be read" in window.notice_bar.label.text()
    assert boxes() - earlier == set()
    window.notice_bar.dismiss_button.click()
    assert not window.notice_bar.isVisible()
    window.close()
    assert load_settings().notices == []  # the damaged file was replaced by a valid one


def test_the_clinic_systems_section_refuses_plain_http_to_another_machine(qtbot, station_dirs) -> None:
    """PACS and FHIR carry names: the page applies the same rule as sending does, beside the field."""
    saved: list[DermDeskSettings] = []
    page = page_of(qtbot, saved, sections=[*default_sections(), ClinicSystemsSection()])
    systems = section(page, ClinicSystemsSection)
    systems.fields.dicomweb_url.setText("http://pacs.clinic.example/dicom-web")
    systems.fields.fhir_url.setText("https://ehr.clinic.example/fhir/")
    with qtbot.waitSignal(page.sig_refused) as refused:
        assert page.save() is None
    assert "unencrypted" in refused.args[0]["pacs_dicomweb_url"]
    assert systems.problem_labels["pacs_dicomweb_url"].isVisible() and saved == []

    systems.fields.dicomweb_url.setText("http://127.0.0.1:8042/dicom-web")  # on this machine: allowed
    stored = page.save()
    assert stored is not None and saved[-1] == stored
    assert stored.pacs_dicomweb_url == "http://127.0.0.1:8042/dicom-web"
    assert stored.fhir_url == "https://ehr.clinic.example/fhir"
    assert not systems.problem_labels["pacs_dicomweb_url"].isVisible()
