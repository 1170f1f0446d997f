"""Registering and finding patients (issue 20), through the real form on a real SQLite file.

A typed 1984 birth date is stored as 1984 (the old date box ignored a typed year and filed 1970); no
birth date or sex is filled in for the person; the core's message clears once the field is fixed; each
bad input the issue lists gets a clear message in the form and nothing is filed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from dermdesk.records import NewPatient, Records, UserInfo
from dermdesk.settings import load_settings
from dermdesk.ui.records.patient_form import NewPatientDialog
from dermdesk.ui.records.patient_list import PatientList

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PASSWORD = "correct horse battery"


@pytest.fixture
def records() -> Iterator[Records]:
    opened = Records.open(load_settings().settings)
    yield opened
    opened.close()


@pytest.fixture
def staff(records: Records) -> UserInfo:
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    return records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)


@pytest.fixture
def dialog(qtbot, records: Records, staff: UserInfo) -> NewPatientDialog:
    form = NewPatientDialog(lambda new: records.patients.register(staff, new))
    qtbot.addWidget(form)
    form.show()
    return form


def fill(
    dialog: NewPatientDialog,
    *,
    number: str = "DD-000201",
    given: str = "Ada",
    born: str = "1984-05-17",
    sex: str = "female",
) -> None:
    dialog.record_number.setText(number)
    dialog.given_name.setText(given)
    dialog.family_name.setText("Lovelace")
    dialog.date_of_birth.setText(born)
    dialog.sex.setCurrentIndex(dialog.sex.findData(sex))


def register(qtbot, dialog: NewPatientDialog) -> str:
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    return dialog.error.text() if dialog.error.isVisible() else ""


def test_a_typed_1984_birth_date_is_stored_as_typed(qtbot, dialog, records, staff) -> None:
    fill(dialog, born="17.05.1984" if dialog.day_first else "05/17/1984")
    with qtbot.waitSignal(dialog.sig_registered, timeout=5000):
        qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert records.patients.get(staff, "DD-000201").date_of_birth == date(1984, 5, 17)


def test_no_birth_date_or_sex_is_filed_by_default(qtbot, dialog, records, staff) -> None:
    assert dialog.date_of_birth.text() == "" and dialog.sex.currentData() == ""
    dialog.record_number.setText("DD-000202")
    dialog.given_name.setText("Ada")
    dialog.family_name.setText("Lovelace")
    assert "date of birth is required" in register(qtbot, dialog)
    dialog.date_of_birth.setText("1984-05-17")
    assert "Choose the patient's sex" in register(qtbot, dialog)
    assert records.patients.list(staff) == []


def test_the_message_clears_once_the_record_number_is_fixed(qtbot, dialog, records, staff) -> None:
    records.patients.register(staff, NewPatient("DD-000203", "Alan", "Turing", date(1912, 6, 23), "male"))
    fill(dialog, number="DD-000203")
    assert "already exists" in register(qtbot, dialog)  # a record number in another patient's use
    qtbot.keyClicks(dialog.record_number, "4")
    assert not dialog.error.isVisible() and dialog.error.text() == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"born": (date.today() + timedelta(days=1)).isoformat()}, "is in the future"),
        ({"born": "1899-12-31"}, "is before 1900"),
        ({"born": "1984-02-31"}, "February 1984 has no day 31"),
        ({"given": "A" * 2000}, "given name"),
        ({"given": "Ada\x07"}, "control character"),
        ({"given": "Ada\u202eecalevoL"}, "text-direction mark"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_filed(
    qtbot, dialog, records, staff, changes: dict[str, str], message: str
) -> None:
    fill(dialog, **changes)
    assert message in register(qtbot, dialog)
    assert dialog.isVisible() and records.patients.list(staff) == []


def test_the_search_box_says_what_it_finds(qtbot) -> None:
    patients = PatientList()
    qtbot.addWidget(patients)
    assert (
        "any order" in patients.search.placeholderText() and "birth date" in patients.search.placeholderText()
    )


def test_the_consent_box_says_pseudonymised(dialog) -> None:
    assert "pseudonymised" in dialog.consent.text() and "anonymised" not in dialog.consent.text().replace(
        "pseudonymised", ""
    )


def test_a_korean_patient_with_korean_reports_and_no_resident_number(qtbot, dialog, records, staff) -> None:
    """Issue 27: Hangul names, the language of reports chosen in the form, and a resident registration
    number refused with a clear message (nothing filed)."""
    fill(dialog, number="KR-000301", given="민수")
    dialog.family_name.setText("김")
    dialog.contact.setText("900101-1234567")
    assert "resident registration number" in register(qtbot, dialog)
    assert records.patients.list(staff) == []
    dialog.contact.setText("010-1234-5678")
    assert dialog.report_language.currentData() is None  # the clinic's, unless chosen
    dialog.report_language.setCurrentIndex(dialog.report_language.findData("ko"))
    with qtbot.waitSignal(dialog.sig_registered, timeout=5000):
        qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    record = records.patients.get(staff, "KR-000301")
    assert record.report_language == "ko" and record.family_name + record.given_name == "김민수"
    assert [p.record_number for p in records.patients.list(staff, "ㄱㅁㅅ")] == ["KR-000301"]
