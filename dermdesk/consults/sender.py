"""Sending the consult outbox and filing the specialists' replies, through the uploads' session.

Why it is safe to retry: every message carries an `Idempotency-Key` derived from the clinic secret, the
consult's random uid and the message's row id, so a resend after a lost response gets the first receipt
instead of a second consult; replies are filed once per version. The same device token, TLS settings,
retries with back-off and transport rule (`dermdesk.sync.uploader`) apply as for research uploads.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests

from dermdesk.consults.outgoing import build_addition, build_request
from dermdesk.i18n import _
from dermdesk.records import NotFound, Records
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.consult_payload import ConsultStatus
from dermdesk.sync.deidentify import NotShareableError, pseudonym
from dermdesk.sync.secret import load_or_create_secret
from dermdesk.sync.uploader import RETRY_STATUSES, TIMEOUT, UploadError, make_session

log = logging.getLogger(__name__)


def clips_dir(settings: DermDeskSettings) -> Path:
    """Where recorded clips wait to be sent (under the station's private data folder)."""
    return settings.data_dir / "consult-clips"


@dataclass
class ConsultRunReport:
    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    retry_later: dict[int, str] = field(default_factory=dict)
    replies: int = 0
    escalated: list[int] = field(default_factory=list)
    stopped: str | None = None

    def summary(self) -> str:
        text = _("{sent} sent, {failed} failed, {replies} repl(ies) filed").format(
            sent=len(self.sent), failed=len(self.failed), replies=self.replies
        )
        if self.escalated:
            text += _(", {count} urgent consult(s) escalated").format(count=len(self.escalated))
        return _("{text}; stopped: {reason}").format(text=text, reason=self.stopped) if self.stopped else text


class ConsultSender:
    """One station's consult outbox and replies, against the configured central service."""

    def __init__(
        self, records: Records, settings: DermDeskSettings, *, session: requests.Session | None = None
    ) -> None:
        if not settings.upload_url:
            raise UploadError(_("No central service is configured (DERMDESK_UPLOAD_URL)."))
        self._records = records
        self._settings = settings
        self._base = settings.upload_url.rstrip("/")
        self._session = session or make_session(settings)
        self._secret = load_or_create_secret(settings.clinic_secret_path)

    def run_once(self) -> ConsultRunReport:
        """Send what is queued, fetch replies of open consults, flag overdue urgent ones."""
        report = ConsultRunReport()
        consults = self._records.consults
        consults.recover_interrupted()
        while report.stopped is None:
            claimed = consults.claim()
            if not claimed:
                break
            for position, message_id in enumerate(claimed):
                self._send(message_id, report)
                if report.stopped is not None:
                    for left in claimed[position + 1 :]:
                        consults.mark_unsent(left, report.stopped, permanent=False)
                        report.retry_later[left] = report.stopped
                    break
        if report.stopped is None:
            self._follow(report)
        hours = self._settings.consult_escalation_hours
        report.escalated = consults.escalate(timedelta(hours=hours))
        log.info("Consult run: %s", report.summary())
        return report

    def _send(self, message_id: int, report: ConsultRunReport) -> None:
        consults = self._records.consults
        try:
            facts = consults.message(message_id)
            if facts.kind == "request":
                url, body = "/v1/consults", build_request(facts, self._secret).model_dump_json().encode()
            elif facts.central_id is None:  # its request has not reached the centre yet
                consults.mark_unsent(message_id, "waiting for the consult itself to be sent", permanent=False)
                report.retry_later[message_id] = "waiting for the consult"
                return
            elif facts.kind == "information":
                url = f"/v1/consults/{facts.central_id}/information"
                body = build_addition(facts, clips_dir(self._settings)).model_dump_json().encode()
            else:
                url, body = f"/v1/consults/{facts.central_id}/cancel", b""
        except NotFound:
            return
        except (NotShareableError, ValueError, OSError) as exc:
            consults.mark_unsent(message_id, f"not sent: {exc}", permanent=True)
            report.failed[message_id] = str(exc)
            return
        key = pseudonym(self._secret, "consult", f"{facts.consult_uid}/{message_id}")
        try:
            response = self._session.post(
                self._base + url,
                data=body,
                headers={"Idempotency-Key": key, "Content-Type": "application/json"},
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            self._stop(message_id, report, f"the central service cannot be reached ({_short(exc)})")
            return
        status = response.status_code
        if status in (200, 201):
            receipt = _json(response)
            consult_id = str(receipt.get("consult_id") or facts.central_id or "")
            consults.mark_sent(message_id, consult_id, replayed=bool(receipt.get("replayed")))
            report.sent.append(message_id)
            return
        reason = f"HTTP {status}: {_reason(response)}"
        if status in (401, 403):
            self._stop(message_id, report, f"the central service refused this station ({reason})")
        elif status in RETRY_STATUSES or status >= 500:
            self._stop(message_id, report, f"the central service is unavailable ({reason})")
        else:
            consults.mark_unsent(message_id, reason, permanent=True)
            report.failed[message_id] = reason

    def _stop(self, message_id: int, report: ConsultRunReport, reason: str) -> None:
        self._records.consults.mark_unsent(message_id, reason, permanent=False)
        report.retry_later[message_id] = reason
        report.stopped = reason

    def _follow(self, report: ConsultRunReport) -> None:
        for consult_id, central_id in self._records.consults.to_follow():
            try:
                response = self._session.get(f"{self._base}/v1/consults/{central_id}", timeout=TIMEOUT)
            except requests.RequestException as exc:
                report.stopped = f"the central service cannot be reached ({_short(exc)})"
                return
            if response.status_code != 200:
                log.warning("Consult %s: the centre answered HTTP %s", consult_id, response.status_code)
                continue
            status = ConsultStatus.model_validate(response.json())
            replies = [a.model_dump() for a in status.answers]
            report.replies += self._records.consults.store_replies(consult_id, status.state, replies)


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except (ValueError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _reason(response: requests.Response) -> str:
    detail = _json(response).get("detail")
    return str(detail if isinstance(detail, str) else response.text or response.reason or "")[:200]


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160]
