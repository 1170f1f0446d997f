"""Web accounts on a real SQLite file: argon2 password, TOTP good once (wrong, replayed and expired codes
refused with their own message), lock-out after repeated failures, and the enrolment command."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from dermdesk.central import audit, clinics, jobs
from dermdesk.central.admin import add_admin
from dermdesk.central.cli import main
from dermdesk.central.web import accounts
from dermdesk.central.web.accounts import web_logins

PASSWORD = "correct horse battery staple"


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = jobs.open_engine(f"sqlite:///{tmp_path / 'central.sqlite'}")
    clinics.add_dermatologist(engine, "Dr Hana Seo", "KMA-12345")
    yield engine
    engine.dispose()


def at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when.replace(tzinfo=UTC).timestamp())


def test_password_and_code_sign_in_once_and_the_code_cannot_be_replayed(engine) -> None:  # type: ignore[no-untyped-def]
    enrolment = accounts.enrol(engine, "dermatologist", "KMA-12345", PASSWORD)
    assert enrolment.uri.startswith("otpauth://totp/") and enrolment.secret in enrolment.uri
    with engine.connect() as conn:
        stored = conn.execute(select(web_logins.c.password_hash)).scalar()
    assert stored.startswith("$argon2") and PASSWORD not in stored
    now = datetime.now(UTC).replace(tzinfo=None)  # the service's times: naive UTC
    person = accounts.sign_in(engine, "KMA-12345", PASSWORD, at(enrolment.secret, now), now)
    assert (person.role, person.display_name) == ("dermatologist", "Dr Hana Seo")
    with pytest.raises(accounts.SignInError, match="used already"):
        accounts.sign_in(engine, "KMA-12345", PASSWORD, at(enrolment.secret, now), now)
    # an older code (the previous step, still inside the window) is refused too: steps only move forward
    with pytest.raises(accounts.SignInError, match="used already"):
        accounts.sign_in(
            engine, "KMA-12345", PASSWORD, at(enrolment.secret, now - timedelta(seconds=30)), now
        )
    later = now + timedelta(seconds=30)
    assert accounts.sign_in(engine, "KMA-12345", PASSWORD, at(enrolment.secret, later), later).id == person.id
    actions = [e["action"] for e in audit.entries(engine)]
    assert actions.count("signed in") == 2 and actions.count("sign-in refused") == 2


def test_wrong_and_expired_codes_and_wrong_passwords_are_refused_with_their_reason(engine) -> None:  # type: ignore[no-untyped-def]
    secret = accounts.enrol(engine, "dermatologist", "KMA-12345", PASSWORD).secret
    now = datetime.now(UTC).replace(tzinfo=None)  # the service's times: naive UTC
    right = at(secret, now)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with pytest.raises(accounts.SignInError, match="Wrong code"):
        accounts.sign_in(engine, "KMA-12345", PASSWORD, wrong, now)
    with pytest.raises(accounts.SignInError, match="Wrong code"):
        accounts.sign_in(engine, "KMA-12345", PASSWORD, "12ab56", now)
    with pytest.raises(accounts.SignInError, match="expired"):
        accounts.sign_in(engine, "KMA-12345", PASSWORD, at(secret, now - timedelta(minutes=3)), now)
    with pytest.raises(accounts.SignInError, match="Wrong name, password or code"):
        accounts.sign_in(engine, "KMA-12345", "not the password", right, now)  # the code is not judged
    with pytest.raises(accounts.SignInError, match="Wrong name, password or code"):
        accounts.sign_in(engine, "KMA-00000", PASSWORD, right, now)


def test_repeated_failures_lock_the_account_until_it_is_unlocked_or_time_passes(engine) -> None:  # type: ignore[no-untyped-def]
    secret = accounts.enrol(engine, "dermatologist", "KMA-12345", PASSWORD).secret
    now = datetime.now(UTC).replace(tzinfo=None)  # the service's times: naive UTC
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInError):
            accounts.sign_in(engine, "KMA-12345", "guess the password", at(secret, now), now)
    with pytest.raises(accounts.SignInError, match="locked") as refused:
        accounts.sign_in(engine, "KMA-12345", PASSWORD, at(secret, now), now)  # right, but locked
    assert refused.value.locked
    later = now + timedelta(minutes=accounts.LOCK_MINUTES, seconds=1)
    assert accounts.sign_in(engine, "KMA-12345", PASSWORD, at(secret, later), later).login == "KMA-12345"
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInError):
            accounts.sign_in(engine, "KMA-12345", "guess again", at(secret, later), later)
    accounts.unlock(engine, "KMA-12345")
    after = later + timedelta(seconds=30)
    assert accounts.sign_in(engine, "KMA-12345", PASSWORD, at(secret, after), after).login == "KMA-12345"


def test_enrolment_needs_a_registered_person_and_a_long_password(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(accounts.AccountError, match="12-256 characters"):
        accounts.enrol(engine, "dermatologist", "KMA-12345", "short")
    with pytest.raises(accounts.AccountError, match="register them first"):
        accounts.enrol(engine, "dermatologist", "KMA-77777", PASSWORD)
    with pytest.raises(accounts.AccountError, match="no active admin"):
        accounts.enrol(engine, "admin", "ops", PASSWORD)
    add_admin(engine, "ops")
    assert accounts.enrol(engine, "admin", "ops", PASSWORD).login == "ops"


def test_the_enrol_command_prints_the_otpauth_uri_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "central"
    assert main(["--home", str(home), "dermatologists", "add", "Dr Hana Seo", "KMA-12345"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(["--home", str(home), "web", "enrol", "--dermatologist", "KMA-12345", "--password-stdin"]) == 0
    )
    out = capsys.readouterr().out
    secret = out.split("TOTP secret (shown once): ")[1].split()[0]
    assert "otpauth://totp/" in out
    engine = jobs.open_engine(f"sqlite:///{home / 'central.sqlite'}")
    assert accounts.sign_in(engine, "KMA-12345", PASSWORD, pyotp.TOTP(secret).now()).login == "KMA-12345"
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert (
        main(["--home", str(home), "web", "enrol", "--dermatologist", "KMA-12345", "--password-stdin"]) == 1
    )
    assert "12-256 characters" in capsys.readouterr().err
    assert main(["--home", str(home), "web", "unlock", "KMA-12345"]) == 0
    engine.dispose()
