"""Signing in at a station while the clinic's records server is away, to capture and spool only.

Why: the accounts live on the server, so a station that cannot reach it cannot check a password, and a
nurse with the patient in the chair could not photograph a lesion at all. Each successful sign-in at
a station that uses a clinic server leaves a private note (`<data_dir>/sign-in-cache/<user>.json`,
0600): the account's id, name and role and a fresh argon2 hash of the password (never the password).
While the server is away, `sign_in_offline` checks the password against that note; the captures taken
are spooled, and on filing the server still requires the account to exist. A note older than
`OFFLINE_SIGN_IN_DAYS`, or a sign-in never made at this station, is refused with a clear reason.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ValidationError

from dermdesk.files import PRIVATE_FILE, keep_private, private_dir, write_text_atomic
from dermdesk.i18n import gettext
from dermdesk.records import passwords
from dermdesk.records.errors import AuthenticationFailed, DatabaseUnavailable
from dermdesk.records.views import UserInfo
from dermdesk.records.vocabulary import Role

log = logging.getLogger(__name__)

OFFLINE_SIGN_IN_DAYS = 14
FOLDER = "sign-in-cache"


class SignInNote(BaseModel):
    """What a station keeps of a successful sign-in (format 1)."""

    format: int = 1
    user_id: int
    username: str
    display_name: str
    role: Role
    password_hash: str
    signed_in_at: datetime


def _note_path(data_dir: Path, username: str) -> Path:
    return data_dir / FOLDER / f"{username.strip().lower()}.json"


def remember(data_dir: Path, user: UserInfo, password: str, now: datetime) -> None:
    """Keep a note of this successful sign-in for offline use (best effort: a full disk only logs)."""
    note = SignInNote(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        password_hash=passwords.hash_password(password),
        signed_in_at=now,
    )
    path = _note_path(data_dir, user.username)
    try:
        private_dir(path.parent)
        write_text_atomic(path, note.model_dump_json(), mode=PRIVATE_FILE)
        keep_private(path)
    except OSError as exc:
        log.warning("Offline sign-in note not kept: %s", exc.strerror or exc)


def forget(data_dir: Path, username: str) -> None:
    _note_path(data_dir, username).unlink(missing_ok=True)


def sign_in_offline(data_dir: Path, username: str, password: str, now: datetime) -> UserInfo:
    """The user of a recent sign-in at this station whose password matches; else a clear refusal."""
    path = _note_path(data_dir, username)
    away = gettext("The clinic's records server cannot be reached")
    try:
        note = SignInNote.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        passwords.burn_time(password)  # the same time as a wrong password: no hint who has a note
        raise DatabaseUnavailable(
            gettext(
                "{away}, and {value} has not signed in at this station while it could be "
                "reached, so the password cannot be checked here. Sign in at a station that has, "
                "or wait for the server."
            ).format(away=away, value=username.strip().lower())
        ) from exc
    if not passwords.verify_password(note.password_hash, password):
        raise AuthenticationFailed(gettext("Wrong user name or password."))
    if now - note.signed_in_at > timedelta(days=OFFLINE_SIGN_IN_DAYS):
        raise DatabaseUnavailable(
            gettext(
                "{away}, and the last sign-in of {username} at this station is older than "
                "{OFFLINE_SIGN_IN_DAYS} days, so it is not trusted offline. Wait for the server."
            ).format(away=away, username=note.username, OFFLINE_SIGN_IN_DAYS=OFFLINE_SIGN_IN_DAYS)
        )
    log.warning("Signed in offline (records server unreachable); captures will be spooled")
    return UserInfo(note.user_id, note.username, note.display_name, note.role, True)
