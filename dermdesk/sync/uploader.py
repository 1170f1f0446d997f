"""Sending queued cases to the central service: once (`dermdesk upload --once`) or periodically.

Why it is safe to retry a POST here: every case carries an `Idempotency-Key` derived from the clinic
secret and the picture's capture id, so the same case always has the same key, and the central service
answers a repeated key with the receipt of the first upload instead of storing it again. A connection
dropped after the server stored the case, a 5xx or a 429 are therefore retried (urllib3 Retry, with
back-off); a refusal of the case itself (4xx) is final and reported with the server's reason; a refused
device token stops the run and leaves every case queued.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from dermdesk.i18n import N_, gettext
from dermdesk.records import NotFound, Records
from dermdesk.records.outbox import OutboxCase
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.deidentify import CaseFacts, CasePayload, NotShareableError, deidentify, pseudonym
from dermdesk.sync.secret import load_or_create_secret

log = logging.getLogger(__name__)

CASES_PATH = "/v1/cases"
RETRY_STATUSES = (429, 500, 502, 503, 504)
TIMEOUT = (5.0, 30.0)  # connect, read (seconds)


class UploadError(RuntimeError):
    """Uploads cannot run (not configured, token refused, CA bundle missing); the message is for IT."""


@dataclass
class UploadReport:
    """What one run did, per case."""

    sent: list[int] = field(default_factory=list)
    replayed: list[int] = field(default_factory=list)  # the centre already had them (a retried upload)
    failed: dict[int, str] = field(default_factory=dict)  # refused for good, with the reason
    retry_later: dict[int, str] = field(default_factory=dict)  # back in the queue, with the reason
    stopped: str | None = None  # why the run ended early

    def summary(self) -> str:
        parts = [
            gettext("{count} sent").format(count=len(self.sent) + len(self.replayed)),
            gettext("{count} failed").format(count=len(self.failed)),
        ]
        if self.retry_later:
            parts.append(gettext("{count} to retry").format(count=len(self.retry_later)))
        text = ", ".join(parts)
        if not self.stopped:
            return text
        return gettext("{text}; stopped: {reason}").format(text=text, reason=reason_in_words(self.stopped))


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def check_transport(settings: DermDeskSettings) -> None:
    """http:// would send the device token and the cases in clear: only to this machine, unless clinic
    IT has explicitly allowed it (`DERMDESK_UPLOAD_ALLOW_HTTP`, e.g. inside a VPN)."""
    url = settings.upload_url
    if not url or not url.startswith("http://") or settings.upload_allow_http:
        return
    host = (urlsplit(url).hostname or "").lower()
    if host not in LOCAL_HOSTS:
        raise UploadError(
            gettext(
                "The upload address {url} is http:// to another machine, which would send the "
                "device token in clear; use https:// (or set DERMDESK_UPLOAD_ALLOW_HTTP=1 if "
                "clinic IT accepts that)."
            ).format(url=url)
        )


def make_session(
    settings: DermDeskSettings, *, backoff_factor: float = 0.5, retries: int = 4
) -> requests.Session:
    """A Session with the device token, TLS verification (system CAs or the configured bundle) and
    retries with back-off for connection errors, 429 and 5xx on GET and (idempotent-keyed) POST."""
    if not settings.device_token:
        raise UploadError(
            gettext("No device token is configured (DERMDESK_DEVICE_TOKEN); ask the central service for one.")
        )
    check_transport(settings)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {settings.device_token}"
    session.headers["User-Agent"] = "DermDesk-station"
    if settings.upload_ca_bundle is not None:
        if not settings.upload_ca_bundle.is_file():
            raise UploadError(
                gettext("The CA bundle {upload_ca_bundle} does not exist.").format(
                    upload_ca_bundle=settings.upload_ca_bundle
                )
            )
        session.verify = str(settings.upload_ca_bundle)
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff_factor,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST"}),  # POST only ever with an Idempotency-Key
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def case_facts(case: OutboxCase) -> CaseFacts:
    return CaseFacts(
        capture_uid=case.capture_uid,
        patient_key=case.record_number,
        lesion_key=f"{case.record_number}/{case.lesion_label}",
        research_consent=case.research_consent,
        date_of_birth=case.date_of_birth,
        capture_date=case.capture_date,
        sex=case.sex,
        anatom_site_general=case.anatom_site_general,
        lighting_mode=case.lighting_mode,
        polarised=case.polarised,
        contact=case.contact,
        dx_code=case.dx_code,
        confirmation=case.confirmation,
        probabilities=case.probabilities,
        model_name=case.model_name,
        model_version=case.model_version,
    )


def request_body(payload: CasePayload) -> bytes:
    """The JSON body: the metadata and the PNG in base64 (deterministic, so a retry is byte-identical)."""
    body = {"metadata": payload.metadata, "image_png": base64.b64encode(payload.image_png).decode("ascii")}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


class Uploader:
    """Sends the outbox of one station's records to the configured central service."""

    def __init__(
        self,
        records: Records,
        settings: DermDeskSettings,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        if not settings.upload_url:
            raise UploadError(gettext("No central service is configured (DERMDESK_UPLOAD_URL)."))
        self._records = records
        self._settings = settings
        self._url = settings.upload_url + CASES_PATH
        self._session = session or make_session(settings)
        self._timeout = timeout
        self._secret = load_or_create_secret(settings.clinic_secret_path)
        self.server_date: str | None = None  # the Date header of the centre's last answer (clock check)

    def run_once(self, batch: int = 20, should_stop: Callable[[], bool] | None = None) -> UploadReport:
        """Send every queued case (in batches) until the queue is empty or the service is unusable.

        `should_stop` (the window closing) is asked between cases: the case on its way is finished and
        recorded, the rest of the batch goes back to the queue untouched."""
        report = UploadReport()
        recovered = self._records.outbox.recover_interrupted()
        if recovered:
            log.info("%d case(s) interrupted by a stop go back to the queue", recovered)
        while report.stopped is None:
            claimed = self._records.outbox.claim(batch)
            if not claimed:
                break
            for position, entry_id in enumerate(claimed):
                if report.stopped is None and should_stop is not None and should_stop():
                    report.stopped = CLOSING
                    for left in claimed[position:]:
                        self._records.outbox.release(left)
                    break
                self._send(entry_id, report)
                if report.stopped is not None:
                    for left in claimed[position + 1 :]:
                        self._records.outbox.mark_unsent(left, report.stopped, permanent=False)
                        report.retry_later[left] = report.stopped
                    break
        log.info("Upload run: %s", report.summary())
        return report

    def _send(self, entry_id: int, report: UploadReport) -> None:
        outbox = self._records.outbox
        try:
            case = outbox.case(entry_id)
            payload = deidentify(
                case_facts(case), case.image, self._secret, allow_unlabelled=self._settings.upload_unlabelled
            )
        except NotFound:
            return  # consent withdrawn or picture deleted meanwhile: nothing to send
        except NotShareableError as exc:
            outbox.mark_unsent(entry_id, NOT_SHAREABLE.format(reason=exc), permanent=True)
            report.failed[entry_id] = str(exc)
            return
        key = pseudonym(self._secret, "case", case.capture_uid)
        try:
            response = self._session.post(
                self._url,
                data=request_body(payload),
                headers={"Idempotency-Key": key, "Content-Type": "application/json"},
                timeout=self._timeout,
            )
        except requests.exceptions.SSLError as exc:
            self._stop(entry_id, report, UNTRUSTED.format(reason=network_reason(exc)))
            return
        except requests.RequestException as exc:
            self._stop(entry_id, report, UNREACHABLE.format(reason=network_reason(exc)))
            return
        self._outcome(entry_id, response, report)

    def _outcome(self, entry_id: int, response: requests.Response, report: UploadReport) -> None:
        outbox = self._records.outbox
        status = response.status_code
        self.server_date = response.headers.get("Date") or self.server_date
        if status in (200, 201):
            receipt = _json(response)
            replayed = bool(receipt.get("replayed"))
            outbox.mark_sent(entry_id, str(receipt.get("case_id", "")), replayed=replayed)
            (report.replayed if replayed else report.sent).append(entry_id)
            return
        reason = f"HTTP {status}: {_reason(response)}"
        if status in (401, 403):
            self._stop(entry_id, report, TOKEN_REFUSED.format(reason=reason))
        elif status in RETRY_STATUSES or status == 408 or status >= 500:  # e.g. 507: its disk is full
            outbox.mark_unsent(entry_id, reason, permanent=False)
            report.retry_later[entry_id] = reason
            report.stopped = UNAVAILABLE.format(reason=reason)
        else:  # 400, 409 (key reused with another payload), 413, 422: this case will not be accepted as is
            outbox.mark_unsent(entry_id, reason, permanent=True)
            report.failed[entry_id] = reason

    def _stop(self, entry_id: int, report: UploadReport, reason: str) -> None:
        self._records.outbox.mark_unsent(entry_id, reason, permanent=False)
        report.retry_later[entry_id] = reason
        report.stopped = reason


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _reason(response: requests.Response) -> str:
    detail = _json(response).get("detail")
    text = detail if isinstance(detail, str) else (response.text or response.reason or "")
    return str(text)[:200]


# Reasons as the outbox stores them: in English, whatever the screen's language (records outlive a
# language switch); `reason_in_words` shows one in the screen's language.
UNREACHABLE = N_("the central service cannot be reached ({reason})")
UNTRUSTED = N_("the central service's certificate is not trusted ({reason})")
TOKEN_REFUSED = N_("the central service refused this station's device token ({reason})")
UNAVAILABLE = N_("the central service is unavailable ({reason})")
NOT_SHAREABLE = N_("not sent: {reason}")
CLOSING = N_("the station is closing; the other cases wait in the queue")
STORED_REASONS = (UNREACHABLE, UNTRUSTED, TOKEN_REFUSED, UNAVAILABLE, NOT_SHAREABLE, CLOSING)

NETWORK_REASONS = (  # what urllib3 says, as a person at the station can act on it
    (
        "Connection refused",
        N_("nothing answers at that address: is the service running, and the port right?"),
    ),
    ("Name or service not known", N_("the address's name is unknown: check its spelling and the network")),
    ("nodename nor servname", N_("the address's name is unknown: check its spelling and the network")),
    ("getaddrinfo failed", N_("the address's name is unknown: check its spelling and the network")),
    ("timed out", N_("no answer in time: the network or the service is slow or away")),
    ("Network is unreachable", N_("this station has no network route to it")),
    ("No route to host", N_("this station has no network route to it")),
    ("CERTIFICATE_VERIFY_FAILED", N_("its certificate is not trusted by this station")),
)


def network_reason(exc: Exception) -> str:
    """The reason of a failed request in words, not urllib3's repr (which names pools and retries).
    In English, as the outbox stores it; `gettext(network_reason(exc))` gives it in the screen's language."""
    text = str(exc)
    for marker, reason in NETWORK_REASONS:
        if marker in text:
            return reason
    return text.splitlines()[0][:160]


def reason_in_words(stored: str) -> str:
    """A reason as the outbox or the contact note stores it (English), in the screen's language; a text
    it does not know (the centre's own words, an already translated line) is returned as it is."""
    for template in STORED_REASONS:
        head, marker, tail = template.partition("{reason}")
        if not marker:
            if stored == template:
                return gettext(template)
        elif stored.startswith(head) and stored.endswith(tail) and len(stored) >= len(head) + len(tail):
            inner = stored[len(head) : len(stored) - len(tail)]
            return gettext(template).format(reason=gettext(inner))
    return gettext(stored)
