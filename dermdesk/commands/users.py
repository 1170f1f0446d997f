"""`dermdesk users add|list|disable|reset-password`: user accounts, for clinic IT.

The very first `users add` creates the first administrator without signing in (there is no one to
sign in as, and no default password); every later call needs an administrator's credentials.
"""

from __future__ import annotations

import argparse

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, new_password, open_records, sign_in
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("users", help=_("add, list, disable user accounts; reset passwords"))
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help=_("add an account (the first one becomes the administrator)"))
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", choices=["staff", "doctor", "admin"], required=True)
    add.add_argument("--name", required=True, help=_("display name, e.g. 'Dr Jane Smith'"))
    add.add_argument("--json", action="store_true")

    listing = actions.add_parser("list", help=_("list accounts"))
    listing.add_argument("--json", action="store_true")

    disable = actions.add_parser("disable", help=_("disable an account (kept for the audit log)"))
    disable.add_argument("username", metavar="USERNAME")
    disable.add_argument("--json", action="store_true")

    reset = actions.add_parser("reset-password", help=_("set a new password and lift a lock-out"))
    reset.add_argument("username", metavar="USERNAME")
    reset.add_argument("--json", action="store_true")

    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    with open_records(ctx) as records:
        if args.users_action == "add" and records.users.needs_first_admin():
            if args.role != "admin":
                raise CommandError(_("the first account must be an administrator (--role admin)"))
            user = records.users.create_first_admin(args.username, args.name, new_password(args.username))
            emit(
                args.json,
                user,
                _("Administrator {user} created. Sign in as {user} to add staff.").format(user=user.username),
            )
            return 0
        admin = sign_in(records)[0]
        if args.users_action == "add":
            user = records.users.add(admin, args.username, args.name, args.role, new_password(args.username))
            emit(
                args.json,
                user,
                _("Account {user} ({role}) created.").format(user=user.username, role=user.role.value),
            )
        elif args.users_action == "list":
            users = records.users.list(admin)
            emit(args.json, users, [_line(u) for u in users] or [_("No accounts.")])
        elif args.users_action == "disable":
            user = records.users.disable(admin, args.username)
            emit(args.json, user, _("Account {user} disabled.").format(user=user.username))
        else:
            user = records.users.reset_password(admin, args.username, new_password(args.username))
            emit(
                args.json,
                user,
                _(
                    "Password of {user} reset; the account is unlocked. {user} must choose their own "
                    "password at the next sign-in in the station."
                ).format(user=user.username),
            )
    return 0


def _line(user: object) -> str:
    from dermdesk.records import UserInfo

    assert isinstance(user, UserInfo)
    state = _("active") if user.active else _("disabled")
    if user.locked_until is not None:
        state += _(", locked until {time}").format(time=f"{user.locked_until.astimezone():%Y-%m-%d %H:%M}")
    return f"{user.username:<16} {user.role.value:<7} {state:<10} {user.display_name}"
