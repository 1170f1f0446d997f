"""A visit's FHIR Bundle to a file, or to the clinic's EHR through the outbox, with retries.

Why retrying a POST is safe here: the Bundle is a transaction of PUTs to ids made from the visit
itself (`fhir_bundle`), so the EHR applying it twice leaves the same resources. A connection error, a
429 or a 5xx is retried with back-off (urllib3) and, if it persists, the job stays queued for the next
run; an answer with an OperationOutcome error (4xx) is final, and its diagnostics are kept and shown,
since the Bundle will not be accepted as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from dermdesk.files import write_text_atomic
from dermdesk.i18n import _
from dermdesk.interop.destinations import DestinationError, fhir_url
from dermdesk.interop.fhir_bundle import visit_bundle
from dermdesk.interop.outbox import (
    Destination,
    InteropOutbox,
    JobObject,
    JobState,
    ObjectState,
    SendJob,
    new_job_id,
)
from dermdesk.records import Records, UserInfo
from dermdesk.records.reports import VisitKey
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

BUNDLE_FILE = "bundle.json"
FHIR_JSON = "application/fhir+json"
RETRY_STATUSES = (429, 500, 502, 503, 504)
TIMEOUT = (5.0, 60.0)


@dataclass(frozen=True)
class FhirFile:
    path: Path
    record_number: str
    visit_id: int
    entries: int
    notes: tuple[str, ...]


def export_fhir(
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    path: Path,
    settings: DermDeskSettings,
) -> FhirFile:
    """Write the visit's Bundle as JSON to `path`, atomically; audited as an export."""
    made = visit_bundle(records, user, record_number, visit, settings)
    try:
        write_text_atomic(path, made.json())
    except OSError as exc:
        raise DestinationError(
            _("Cannot write {path}: {value}.").format(path=path, value=exc.strerror or exc)
        ) from exc
    records.dicom.sent(user, made.record_number, made.visit_id, {"format": "fhir", "to": "file"})
    return FhirFile(path, made.record_number, made.visit_id, len(made.bundle.entry or []), made.notes)


def queue_fhir(
    records: Records, user: UserInfo, record_number: str, visit: VisitKey, settings: DermDeskSettings
) -> SendJob:
    """Make the visit's Bundle now and queue it for the EHR."""
    made = visit_bundle(records, user, record_number, visit, settings)
    now = records.clock()
    job = SendJob(
        job_id=new_job_id(now),
        destination=Destination.EHR,
        record_number=made.record_number,
        visit_id=made.visit_id,
        visit_date=made.visit_date.isoformat(),
        queued_at=now,
        queued_by=user.username,
        objects=[],
    )
    item = JobObject(file=BUNDLE_FILE, kind="fhir bundle")
    return InteropOutbox.of(settings).add(job, [(item, made.json().encode("utf-8"))])


def fhir_session(
    settings: DermDeskSettings, *, retries: int = 3, backoff_factor: float = 0.5
) -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "DermDesk-station"
    session.headers["Accept"] = FHIR_JSON
    if settings.fhir_token:
        session.headers["Authorization"] = f"Bearer {settings.fhir_token}"
    if settings.fhir_ca_bundle is not None:
        if not settings.fhir_ca_bundle.is_file():
            raise DestinationError(
                _("The CA bundle {fhir_ca_bundle} for the EHR does not exist.").format(
                    fhir_ca_bundle=settings.fhir_ca_bundle
                )
            )
        session.verify = str(settings.fhir_ca_bundle)
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff_factor,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST"}),  # the transaction is all PUTs by id: idempotent
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


@dataclass
class FhirReport:
    jobs: list[SendJob] = field(default_factory=list)
    stopped: str | None = None

    def lines(self) -> list[str]:
        out = [job.summary for job in self.jobs]
        if self.stopped:
            out.append(f"Stopped: {self.stopped}. It will be sent again at the next try.")
        return out or ["Nothing waits to be sent."]


def send_fhir_pending(
    records: Records, user: UserInfo, settings: DermDeskSettings, *, session: requests.Session | None = None
) -> FhirReport:
    """Post every queued Bundle to the EHR, oldest first, until done or the EHR is away."""
    outbox = InteropOutbox.of(settings)
    report = FhirReport()
    pending = outbox.pending(Destination.EHR)
    if not pending:
        return report
    url = fhir_url(settings)
    http = session or fhir_session(settings)
    try:
        for job in pending:
            _send(records, user, outbox, http, url, job, report)
            report.jobs.append(job)
            if report.stopped:
                break
    finally:
        http.close()
    return report


def _send(
    records: Records,
    user: UserInfo,
    outbox: InteropOutbox,
    http: requests.Session,
    url: str,
    job: SendJob,
    report: FhirReport,
) -> None:
    item = job.objects[0]
    job.attempts += 1
    body = outbox.read_object(job, item)
    try:
        response = http.post(url, data=body, headers={"Content-Type": FHIR_JSON}, timeout=TIMEOUT)
    except requests.exceptions.SSLError as exc:
        _later(
            outbox,
            job,
            report,
            _("the EHR's certificate is not trusted ({detail})").format(detail=_short(exc)),
        )
        return
    except requests.RequestException as exc:
        _later(
            outbox,
            job,
            report,
            _("the EHR cannot be reached at {url} ({detail})").format(url=url, detail=_short(exc)),
        )
        return
    status = response.status_code
    if status in (200, 201):
        problem = _transaction_problem(response)
        if problem is None:
            item.state, item.reason = ObjectState.CONFIRMED, None
            job.state, job.last_error, job.sent_at = JobState.SENT, None, records.clock()
            outbox.save(job)
            records.dicom.sent(
                user, job.record_number, job.visit_id, {"format": "fhir", "to": url, "job": job.job_id}
            )
            log.info("Outbox job %s accepted by the EHR", job.job_id)
            return
        reason = problem
    else:
        reason = f"HTTP {status}: {operation_outcome_text(response)}"
    if status >= 500 or status in (408, 429):
        _later(outbox, job, report, _("the EHR had a problem ({reason})").format(reason=reason))
        return
    if status in (401, 403):
        _later(
            outbox,
            job,
            report,
            _("the EHR refused this station ({reason}); ask clinic IT").format(reason=reason),
        )
        return
    item.state, item.reason = ObjectState.REFUSED, reason
    job.state, job.last_error = (
        JobState.FAILED,
        _("the EHR refused the visit ({reason})").format(reason=reason),
    )
    outbox.save(job)
    log.warning("Outbox job %s refused by the EHR (HTTP %s)", job.job_id, status)


def _later(outbox: InteropOutbox, job: SendJob, report: FhirReport, reason: str) -> None:
    job.last_error = reason
    report.stopped = reason
    outbox.save(job)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def operation_outcome_text(response: requests.Response) -> str:
    """The EHR's own words: the diagnostics of an OperationOutcome's error issues, else its text."""
    data = _json(response)
    if isinstance(data, dict) and data.get("resourceType") == "OperationOutcome":
        words = []
        for issue in data.get("issue", []):
            if issue.get("severity") in ("error", "fatal"):
                text = (
                    issue.get("diagnostics") or (issue.get("details") or {}).get("text") or issue.get("code")
                )
                if text:
                    words.append(str(text))
        if words:
            return "; ".join(words)[:300]
    text = (response.text or response.reason or "no reason given").strip().splitlines()
    return (text[0] if text else "no reason given")[:200]


def _transaction_problem(response: requests.Response) -> str | None:
    """None when every entry of the transaction-response succeeded, else what failed."""
    data = _json(response)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        return _("the EHR's answer was not a transaction-response Bundle")
    for entry in data.get("entry", []):
        status = str((entry.get("response") or {}).get("status", ""))
        if not status.startswith("2"):
            return (
                _("an entry was answered {status}").format(status=status)
                if status
                else _("an entry was answered without a status")
            )
    return None


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160]
