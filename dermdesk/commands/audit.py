"""`dermdesk audit verify`: check the sealed audit trail (hash chain and anchor) and say what is wrong.

Needs an administrator's sign-in. Exit code 0 when the trail is intact; 1 with one line per finding
(a gap, an edited or inserted entry, a backdated one, a missing or outdated anchor) otherwise. Every
start of the station runs the same check and warns (see `Records.startup`).
"""

from __future__ import annotations

import argparse
import sys

from dermdesk.commands import CommandContext
from dermdesk.commands.records_session import emit, open_records, sign_in
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("audit", help=_("check the sealed audit trail"))
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help=_("report any gap, edit or insertion in the audit trail"))
    verify.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    with open_records(ctx) as records:
        admin = sign_in(records)[0]
        report = records.audit.verify(admin)
    summary = {
        "intact": report.intact,
        "entries": report.entries,
        "head": report.head,
        "problems": report.problems,
        "notices": report.notices,
    }
    if report.intact or args.json:
        emit(args.json, summary, report.lines())
    else:
        for line in report.lines():
            print(f"dermdesk: {line}", file=sys.stderr)
    return 0 if report.intact else 1
