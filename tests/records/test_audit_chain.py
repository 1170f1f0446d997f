"""The sealed audit trail on SQLite and PostgreSQL: a backdated insert, deleted entries, a rewritten
trail and a lost anchor are all reported; concurrent writers do not fork the chain; identifying reads
are audited per patient and refused attempts are audited."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from dermdesk.records import Records
from dermdesk.records import models as m
from dermdesk.records.audit import AuditAction
from dermdesk.records.audit_chain import GENESIS, entry_hash, read_anchor
from dermdesk.records.errors import PermissionDenied
from records.helpers import PASSWORD, Team, new_patient


def seal_of(row: m.AuditEvent, prev: str) -> str:
    return entry_hash(
        prev, row.at, row.user_id, row.username, row.action, row.object_type, row.object_id, row.detail
    )


def drop_triggers(records: Records) -> None:
    with records.database.engine.begin() as conn:
        if records.database.is_sqlite:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))


def test_a_fresh_trail_verifies_and_its_head_is_anchored(records: Records, team: Team, patient: str) -> None:
    records.patients.get(team.doctor, patient)
    report = records.audit.verify(team.admin)
    assert report.intact, report.problems
    assert report.entries >= 5 and report.head != GENESIS
    anchor = records.database.anchor_file
    assert anchor is not None and anchor.is_file()
    loaded = read_anchor(anchor)
    assert loaded is not None
    with records.database.transaction() as session:
        newest = session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id.desc())).first()
        assert newest is not None and loaded.head == newest.entry_hash


def test_a_backdated_insert_is_reported(records: Records, team: Team, patient: str) -> None:
    """A row inserted straight into the table (the triggers allow INSERT) carries no seal."""
    with records.database.engine.begin() as conn:
        conn.execute(
            m.AuditEvent.__table__.insert().values(
                at=records.clock() - timedelta(days=30), username="sam", action="view patient", detail={}
            )
        )
    report = records.audit.verify()
    assert not report.intact
    assert any("carries no seal" in p for p in report.problems)


def test_a_backdated_entry_with_a_valid_seal_is_reported(records: Records, team: Team, patient: str) -> None:
    """Someone who knows the algorithm seals the entry correctly; its date still gives it away."""
    with records.database.transaction() as session:
        head = session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id.desc())).first()
        assert head is not None
        row = m.AuditEvent(
            at=records.clock() - timedelta(days=30), username="sam", action="view patient", detail={}
        )
        row.prev_hash = head.entry_hash
        row.entry_hash = seal_of(row, head.entry_hash or "")
        session.add(row)
    report = records.audit.verify()
    assert any("backdated" in n for n in report.notices), report.notices
    assert any("notice" in line and "backdated" in line for line in report.lines())


def test_deleting_entries_and_recreating_the_triggers_is_reported(
    records: Records, team: Team, patient: str
) -> None:
    records.patients.get(team.doctor, patient)
    records.patients.get(team.doctor, patient)
    drop_triggers(records)
    with records.database.engine.begin() as conn:
        ids = conn.execute(text("SELECT id FROM audit_events ORDER BY id")).scalars().all()
        conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[-2]})
    report = records.audit.verify()
    assert any("does not follow" in p for p in report.problems), report.problems


def test_a_rewritten_trail_with_recomputed_seals_is_caught_by_the_anchor(
    records: Records, team: Team, patient: str
) -> None:
    records.patients.get(team.doctor, patient)
    drop_triggers(records)
    with records.database.transaction() as session:  # remove the last entry, re-seal all the others
        rows = list(session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id)))
        session.delete(rows[-1])
        prev = GENESIS
        for row in rows[:-1]:
            row.prev_hash, row.entry_hash = prev, seal_of(row, prev)
            prev = row.entry_hash
    report = records.audit.verify()
    assert len(report.problems) == 1 and "no longer in the chain" in report.problems[0]


def test_an_edited_entry_is_reported(records: Records, team: Team, patient: str) -> None:
    drop_triggers(records)
    with records.database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET username = 'nobody' WHERE action = 'register patient'"))
    assert any("was altered" in p for p in records.audit.verify().problems)


def test_a_missing_anchor_file_is_reported(records: Records, team: Team) -> None:
    """Beside a SQLite file a missing anchor is a problem; a station new to a clinic server has none
    yet, so there it is a notice and the anchor starts from the current head."""
    anchor = records.database.anchor_file
    assert anchor is not None
    anchor.unlink()
    report = records.audit.verify()
    if records.database.is_sqlite:
        assert any("anchor file" in p and "missing" in p for p in report.problems)
    else:
        assert report.intact and any("had no anchor" in n for n in report.notices)
        assert anchor.is_file()


def test_writers_at_once_do_not_fork_the_chain(records: Records, team: Team, patient: str) -> None:
    errors: list[BaseException] = []

    def view() -> None:
        try:
            for _ in range(5):
                records.patients.get(team.doctor, patient)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = records.audit.verify()
    assert report.intact, report.problems


def test_a_patient_list_is_audited_per_patient_shown(records: Records, team: Team) -> None:
    for number in ("DD-000001", "DD-000002"):
        records.patients.register(team.staff, new_patient(number))
    records.patients.list(team.staff)
    entries = records.audit.list(team.admin, action=AuditAction.LIST_PATIENTS.value)
    assert sorted(e.object_id for e in entries if e.object_id) == ["DD-000001", "DD-000002"]


def test_refused_attempts_are_audited(records: Records, team: Team, patient: str) -> None:
    with pytest.raises(PermissionDenied):
        records.audit.verify(team.staff)
    with pytest.raises(PermissionDenied):
        records.users.add(team.staff, "eve", "Eve", "admin", PASSWORD)
    with pytest.raises(PermissionDenied):
        records.patients.get(team.admin, patient)  # administrators do not read clinical records
    entries = records.audit.list(team.admin, action=AuditAction.REFUSED.value)
    assert [(e.username, e.detail["attempted"]) for e in entries] == [
        ("sam", "read the audit log"),
        ("sam", "manage user accounts"),
        ("admin", "view patient records"),
    ]
    assert records.audit.verify().intact  # sealed into the chain like every entry


def test_a_backup_whose_trail_was_rewritten_is_not_restored(tmp_path: Path) -> None:
    """The backup carries its anchor: deleting the snapshot's newest entry (and fixing the manifest's
    checksum) loses the anchored head, and restore refuses it. (SQLite: the snapshot file is edited.)"""
    import hashlib
    import json
    import sqlite3

    from dermdesk.records.errors import RestoreError
    from dermdesk.settings import DermDeskSettings

    with Records.open(DermDeskSettings(data_dir=tmp_path / "station")) as records:
        admin = records.users.create_first_admin("admin", "IT", PASSWORD)
        staff = records.users.add(admin, "sam", "Sam", "staff", PASSWORD)
        records.patients.register(staff, new_patient())
        backup = records.backup(admin, tmp_path / "backup").destination
    snapshot = backup / "dermdesk.sqlite"
    conn = sqlite3.connect(snapshot)
    with conn:
        conn.execute("DROP TRIGGER audit_events_no_delete")
        conn.execute("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)")
    conn.close()  # the last connection folds the WAL back into the file
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    manifest["database"]["sha256"] = hashlib.sha256(snapshot.read_bytes()).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with (
        Records.open(DermDeskSettings(data_dir=tmp_path / "new-station")) as fresh,
        pytest.raises(RestoreError, match="rewritten after the backup was made"),
    ):
        fresh.restore(backup, "admin", PASSWORD)
