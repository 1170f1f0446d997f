"""Password policy and hashing (argon2id via argon2-cffi).

Why argon2id with the library's defaults: it is the current OWASP recommendation and deliberately
slow and memory-hungry, so a stolen database does not give away passwords. Hashes carry their own
parameters; `needs_rehash` lets login upgrade old hashes when the defaults change. There is no default
password anywhere: the first administrator chooses one (`UserService.create_first_admin`).
"""

from __future__ import annotations

import logging
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dermdesk.i18n import _
from dermdesk.records.errors import RecordValidationError

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
_dummy_hash: str | None = None


def use_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Replace the hasher (tests use cheap parameters); returns the previous one to restore later."""
    global _hasher, _dummy_hash
    previous, _hasher, _dummy_hash = _hasher, hasher, None
    return previous


def check_policy(password: str, username: str | None = None) -> None:
    """Refuse passwords a clinic should not use, saying why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RecordValidationError(
            _("The password must be at least {MIN_PASSWORD_LENGTH} characters long (it has {count}).").format(
                MIN_PASSWORD_LENGTH=MIN_PASSWORD_LENGTH, count=len(password)
            )
        )
    if not password.strip():
        raise RecordValidationError(_("The password must not be only spaces."))
    if username and password.strip().lower() == username.lower():
        raise RecordValidationError(_("The password must not be the user name."))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; a damaged hash is logged and treated as a mismatch."""
    try:
        return _hasher.verify(password_hash, password)
    except VerifyMismatchError:
        return False
    except (InvalidHashError, VerificationError) as exc:
        log.error("A stored password hash could not be checked (%s); the login is refused", exc)
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


def burn_time(password: str) -> None:
    """Spend the time of one verification, so an unknown user name answers as slowly as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("dermdesk-no-such-user")
    verify_password(_dummy_hash, password)


ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out over the phone


def one_time_password() -> str:
    """A random password an administrator hands over, e.g. "k7mq-t3vx-9pre-a4" (about 69 bits)."""
    groups = ("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups) + "-" + "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(2))
