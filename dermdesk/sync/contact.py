"""What the station last heard from the central service, kept for the queue view and the service.

Why a file: the window and the background service both send; whichever talked to the centre last
writes here (atomically), and the window shows it ("last successful contact", the last problem, a clock
that is far off). The clock check compares the centre's HTTP `Date` header with this station's clock:
dates on records, certificates and token checks all go wrong on a station whose clock is hours off.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from dermdesk.files import write_text_atomic
from dermdesk.i18n import _
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

CONTACT_NAME = "central-contact.json"
CLOCK_TOLERANCE_S = 300.0  # five minutes: more than network delay, less than any real drift worth fixing


class CentralContact(BaseModel):
    """The last pass's outcome as the queue view shows it."""

    last_success: datetime | None = None  # the centre answered and accepted this station's token
    last_attempt: datetime | None = None
    problem: str | None = None  # why the last pass could not send (None: it could)
    clock_offset_s: float | None = None  # the centre's clock minus this station's, at the last answer

    def clock_warning(self) -> str | None:
        """A line for the window when this station's clock is far off the centre's, else None."""
        return clock_warning(self.clock_offset_s)


def clock_warning(offset_s: float | None) -> str | None:
    if offset_s is None or abs(offset_s) <= CLOCK_TOLERANCE_S:
        return None
    minutes = abs(offset_s) / 60
    amount = (
        _("{hours:.1f} hours").format(hours=minutes / 60)
        if minutes >= 90
        else _("{minutes:.0f} minutes").format(minutes=minutes)
    )
    if offset_s > 0:
        sentence = _(
            "This station's clock is {amount} behind the central service's; ask clinic IT to set the date "
            "and time (dates on records and reports depend on it)."
        )
    else:
        sentence = _(
            "This station's clock is {amount} ahead of the central service's; ask clinic IT to set the date "
            "and time (dates on records and reports depend on it)."
        )
    return sentence.format(amount=amount)


def clock_offset(date_header: str | None, now: datetime) -> float | None:
    """Seconds the server's `Date` is ahead of `now`; None without a readable header."""
    if not date_header:
        return None
    try:
        server = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return None
    if server.tzinfo is None:
        server = server.replace(tzinfo=UTC)
    return (server - now).total_seconds()


PAUSE_NAME = "sending-paused"


def paused(settings: DermDeskSettings) -> bool:
    """Whether someone paused sending at this station (both senders respect it)."""
    return (settings.data_dir / "sync" / PAUSE_NAME).exists()


def set_paused(settings: DermDeskSettings, pause: bool) -> None:
    path = settings.data_dir / "sync" / PAUSE_NAME
    if pause:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, "paused from the station window\n")
    else:
        path.unlink(missing_ok=True)


def contact_path(settings: DermDeskSettings) -> Path:
    return settings.data_dir / "sync" / CONTACT_NAME


def load_contact(settings: DermDeskSettings) -> CentralContact:
    path = contact_path(settings)
    try:
        return CentralContact.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return CentralContact()
    except (OSError, ValidationError) as exc:
        log.warning("The central-contact file is unreadable (%s); starting afresh", type(exc).__name__)
        return CentralContact()


def save_contact(settings: DermDeskSettings, contact: CentralContact) -> str | None:
    """Write the record; a message instead of an exception when the disk refuses (nothing else depends
    on it: the cases' states live in the records)."""
    path = contact_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, contact.model_dump_json(indent=2))
    except OSError as exc:
        log.warning("The central-contact file could not be written (%s)", exc.strerror or type(exc).__name__)
        return f"the station could not note the last contact ({exc.strerror or exc}); is its disk full?"
    return None
