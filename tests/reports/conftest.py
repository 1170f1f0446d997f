"""Fixtures for the reports suite: a SQLite station with a clinic letterhead, a team and seeded records.

The records core is tested on SQLite and PostgreSQL in tests/records; reports only read through its
services, so SQLite keeps this suite quick. Password hashing uses cheap argon2 parameters.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from records.helpers import PASSWORD, Clock, Team

from dermdesk.records import Records, SecurityPolicy
from dermdesk.settings import DermDeskSettings, load_settings
from reports.seed import Clinic, seed_clinic

CLINIC_NAME = "Hautarztpraxis Am Stadtpark"
CLINIC_ADDRESS = "Parkstraße 12\n10115 Berlin"
CLINIC_PHONE = "+49 30 1234567"


@pytest.fixture(autouse=True)
def _cheap_hashing(cheap_hashing: None) -> None:
    """Every test here uses the cheap password hasher (tests/conftest.py)."""


@pytest.fixture
def settings(station_dirs: object, monkeypatch: pytest.MonkeyPatch) -> DermDeskSettings:
    monkeypatch.setenv("DERMDESK_CLINIC_NAME", CLINIC_NAME)
    monkeypatch.setenv("DERMDESK_CLINIC_ADDRESS", CLINIC_ADDRESS)
    monkeypatch.setenv("DERMDESK_CLINIC_PHONE", CLINIC_PHONE)
    return load_settings().settings


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def records(settings: DermDeskSettings, clock: Clock) -> Iterator[Records]:
    opened = Records.open(settings, clock=clock, policy=SecurityPolicy(max_failed_attempts=5))
    yield opened
    opened.close()


@pytest.fixture
def team(records: Records) -> Team:
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
    return Team(admin, staff, doctor)


@pytest.fixture
def clinic(records: Records, team: Team, clock: Clock) -> Clinic:
    return seed_clinic(records, team, clock)
