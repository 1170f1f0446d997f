"""`dermdesk users add|list|disable|reset-password`: user accounts, for clinic IT.

The very first `users add` creates the first administrator without signing in (there is no one to
sign in as, and no default password); every later call needs an administrator's credentials.
"""

from __future__ import annotations

import argparse

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, new_password, open_records, sign_in


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("users", help="add, list, disable user accounts; reset passwords")
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add an account (the first one becomes the administrator)")
    add.add_argument("username")
    add.add_argument("--role", choices=["staff", "doctor", "admin"], required=True)
    add.add_argument("--name", required=True, help="display name, e.g. 'Dr Jane Smith'")
    add.add_argument("--json", action="store_true")

    listing = actions.add_parser("list", help="list accounts")
    listing.add_argument("--json", action="store_true")

    disable = actions.add_parser("disable", help="disable an account (kept for the audit log)")
    disable.add_argument("username")
    disable.add_argument("--json", action="store_true")

    reset = actions.add_parser("reset-password", help="set a new password and lift a lock-out")
    reset.add_argument("username")
    reset.add_argument("--json", action="store_true")

    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    with open_records(ctx) as records:
        if args.users_action == "add" and records.users.needs_first_admin():
            if args.role != "admin":
                raise CommandError("the first account must be an administrator (--role admin)")
            user = records.users.create_first_admin(args.username, args.name, new_password(args.username))
            emit(
                args.json,
                user,
                f"Administrator {user.username} created. Sign in as {user.username} to add staff.",
            )
            return 0
        admin, _ = sign_in(records)
        if args.users_action == "add":
            user = records.users.add(admin, args.username, args.name, args.role, new_password(args.username))
            emit(args.json, user, f"Account {user.username} ({user.role.value}) created.")
        elif args.users_action == "list":
            users = records.users.list(admin)
            emit(args.json, users, [_line(u) for u in users] or ["No accounts."])
        elif args.users_action == "disable":
            user = records.users.disable(admin, args.username)
            emit(args.json, user, f"Account {user.username} disabled.")
        else:
            user = records.users.reset_password(admin, args.username, new_password(args.username))
            emit(
                args.json,
                user,
                f"Password of {user.username} reset; the account is unlocked. {user.username} must choose "
                "their own password at the next sign-in in the station.",
            )
    return 0


def _line(user: object) -> str:
    from dermdesk.records import UserInfo

    assert isinstance(user, UserInfo)
    state = "active" if user.active else "disabled"
    if user.locked_until is not None:
        state += f", locked until {user.locked_until.astimezone():%Y-%m-%d %H:%M}"
    return f"{user.username:<16} {user.role.value:<7} {state:<10} {user.display_name}"
