"""The `dermdesk` command: no arguments starts the station, subcommands serve clinic IT and tests.

The parser is assembled from `dermdesk.commands.COMMAND_MODULES`; this module only adds the global
options, loads settings, sets up logging and turns failures into a one-line reason and an exit code.
Nothing here imports Qt: the GUI is imported by the `gui` command when it actually starts.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dermdesk.commands import CommandContext, CommandError, register_all
from dermdesk.i18n import _, set_language
from dermdesk.logs import setup_logging
from dermdesk.settings import SettingsError, load_settings

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dermdesk",
        description="DermDesk capture station. With no command, starts the station window.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder for sessions, stills and logs (overrides DERMDESK_DATA_DIR and the settings file)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_all(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code (the console script wraps it in SystemExit)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        args = parser.parse_args([*arguments, "gui"])
    try:
        ctx = _context(args)
    except (OSError, SettingsError) as exc:
        return _fail(_("cannot prepare the data folder: {problem}").format(problem=exc))
    for notice in ctx.notices:
        print(_("dermdesk: warning: {notice}").format(notice=notice), file=sys.stderr)
    try:
        code: int = args.handler(args, ctx)
        return code
    except KeyboardInterrupt:
        logger.info("Interrupted by the user")
        return EXIT_INTERRUPTED
    except (CommandError, SettingsError) as exc:
        logger.error("%s failed: %s", args.command, exc)
        return _fail(str(exc))
    except Exception as exc:
        logger.exception("%s failed unexpectedly", args.command)
        return _fail(
            _("{kind}: {problem} (details in {log})").format(
                kind=type(exc).__name__, problem=exc, log=ctx.log_file
            )
        )


def _context(args: argparse.Namespace) -> CommandContext:
    loaded = load_settings(data_dir=args.data_dir)
    settings = loaded.settings
    log_file = setup_logging(settings.logs_dir, settings.log_level)
    set_language(settings.language)  # messages for people, from here on, in the station's language
    logger.info("dermdesk %s (data folder %s)", args.command, settings.data_dir)
    notices = [*loaded.notices, *_instruction_set_notices()]
    return CommandContext(settings=settings, store=loaded.store, log_file=log_file, notices=notices)


def _instruction_set_notices() -> list[str]:
    """Say so when `ONEDNN_MAX_CPU_ISA` is set to something OpenVINO will ignore (it would not say)."""
    if not (os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA")):
        return []
    from dermdesk.inference.cpu_isa import read_isa_setting

    setting = read_isa_setting()
    return [] if setting.honoured else [setting.message]


def _fail(reason: str) -> int:
    print(_("dermdesk: error: {reason}").format(reason=reason), file=sys.stderr)
    return EXIT_ERROR
