"""What the records subcommands share: opening the records, signing in, asking for passwords, output.

Not a subcommand itself (it is not in COMMAND_MODULES). Credentials come from `DERMDESK_USER` /
`DERMDESK_PASSWORD` (scripts, tests) or are asked for, the password with getpass so it is not echoed
or kept in the shell history. Every records error becomes a `CommandError`, i.e. one line for people
and exit code 1. Records imports happen inside functions, so `dermdesk --help` stays light.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from dermdesk.commands import CommandContext, CommandError
from dermdesk.i18n import _, current_language

if TYPE_CHECKING:
    from dermdesk.records import Records, UserInfo

USER_ENV = "DERMDESK_USER"
PASSWORD_ENV = "DERMDESK_PASSWORD"
NEW_PASSWORD_ENV = "DERMDESK_NEW_PASSWORD"


@contextmanager
def open_records(ctx: CommandContext, *, allow_offline: bool = False) -> Iterator[Records]:
    """The station's records, after filing spooled captures and the integrity check (findings are
    printed as warnings); closed afterwards. Records errors become one-line CommandErrors. With
    `allow_offline` (filing pictures), a clinic server that is away is a warning: the command goes on
    and its captures are spooled on this station."""
    from dermdesk.records import Records, RecordsError

    try:
        records = Records.open(ctx.settings, allow_offline=allow_offline)
    except RecordsError as exc:
        raise CommandError(str(exc)) from exc
    try:
        if records.online:
            for line in records.startup().lines():
                print(_("dermdesk: warning: {notice}").format(notice=line), file=sys.stderr)
        else:
            print(
                _(
                    "dermdesk: warning: the clinic's records server cannot be reached; pictures are kept on "
                    "this station and filed when it is back"
                ),
                file=sys.stderr,
            )
        yield records
    except RecordsError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        records.close()


def credentials(purpose: str | None = None) -> tuple[str, str]:
    """User name and password from the environment, or asked for on the terminal ("to sign in" unless
    `purpose`, already translated, says otherwise)."""
    purpose = purpose or _("sign in")
    username = os.environ.get(USER_ENV)
    password = os.environ.get(PASSWORD_ENV)
    if username is None or password is None:
        if not sys.stdin.isatty():
            raise CommandError(
                _(
                    "a user name and password are needed to {purpose}: set {user} and {password} or run the "
                    "command in a terminal"
                ).format(purpose=purpose, user=USER_ENV, password=PASSWORD_ENV)
            )
        if username is None:
            print(
                _("User name (to {purpose}): ").format(purpose=purpose), end="", file=sys.stderr, flush=True
            )
            username = sys.stdin.readline().strip()
        if password is None:
            password = getpass.getpass(_("Password: "))
    return username, password


def sign_in(records: Records) -> tuple[UserInfo, str]:
    """Log in (audited; offline at a station whose server is away, see `Records.sign_in`); returns the
    user and the password (sign-off re-verifies it)."""
    username, password = credentials()
    return records.sign_in(username, password), password


def new_password(for_whom: str) -> str:
    """A new password from DERMDESK_NEW_PASSWORD, or typed twice without echo."""
    given = os.environ.get(NEW_PASSWORD_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise CommandError(
            _("set {variable} or run the command in a terminal to choose a password").format(
                variable=NEW_PASSWORD_ENV
            )
        )
    first = getpass.getpass(_("New password for {name} (at least 10 characters): ").format(name=for_whom))
    if getpass.getpass(_("The same password again: ")) != first:
        raise CommandError(_("the two passwords differ; nothing was changed"))
    return first


def clinical(kind: str, value: str) -> str:
    """A stored clinical value (a triage group, body site, confirmation, status, sex) for a person: the
    glossary's term in Korean; in English the value as stored, the spelling the options take."""
    from dermdesk.i18n.glossary import term_or

    return value if current_language() == "en" else term_or(kind, value)


def values_text(kind: str, values: Sequence[str]) -> str:
    """The values an option takes, as they are typed ("mel, nv"); in Korean each with the glossary's
    term, so a person knows what to type: "mel(흑색종), nv(멜라닌세포 모반)"."""
    if current_language() == "en":
        return ", ".join(values)
    from dermdesk.i18n.glossary import term_or

    return ", ".join(f"{value}({term_or(kind, value)})" for value in values)


def emit(as_json: bool, data: Any, text: str | list[str]) -> None:
    """JSON (for programs) or plain lines (for people) on stdout."""
    from dermdesk.records.views import to_jsonable

    if as_json:
        print(json.dumps(to_jsonable(data), ensure_ascii=False))
        return
    for line in [text] if isinstance(text, str) else text:
        print(line)
