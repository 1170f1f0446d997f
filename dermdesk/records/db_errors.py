"""Database errors turned into messages a clinician can act on; the technical reason goes to the log.

Why one place: a raw `IntegrityError` (with its SQL and a link to sqlalche.me) in a dialog tells a
nurse nothing and frightens her. Every transaction (`Database.transaction`) passes what the server or
SQLAlchemy raised through `explain`, which keeps the class of problem (the record changed elsewhere,
the server is busy, the schema does not match, the server is full) and drops the internals.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from dermdesk.i18n import N_, _
from dermdesk.records.errors import ChangedElsewhere, DatabaseRefused, RecordsError

log = logging.getLogger(__name__)

CHANGED_ELSEWHERE = N_(
    "Another station changed this record at the same moment, and its change was saved first; nothing "
    "of yours was saved. Look at the record as it is now (it has been read again) and repeat your step "
    "if it is still needed."
)
_CLASH_STATES = {"40001", "40P01"}  # serialization failure, deadlock: the other station won
_TIMEOUT_STATES = {"55P03", "57014"}  # lock not available, statement cancelled (timeout)


def sqlstate(exc: DBAPIError) -> str | None:
    """The SQLSTATE of a PostgreSQL error (None for SQLite and client-side failures)."""
    state = getattr(exc.orig, "sqlstate", None)
    return str(state) if state else None


def explain(exc: Exception) -> RecordsError:
    """The `RecordsError` to show for a database error raised inside a transaction (not 'unreachable',
    which `Database.transaction` answers with `DatabaseUnavailable` first)."""
    if isinstance(exc, StaleDataError):
        return ChangedElsewhere(_(CHANGED_ELSEWHERE))
    if not isinstance(exc, DBAPIError):
        log.error("Records transaction failed: %s", type(exc).__name__)  # no message: it may quote values
        return DatabaseRefused(_("The records could not be saved; nothing was changed. Tell clinic IT."))
    state = sqlstate(exc)
    log.warning("Records database refused a change: %s (SQLSTATE %s)", type(exc.orig).__name__, state)
    if isinstance(exc, IntegrityError) or state in _CLASH_STATES:
        return ChangedElsewhere(
            _(
                "Another station saved a change to the same record at the same moment; nothing "
                "of yours was saved. Open the record again and repeat your step (if it happens "
                "again, tell clinic IT: database code {value})."
            ).format(value=state or "integrity")
        )
    text = str(exc.orig).lower()
    if state is None and ("locked" in text or "busy" in text):  # SQLite: another program holds the file
        return DatabaseRefused(
            _(
                "The records are busy (another program is writing to them); nothing was saved. "
                "Try again in a moment."
            )
        )
    if state in _TIMEOUT_STATES:
        return DatabaseRefused(
            _(
                "The records server waited too long for another station to finish; nothing was "
                "saved. Try again in a moment."
            )
        )
    if state is not None and state.startswith("53"):
        return DatabaseRefused(
            _(
                "The records server has run out of room (disk or memory); nothing was saved. "
                "Tell clinic IT now (database code {state}); captures are kept on this station "
                "meanwhile."
            ).format(state=state)
        )
    if state is not None and state.startswith("42"):
        return DatabaseRefused(
            _(
                "This station's DermDesk does not match the records server's tables; nothing was "
                "saved. Update DermDesk on this station to the version the other rooms run "
                "(database code {state})."
            ).format(state=state)
        )
    if state is not None and state.startswith("25"):
        return DatabaseRefused(
            _(
                "The records server is read-only at the moment (a backup restore or a standby "
                "server); nothing was saved. Tell clinic IT (database code {state})."
            ).format(state=state)
        )
    return DatabaseRefused(
        _(
            "The records server refused the change (database code {value}); nothing was "
            "saved. Try again; if it happens again, tell clinic IT."
        ).format(value=state or "unknown")
    )
