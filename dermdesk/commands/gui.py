"""`dermdesk gui` (also `dermdesk` alone): the capture station window."""

from __future__ import annotations

import argparse

from dermdesk.commands import CommandContext, CommandError
from dermdesk.i18n import _
from dermdesk.source_spec import SourceSpec


def _source(text: str) -> SourceSpec:
    try:
        return SourceSpec.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("gui", help=_("start the capture station window (the default)"))
    parser.add_argument(
        "--source",
        type=_source,
        default=None,
        metavar="virtual|camera:N|file:PATH",
        help=_("picture source to open (default: the one used last, else the virtual dermatoscope)"),
    )
    parser.add_argument(
        "--quit-after-shown",
        action="store_true",
        help=_("print the start-up time as JSON once the window is shown, then quit (for `bench startup`)"),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    try:
        from dermdesk.ui.shell.app import run_gui  # Qt is imported only when the window really starts
    except ImportError as exc:
        raise CommandError(
            _("the station window cannot start: Qt is not available ({problem})").format(problem=exc)
        ) from exc
    source = args.source or SourceSpec.from_settings(ctx.settings)
    return run_gui(ctx, source, quit_after_shown=args.quit_after_shown)
