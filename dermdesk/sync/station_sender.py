"""One sending pass as the window and the background service run it, and the connection test.

Why a layer over `Uploader.run_once`: both senders on a station (the window while it runs, the service
when nobody is signed in) must take turns (`sender_lock`), note what the centre last said
(`contact`), and turn every way a pass can fail (not configured, http:// to another machine, token
refused, unreachable, a clock hours off) into one line a clinician or clinic IT can act on. Cases are
never lost here: the uploader leaves anything unsent in the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from dermdesk.i18n import _, gettext
from dermdesk.records import Records
from dermdesk.records.outbox import OutboxRemoval, OutboxRow
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.contact import (
    CentralContact,
    clock_offset,
    clock_warning,
    load_contact,
    paused,
    save_contact,
)
from dermdesk.sync.secret import ClinicSecretError
from dermdesk.sync.sender_lock import SenderBusyError, sender_lock
from dermdesk.sync.uploader import (
    CLOSING,
    Uploader,
    UploadError,
    UploadReport,
    make_session,
    network_reason,
)

log = logging.getLogger(__name__)

SessionFactory = Callable[[DermDeskSettings], requests.Session]
Now = Callable[[], datetime]
PROBE_PATH = "/v1/models/latest"  # asks for the token, changes nothing


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PassOutcome:
    """What one pass did: its report (None when it did not run), why not, and the contact noted."""

    report: UploadReport | None
    problem: str | None
    contact: CentralContact
    skipped: bool = False  # another sender held the lock
    notes: list[str] = field(default_factory=list)  # e.g. the contact file could not be written


def send_pass(
    records: Records,
    settings: DermDeskSettings,
    *,
    session_factory: SessionFactory = make_session,
    should_stop: Callable[[], bool] | None = None,
    now: Now = _now,
) -> PassOutcome:
    """Send what is queued, if no other sender on this station is sending; note the contact."""
    contact = load_contact(settings)
    if paused(settings):
        return PassOutcome(None, None, contact, skipped=True, notes=[_("Sending is paused at this station.")])
    try:
        with sender_lock(settings):
            return _locked_pass(records, settings, contact, session_factory, should_stop, now)
    except SenderBusyError as exc:
        log.info("Upload pass skipped: another sender holds the lock")
        return PassOutcome(None, None, contact, skipped=True, notes=[str(exc)])


def _locked_pass(
    records: Records,
    settings: DermDeskSettings,
    contact: CentralContact,
    session_factory: SessionFactory,
    should_stop: Callable[[], bool] | None,
    now: Now,
) -> PassOutcome:
    started = now()
    try:
        http = session_factory(settings)
        uploader = Uploader(records, settings, session=http)
    except (UploadError, ClinicSecretError) as exc:  # e.g. the secret cannot be made on a full disk
        updated = contact.model_copy(update={"last_attempt": started, "problem": str(exc)})
        return PassOutcome(None, str(exc), updated, notes=_saved(settings, updated))
    report = uploader.run_once(should_stop=should_stop)
    offset = clock_offset(uploader.server_date, now())
    problem = report.stopped
    if problem == CLOSING:
        problem = None  # not a problem with the centre
    accepted = uploader.server_date is not None and not _refused(report)
    if uploader.server_date is None and report.stopped is None:  # nothing to send: is the centre there?
        probe = _probe(http, settings, now)
        accepted, offset = probe.ok, probe.clock_offset_s
        problem = None if probe.ok else probe.message
    updated = contact.model_copy(
        update={
            "last_attempt": started,
            "problem": problem,
            "last_success": now() if accepted else contact.last_success,
            "clock_offset_s": offset if offset is not None else contact.clock_offset_s,
        }
    )
    return PassOutcome(report, problem, updated, notes=_saved(settings, updated))


def _refused(report: UploadReport) -> bool:
    return bool(report.stopped and "device token" in report.stopped)


def _saved(settings: DermDeskSettings, contact: CentralContact) -> list[str]:
    note = save_contact(settings, contact)
    return [note] if note else []


@dataclass(frozen=True)
class ConnectionResult:
    """The answer of "test connection": whether it works and a line saying so or why not."""

    ok: bool
    message: str
    clock_offset_s: float | None = None

    @property
    def clock_warning(self) -> str | None:
        return clock_warning(self.clock_offset_s)


def check_connection(
    settings: DermDeskSettings, *, session_factory: SessionFactory = make_session, now: Now = _now
) -> ConnectionResult:
    """Ask the centre something harmless with this station's token; say plainly what came back."""
    if not settings.upload_url:
        return ConnectionResult(False, _("No central service address is set."))
    try:
        http = session_factory(settings)
    except UploadError as exc:
        return ConnectionResult(False, str(exc))
    return _probe(http, settings, now)


def _probe(http: requests.Session, settings: DermDeskSettings, now: Now) -> ConnectionResult:
    url = settings.upload_url or ""
    try:
        response = http.get(url + PROBE_PATH, timeout=(5.0, 15.0))
    except requests.exceptions.SSLError:
        return ConnectionResult(
            False, _("{url} answered, but its certificate is not trusted by this station.").format(url=url)
        )
    except requests.RequestException as exc:
        return ConnectionResult(
            False,
            _("The central service at {url} cannot be reached: {reason}.").format(
                url=url, reason=gettext(network_reason(exc))
            ),
        )
    offset = clock_offset(response.headers.get("Date"), now())
    if response.status_code in (401, 403):
        return ConnectionResult(
            False,
            _(
                "The central service answered but refused this station's device token; ask clinic IT for a "
                "new one (dermdesk-central devices add)."
            ),
            offset,
        )
    if response.status_code in (200, 404):
        return ConnectionResult(
            True, _("Connected: the central service accepts this station's token."), offset
        )
    return ConnectionResult(
        False,
        _("The central service answered HTTP {status}; it will be tried again.").format(
            status=response.status_code
        ),
        offset,
    )


@dataclass(frozen=True)
class QueueSnapshot:
    """The upload queue as the window shows it."""

    counts: dict[str, int]
    rows: list[OutboxRow]
    removals: list[OutboxRemoval]
    contact: CentralContact


def queue_snapshot(records: Records, settings: DermDeskSettings) -> QueueSnapshot:
    outbox = records.outbox
    return QueueSnapshot(outbox.counts(), outbox.rows(), outbox.removals(), load_contact(settings))
