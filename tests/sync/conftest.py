"""Fixtures for the sync suite: a station's records on SQLite with a team and consented cases, and the
central service running for real on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from records.helpers import PASSWORD, Clock, Team, png_bytes

from dermdesk.central import store
from dermdesk.central.app import create_app
from dermdesk.central.config import CentralConfig
from dermdesk.records import (
    CaptureMetadata,
    CaptureRequest,
    NewDiagnosis,
    NewLesion,
    NewPatient,
    PredictionInput,
    Records,
)
from dermdesk.settings import DermDeskSettings, load_settings
from sync.servers import LiveServer

PREDICTION = PredictionInput(
    model_name="dermdesk-lesion",
    model_version="1.0.0",
    manifest_sha256="ab" * 32,
    probabilities={"mel": 0.6, "nv": 0.4},
    ranking=["mel", "nv"],
    triage="malignant",
    refer=True,
)


@pytest.fixture(autouse=True)
def _cheap_hashing(cheap_hashing: None) -> None:
    """Every test here uses the cheap password hasher (tests/conftest.py)."""


@pytest.fixture
def settings() -> DermDeskSettings:
    return load_settings().settings


@pytest.fixture
def records(settings: DermDeskSettings) -> Iterator[Records]:
    opened = Records.open(settings, clock=Clock())
    yield opened
    opened.close()


@pytest.fixture
def team(records: Records) -> Team:
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
    return Team(admin, staff, doctor)


def add_patient(records: Records, team: Team, number: str, *, consent: bool = True, **changes: object) -> str:
    values: dict[str, object] = {
        "record_number": number,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "date_of_birth": date(1971, 5, 17),
        "sex": "female",
        "research_consent": consent,
    }
    values.update(changes)
    return records.patients.register(team.staff, NewPatient(**values)).record_number  # type: ignore[arg-type]


def add_capture(
    records: Records,
    team: Team,
    number: str,
    seed: int,
    *,
    lighting: str = "white_polarised",
    label: str | None = None,
) -> None:
    records.captures.save(
        team.staff,
        CaptureRequest(
            record_number=number,
            image=png_bytes(seed, size=40),
            new_lesion=None if label else NewLesion("posterior torso", "left shoulder blade"),
            lesion_label=label,
            metadata=CaptureMetadata(
                camera="Virtual dermatoscope SN-99812",
                lighting_mode=lighting,
                polarised=lighting == "white_polarised",
                contact=True,
                captured_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            ),
            prediction=PREDICTION,
        ),
    )


def confirm(records: Records, team: Team, number: str, label: str = "L1", dx: str = "mel") -> None:
    records.diagnoses.record(
        team.doctor,
        number,
        label,
        NewDiagnosis("histopathology", dx_code=dx, notes="Seen by Dr Zed; patient's sister also affected"),
        sign_off_password=PASSWORD,
    )


def shareable_case(records: Records, team: Team, number: str, seed: int) -> None:
    add_patient(records, team, number)
    add_capture(records, team, number, seed)
    confirm(records, team, number)


@pytest.fixture
def central_config(tmp_path: Path) -> CentralConfig:
    return CentralConfig(home=tmp_path / "central", retrain_threshold=10_000)


@pytest.fixture
def central(central_config: CentralConfig) -> Iterator[LiveServer]:
    server = LiveServer(create_app(central_config)).start()
    yield server
    server.stop()


@pytest.fixture
def device_token(central_config: CentralConfig, central: LiveServer) -> str:
    return store.add_device(store.open_engine(central_config.url), "clinic-a-station-1")


def station_settings(settings: DermDeskSettings, url: str, token: str) -> DermDeskSettings:
    return settings.with_overrides(upload_url=url, device_token=token)
