"""The time of the clinic's records server, as seen from a station whose own clock may be wrong.

Why: two rooms whose clocks are minutes apart would date their records out of order — a sign-off "before"
the diagnosis it signs, a visit on the wrong day near midnight, audit entries reported as backdated.
Where order matters the server's clock is the one both rooms share, so a station on a clinic server
measures the offset between its clock and the server's (`SELECT now()`, halfway through the round
trip) when it opens the records and whenever it reconnects, and dates everything with its own clock
plus that offset. The clock itself never talks to the server: a capture spooled during an outage is
dated with the last offset known, without waiting for a connection that will not come.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from dermdesk.records.base import utcnow

log = logging.getLogger(__name__)

NOTABLE_SKEW = timedelta(seconds=30)
"""An offset worth a line in the log: clinic IT should set the station's clock (NTP)."""


class ServerClock:
    """A clock (callable returning an aware UTC datetime) that follows the records server's."""

    def __init__(self, engine: Engine, local: Callable[[], datetime] = utcnow) -> None:
        self._engine = engine
        self._local = local
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self._local() + self.offset

    def measure(self) -> timedelta:
        """Ask the server for its time and keep the offset; on failure keep the last one known."""
        try:
            before = self._local()
            with self._engine.connect() as connection:
                server = connection.execute(text("SELECT now()")).scalar_one()
            after = self._local()
        except SQLAlchemyError as exc:
            log.info("Server time not measured (%s); keeping offset %s", type(exc).__name__, self.offset)
            return self.offset
        self.offset = server - (before + (after - before) / 2)
        if abs(self.offset) > NOTABLE_SKEW:
            log.warning(
                "This station's clock is %.0f s off the records server's; records are dated by the server",
                self.offset.total_seconds(),
            )
        return self.offset
