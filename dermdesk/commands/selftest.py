"""`dermdesk selftest [--json] [--no-window]`: is this installation whole? A pass/fail summary.

For installers and support staff, and the smoke test of the frozen build (`make dist`): the shipped model
is verified and classifies the bundled sample pictures, a scratch database files one of them, a visit
report is rendered from it, and (unless `--no-window`) Qt shows a window. The clinic's own records and
settings are never touched. Exit code 0 only when every check passed; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from dermdesk.commands import CommandContext
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "selftest", help=_("check this installation: model, classifier, database, report, window")
    )
    parser.add_argument("--json", action="store_true", help=_("one JSON object instead of text"))
    parser.add_argument(
        "--no-window", action="store_true", help=_("leave out the window check (no display stack at all)")
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.selftest import CheckResult, run_selftest

    extra: list[tuple[str, Callable[[], str]]] = []
    if not args.no_window:
        extra.append(("window", _window_check))

    def progress(result: CheckResult) -> None:
        if not args.json:
            print(f"{result.status.upper():7} {result.name}: {result.detail}", flush=True)

    report = run_selftest(ctx.settings, extra, progress)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(report.lines()[-1])
    return 0 if report.passed else 1


def _window_check() -> str:
    from dermdesk.ui.shell.toolkit_check import window_check  # Qt only when this check runs

    return window_check()
