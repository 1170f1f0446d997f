"""Web sign-in for dermatologists and administrators: argon2 passwords, a TOTP second factor whose last
accepted time step is kept (a code is good once), and a lock-out after repeated failures.

Why a table of its own (`web_logins`) rather than columns on `dermatologists` and `admins`: existing
databases gain it through `create_all` and need no ALTER, and one sign-in path serves both roles. The TOTP
secret must be readable to check a code, so it is stored as is; the password only as an argon2 hash.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    String,
    Table,
    UniqueConstraint,
    insert,
    or_,
    select,
    update,
)

from dermdesk.central import clinics
from dermdesk.central.admin import admins
from dermdesk.central.audit import audit
from dermdesk.central.store import metadata, utcnow
from dermdesk.i18n import N_, _

Role = Literal["dermatologist", "admin"]

MIN_PASSWORD = 12
MAX_PASSWORD = 256
MAX_FAILURES = 5  # failed sign-ins in a row before the account locks
LOCK_MINUTES = 15
STEP_SECONDS = 30
EXPIRED_STEPS = 10  # a code up to 5 minutes old is named "expired" rather than "wrong"
ISSUER = "DermDesk central"

web_logins = Table(
    "web_logins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("role", String(16), nullable=False),
    Column("person_id", Integer, nullable=False),  # dermatologists.id or admins.id
    Column("login", String(80), unique=True, nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("totp_secret", String(64), nullable=False),
    Column("last_totp_step", Integer),  # the newest accepted time step: that code and older are refused
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("role", "person_id"),
)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("a password nobody has")  # same work for an unknown name as for a known one


class AccountError(ValueError):
    """An account cannot be set up; the message says why."""


class SignInError(ValueError):
    """A sign-in was refused; the message is the one shown on the page (it never says which part was wrong
    unless the password was right)."""

    def __init__(self, message: str, *, locked: bool = False, **values: object) -> None:
        super().__init__(message.format(**values))
        self.locked = locked
        self.template = message  # English with named placeholders, translated by the page
        self.values = values

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.template).format(**self.values)


@dataclass(frozen=True)
class Account:
    id: int
    role: Role
    person_id: int
    login: str
    display_name: str


@dataclass(frozen=True)
class Enrolment:
    login: str
    secret: str
    uri: str  # otpauth://… for an authenticator app (shown once)


def enrol(engine: Engine, role: Role, who: str, password: str) -> Enrolment:
    """Set the password and a new TOTP secret of a dermatologist (by registration number) or an
    administrator (by name); the login is that number or name. A second enrolment replaces both."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(
            _("a password needs {least}-{most} characters").format(least=MIN_PASSWORD, most=MAX_PASSWORD)
        )
    person_id = _person(engine, role, who)
    secret = pyotp.random_base32()
    values = {
        "password_hash": _hasher.hash(password),
        "totp_secret": secret,
        "last_totp_step": None,
        "failures": 0,
        "locked_until": None,
        "active": True,
    }
    with engine.begin() as conn:
        found = conn.execute(
            select(web_logins.c.id).where(web_logins.c.role == role, web_logins.c.person_id == person_id)
        ).scalar()
        if found is None:
            conn.execute(
                insert(web_logins).values(
                    role=role, person_id=person_id, login=who, created_at=utcnow(), **values
                )
            )
        else:
            conn.execute(update(web_logins).where(web_logins.c.id == found).values(**values))
    uri = pyotp.TOTP(secret).provisioning_uri(name=who, issuer_name=ISSUER)
    return Enrolment(who, secret, uri)


def unlock(engine: Engine, login: str) -> None:
    with engine.begin() as conn:
        done = conn.execute(
            update(web_logins).where(web_logins.c.login == login).values(failures=0, locked_until=None)
        )
    if done.rowcount != 1:
        raise AccountError(_("no web account {login}").format(login=repr(login)))


def _person(engine: Engine, role: Role, who: str) -> int:
    table, column = (
        (clinics.dermatologists, clinics.dermatologists.c.registration_number)
        if role == "dermatologist"
        else (admins, admins.c.name)
    )
    with engine.connect() as conn:
        found = conn.execute(select(table.c.id).where(column == who, table.c.active)).scalar()
    if found is None:
        message = (
            _("no active dermatologist {who}; register them first with `dermatologists add`")
            if role == "dermatologist"
            else _("no active administrator {who}; register them first with `admins add`")
        )
        raise AccountError(message.format(who=repr(who)))
    return int(found)


def sign_in(engine: Engine, login: str, password: str, code: str, now: datetime | None = None) -> Account:
    """The account if the password and the code are right and the code is newer than the last one used."""
    now = now or utcnow()
    with engine.connect() as conn:
        row = conn.execute(select(web_logins).where(web_logins.c.login == login[:80])).mappings().first()
    if row is None or not row["active"]:
        _verify(_DUMMY_HASH, password)
        raise SignInError(N_("Wrong name, password or code."))
    if row["locked_until"] is not None and row["locked_until"] > now:
        raise SignInError(
            N_(
                "This account is locked after {failures} failed sign-ins until {until} UTC; "
                "wait or ask the centre to unlock it."
            ),
            locked=True,
            failures=MAX_FAILURES,
            until=f"{row['locked_until']:%H:%M}",
        )
    if not _verify(row["password_hash"], password):
        _failed(engine, row, now, "password")
        raise SignInError(N_("Wrong name, password or code."))
    step = _matching_step(row["totp_secret"], code, now)
    if step is None:
        _failed(engine, row, now, "code")
        raise SignInError(N_("Wrong code: enter the 6 digits your authenticator shows now."))
    if step < _step(now) - 1:
        _failed(engine, row, now, "expired code")
        raise SignInError(N_("That code has expired: enter the code your authenticator shows now."))
    with engine.begin() as conn:  # the step moves forward once: two workers cannot both accept a code
        accepted = conn.execute(
            update(web_logins)
            .where(
                web_logins.c.id == row["id"],
                or_(web_logins.c.last_totp_step.is_(None), web_logins.c.last_totp_step < step),
            )
            .values(last_totp_step=step, failures=0, locked_until=None)
        ).rowcount
        if accepted == 1:
            audit(conn, "signed in", _actor(row["role"]), row["person_id"])
    if accepted != 1:
        _failed(engine, row, now, "replayed code")
        raise SignInError(N_("This code was used already: wait for the next code and enter that one."))
    return account(engine, int(row["id"]))  # type: ignore[return-value]


def _step(now: datetime) -> int:
    """The TOTP time step of `now` (naive UTC, as the service keeps its times)."""
    return int(now.replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is, from one ahead down to EXPIRED_STEPS behind; None if none."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = _step(now)
    for step in range(current + 1, current - EXPIRED_STEPS - 1, -1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _failed(engine: Engine, row: object, now: datetime, reason: str) -> None:
    values = dict(row)  # type: ignore[call-overload]
    failures = int(values["failures"] or 0) + 1
    locked = now + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
    with engine.begin() as conn:
        conn.execute(
            update(web_logins)
            .where(web_logins.c.id == values["id"])
            .values(failures=0 if locked else failures, locked_until=locked)
        )
        audit(
            conn,
            "sign-in refused",
            _actor(values["role"]),
            values["person_id"],
            detail={"reason": reason, "locked": locked is not None},
        )


def _actor(role: str) -> Literal["dermatologist", "admin"]:
    return "admin" if role == "admin" else "dermatologist"


def account(engine: Engine, login_id: int) -> Account | None:
    """The active account `login_id` with the name shown on the pages."""
    with engine.connect() as conn:
        row = (
            conn.execute(select(web_logins).where(web_logins.c.id == login_id, web_logins.c.active))
            .mappings()
            .first()
        )
        if row is None:
            return None
        table = clinics.dermatologists if row["role"] == "dermatologist" else admins
        person = conn.execute(
            select(table.c.name).where(table.c.id == row["person_id"], table.c.active)
        ).scalar()
    if person is None:
        return None
    return Account(int(row["id"]), row["role"], int(row["person_id"]), row["login"], str(person))
