"""What the settings page may change, checked the way a clinic reads it: one message per field.

Why a module of its own: the window only collects what was typed per section and shows the messages
next to the fields; the rules live here, Qt-free, and are tested without a display. The typed settings
class (`DermDeskSettings`) checks types and ranges; on top of that the upload address must be https
unless it names this machine (a token sent in clear over the clinic network is readable by anyone on
it), and the clinic logo must be a picture of sensible size (checked as the reports will read it).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from dermdesk.i18n import N_, _
from dermdesk.interop.destinations import DestinationError, check_url
from dermdesk.reports.data import MAX_LOGO_BYTES
from dermdesk.reports.pictures import prepare
from dermdesk.settings import DermDeskSettings

LOCAL_HOSTS = {"localhost", "localhost.localdomain"}


def upload_url_problem(text: str) -> str | None:
    """Why `text` cannot be the upload address, or None (empty means: no uploads)."""
    value = text.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "Give the central service's address starting with https://, e.g. https://central.example.org."
    if parts.scheme == "http" and not on_this_machine(parts.hostname):
        return (
            f"http:// sends the station's token unencrypted; use https:// for {parts.hostname} "
            "(http:// is accepted only for this machine: localhost or 127.0.0.1)."
        )
    return None


def on_this_machine(host: str) -> bool:
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def logo_problem(path: Path | None) -> str | None:
    """Why the file cannot be the letterhead logo, or None (no logo is fine)."""
    if path is None:
        return None
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"The logo {path} cannot be read ({exc.strerror or exc})."
    if size > MAX_LOGO_BYTES:
        limit = MAX_LOGO_BYTES // 1_000_000
        return f"The logo is {size / 1e6:.0f} MB; a letterhead logo must be at most {limit} MB."
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"The logo {path} cannot be read ({exc.strerror or exc})."
    picture = prepare(data, max_side=600)
    if not picture.shown:
        return f"The logo must be a PNG or JPEG picture: this file {picture.problem}."
    return None


def apply_changes(
    settings: DermDeskSettings, changes: dict[str, Any]
) -> tuple[DermDeskSettings | None, dict[str, str]]:
    """`settings` with `changes` applied and validated, or None and a message per field refused."""
    problems: dict[str, str] = {}
    if "upload_url" in changes:
        problem = upload_url_problem(str(changes["upload_url"] or ""))
        if problem:
            problems["upload_url"] = problem
        changes = {**changes, "upload_url": str(changes["upload_url"] or "").strip() or None}
    allow_insecure = bool(changes.get("interop_allow_insecure", settings.interop_allow_insecure))
    for key, what in (("pacs_dicomweb_url", "PACS"), ("fhir_url", N_("FHIR endpoint"))):
        if changes.get(key):  # the clinic's own systems carry names: https unless on this machine
            try:
                changes = {**changes, key: check_url(str(changes[key]), _(what), allow_insecure)}
            except DestinationError as exc:
                problems[key] = str(exc)
    if "clinic_logo" in changes:
        logo = changes["clinic_logo"]
        logo = Path(str(logo).strip()).expanduser() if logo and str(logo).strip() else None
        changes = {**changes, "clinic_logo": logo}
        problem = logo_problem(logo)
        if problem:
            problems["clinic_logo"] = problem
    try:
        updated = DermDeskSettings(**{**settings.model_dump(), **changes})
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error.get("loc") else "settings"
            problems.setdefault(field, _readable(error.get("msg", "invalid value")))
        return None, problems
    if problems:
        return None, problems
    return updated, {}


def _readable(message: str) -> str:
    text = message.removeprefix("Value error, ")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
