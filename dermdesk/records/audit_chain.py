"""The sealed audit trail: every entry carries the hash of the one before it, and the newest hash is
anchored outside the database.

Why: triggers refuse UPDATE and DELETE, but whoever holds the database file can drop them, delete or
rewrite entries, and insert backdated ones. With a hash chain any gap, edit or insertion breaks the chain
where it happened; a rewrite of the whole chain (hashes recomputed) no longer contains the head recorded
in the anchor file beside the database (and in every backup), and a backdated entry is dated before its
predecessor. `verify_chain` reports each of these in a sentence an administrator can act on; backdating
is a notice rather than a problem, because a station whose clock was set back produces it too.

Concurrency: the head is read under a lock so that two writers never chain from the same entry — on
PostgreSQL a transaction-scoped advisory lock (stations writing at once), on SQLite the database's write
lock, taken before the head is read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dermdesk.files import write_text_atomic
from dermdesk.i18n import _
from dermdesk.records import models

log = logging.getLogger(__name__)

GENESIS = "0" * 64
"""The `prev_hash` of the first entry."""
ANCHOR_SUFFIX = ".audit-anchor"
PG_AUDIT_LOCK = 0x41554454  # "AUDT": the advisory lock every station takes to append to the chain
CLOCK_SKEW = timedelta(minutes=5)
"""Stations sharing a server may disagree on the time by this much; an entry older than its predecessor
by more is reported as backdated."""
_SESSION_HEAD = "dermdesk_audit_head"
REFUSED = "refused"
"""The action of an audited refused attempt (`AuditAction.REFUSED`)."""


class Anchor(BaseModel):
    """The anchor file: the newest entry's hash this station wrote, and when."""

    head: str
    written_at: datetime


def entry_hash(
    prev_hash: str,
    at: datetime,
    user_id: int | None,
    username: str | None,
    action: str,
    object_type: str | None,
    object_id: str | None,
    detail: Mapping[str, Any],
) -> str:
    """The seal of one entry: sha256 over the previous seal and the entry's canonical JSON."""
    stamp = at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    body = [prev_hash, stamp, user_id, username, action, object_type, object_id, dict(detail)]
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def row_hash(row: Any, prev_hash: str) -> str:
    """The seal of a stored entry (an AuditEvent or a plain row with the same columns)."""
    return entry_hash(
        prev_hash, row.at, row.user_id, row.username, row.action, row.object_type, row.object_id, row.detail
    )


def chain_head(session: Session) -> str:
    """The newest seal, read under the lock that keeps writers from forking the chain."""
    pending = session.info.get(_SESSION_HEAD)
    if isinstance(pending, str):
        return pending
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_AUDIT_LOCK})
    else:  # a write statement makes SQLite take its write lock now, before the head is read
        session.execute(text("DELETE FROM audit_events WHERE 0 = 1"))
    head = session.scalar(select(models.AuditEvent.entry_hash).order_by(models.AuditEvent.id.desc()).limit(1))
    return head or GENESIS


def seal(session: Session, event: models.AuditEvent) -> None:
    """Give a new entry its place in the chain (before it is added to the session)."""
    event.detail = json.loads(json.dumps(dict(event.detail or {}), default=str))  # as it will read back
    event.prev_hash = chain_head(session)
    event.entry_hash = row_hash(event, event.prev_hash)
    session.info[_SESSION_HEAD] = event.entry_hash


def sealed_head(session: Session) -> str | None:
    """The seal this transaction appended last, if any (to anchor once it is committed)."""
    head = session.info.get(_SESSION_HEAD)
    return head if isinstance(head, str) else None


def anchor_path(sqlite_path: Path | None, data_dir: Path | None) -> Path | None:
    """Beside the SQLite file; for a clinic server, in this station's data folder."""
    if sqlite_path is not None:
        return sqlite_path.with_name(sqlite_path.name + ANCHOR_SUFFIX)
    return None if data_dir is None else data_dir / f"records{ANCHOR_SUFFIX}"


def write_anchor(path: Path, head: str) -> None:
    """Record the newest seal (after its commit). A failure is logged, not raised: the action is already
    committed, and an anchor one step behind still lies in the chain."""
    anchor = Anchor(head=head, written_at=datetime.now(UTC))
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_text_atomic(path, anchor.model_dump_json() + "\n", mode=0o600)
    except OSError as exc:
        log.error("The audit anchor %s could not be written: %s", path, exc.strerror or exc)


def read_anchor(path: Path) -> Anchor | None:
    """The anchor, None when the file is absent; ValueError when it is unreadable."""
    if not path.is_file():
        return None
    try:
        return Anchor.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise ValueError(_("the audit anchor {name} is damaged").format(name=path.name)) from exc


@dataclass
class ChainReport:
    """What `verify_chain` found: entries checked, the head, and one sentence per problem."""

    entries: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # worth a look, not proof of tampering

    @property
    def intact(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The problems (or that the trail is intact), then the notices."""
        if self.intact:
            out = [f"Audit trail intact: {self.entries} entries, sealed up to {self.head[:16]}."]
        else:
            out = [f"Audit trail: {problem}" for problem in self.problems]
        return out + [f"Audit trail notice: {notice}" for notice in self.notices]


def verify_chain(session: Session, anchor_file: Path | None, *, shared: bool = False) -> ChainReport:
    """Walk the whole chain oldest first; report gaps, edits, insertions, backdating and anchor loss.
    `shared`: a clinic server, where a station that never wrote to it has no anchor yet (a notice)."""
    report = ChainReport()
    seals: set[str] = set()
    prev_hash, prev_at, prev_id = GENESIS, None, None
    table = models.AuditEvent
    columns = select(
        table.id,
        table.at,
        table.user_id,
        table.username,
        table.action,
        table.object_type,
        table.object_id,
        table.detail,
        table.prev_hash,
        table.entry_hash,
    ).order_by(table.id)
    for row in session.execute(columns.execution_options(yield_per=5000)):  # plain rows: no ORM objects
        report.entries += 1
        where = f"entry {row.id}"
        if row.entry_hash is None or row.prev_hash is None:
            report.problems.append(f"{where} carries no seal: it was inserted around DermDesk.")
        else:
            if row.prev_hash != prev_hash:
                after = f"entry {prev_id}" if prev_id is not None else "the start"
                report.problems.append(
                    f"{where} does not follow {after}: entries between them were deleted or inserted."
                )
            if row_hash(row, row.prev_hash) != row.entry_hash:
                report.problems.append(f"{where} was altered after it was written.")
            seals.add(row.entry_hash)
        if prev_at is not None and row.at < prev_at - CLOCK_SKEW:
            report.notices.append(  # a station's clock set back also does this: shown, not alarmed
                f"{where} is dated before the entry preceding it (backdated, or a clock set back)."
            )
        prev_hash, prev_at, prev_id = row.entry_hash or "", row.at, row.id
    report.head = prev_hash if report.entries else GENESIS
    _check_anchor(report, seals, anchor_file, shared)
    return report


def _check_anchor(report: ChainReport, seals: set[str], anchor_file: Path | None, shared: bool) -> None:
    if anchor_file is None:
        return
    try:
        anchor = read_anchor(anchor_file)
    except ValueError as exc:
        report.problems.append(f"{exc}; the chain cannot be checked against it.")
        return
    if anchor is None:
        if report.entries and shared:
            report.notices.append(
                f"this station had no anchor for the clinic server's trail; {anchor_file.name} starts now."
            )
        elif report.entries:
            report.problems.append(
                f"the anchor file {anchor_file.name} beside the records is missing: the chain cannot be "
                "checked for a rewrite (restore it from a backup)."
            )
        return
    if anchor.head != GENESIS and anchor.head not in seals:
        report.problems.append(
            f"the head recorded in {anchor_file.name} on {anchor.written_at:%Y-%m-%d %H:%M} UTC is no longer "
            "in the chain: entries were removed or the trail was rewritten."
        )
