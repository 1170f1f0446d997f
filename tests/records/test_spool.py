"""The clinic's PostgreSQL server goes away mid-session: captures are spooled and filed when it is back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from dermdesk.records import CaptureRequest, DatabaseUnavailable, NewLesion, Records, models
from dermdesk.records.image_store import sha256_bytes
from dermdesk.records.spool import FAILED_NOTE
from records.helpers import Team, png_bytes
from records.pg_server import EmbeddedPostgres

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def server(postgres_server: EmbeddedPostgres) -> Iterator[EmbeddedPostgres]:
    yield postgres_server
    if not postgres_server.running:
        postgres_server.start()


def request(patient: str, seed: int) -> CaptureRequest:
    return CaptureRequest(patient, png_bytes(seed), new_lesion=NewLesion("palms/soles"))


def test_captures_while_the_server_is_down_are_spooled_then_filed(
    records: Records, team: Team, patient: str, server: EmbeddedPostgres
) -> None:
    before = records.captures.save(team.staff, request(patient, 1))
    server.stop()
    during = [records.captures.save(team.staff, request(patient, seed)) for seed in (2, 3)]
    assert all(r.spooled and r.image_id is None for r in during)
    assert "filed automatically" in during[0].message
    assert records.spool is not None and len(records.spool.pending()) == 2
    with pytest.raises(DatabaseUnavailable, match="cannot be reached"):
        records.patients.get(team.staff, patient)
    assert records.flush_spool().waiting == 2  # still away: nothing lost, nothing filed

    server.start()
    report = records.flush_spool()

    assert report.filed == [r.capture_uid for r in during] and report.failed == {}
    assert records.spool.pending() == []
    with records.database.transaction() as session:
        rows = {row.capture_uid: row for row in session.scalars(select(models.Image))}
    assert set(rows) == {before.capture_uid, *(r.capture_uid for r in during)}
    for result, seed in zip(during, (2, 3), strict=True):
        assert rows[result.capture_uid].sha256 == sha256_bytes(png_bytes(seed))
        assert records.store.read(rows[result.capture_uid].relative_path) == png_bytes(seed)
    assert records.integrity_check().consistent
    spooled_events = [e for e in records.audit.list(team.admin, action="capture") if e.detail["spooled"]]
    assert len(spooled_events) == 2


def test_filing_a_spooled_capture_twice_adds_it_once(
    records: Records, team: Team, patient: str, server: EmbeddedPostgres
) -> None:
    server.stop()
    spooled = records.captures.save(team.staff, request(patient, 4))
    server.start()
    assert records.spool is not None
    (entry,) = records.spool.pending()
    records.captures._file(
        team.staff.id, records.spool.load(entry).request, spooled=True
    )  # crash before removal
    assert records.flush_spool().filed == [spooled.capture_uid]
    with records.database.transaction() as session:
        uids = list(session.scalars(select(models.Image.capture_uid)))
    assert uids == [spooled.capture_uid]


def test_a_spooled_capture_for_an_unknown_patient_is_kept_with_the_reason(
    records: Records, team: Team, patient: str, server: EmbeddedPostgres
) -> None:
    server.stop()
    records.captures.save(team.staff, request("DD-404404", 5))
    server.start()
    report = records.flush_spool()
    assert report.filed == [] and len(report.failed) == 1
    assert records.spool is not None
    (entry,) = records.spool.entries()
    assert "DD-404404" in (entry / FAILED_NOTE).read_text(encoding="utf-8")
    assert records.spool.pending() == []
