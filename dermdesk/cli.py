"""The `dermdesk` command: no arguments starts the station, subcommands serve clinic IT and tests.

The parser is assembled from `dermdesk.commands.COMMAND_MODULES`; this module only adds the global
options, loads settings, sets up logging and turns failures into a one-line reason and an exit code.
Nothing here imports Qt: the GUI is imported by the `gui` command when it actually starts.

The language of everything the command says (its `--help` included) is chosen before the parser is
built: the settings' `language` (`DERMDESK_LANGUAGE` overrides it; "system" follows the operating
system's locale). argparse's own words ("usage:", "options", "the following arguments are required")
are looked up in DermDesk's catalogue too (`ARGPARSE_MESSAGES`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dermdesk.commands import CommandContext, CommandError, register_all
from dermdesk.i18n import N_, _, gettext, set_language
from dermdesk.logs import setup_logging
from dermdesk.settings import LoadedSettings, SettingsError, load_settings

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)
"""argparse's own messages (Python 3.11's wording), translated from DermDesk's catalogue; see
`_argparse_speaks_our_language`. A wording another Python version changed is shown in English."""


def build_parser() -> argparse.ArgumentParser:
    """The whole parser, its texts in the language in effect (call `set_language` first)."""
    _argparse_speaks_our_language()
    parser = argparse.ArgumentParser(
        prog="dermdesk",
        description=_("DermDesk capture station. With no command, starts the station window."),
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=_("folder for sessions, stills and logs (overrides DERMDESK_DATA_DIR and the settings file)"),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_all(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code (the console script wraps it in SystemExit)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    loaded = _settings_for_language()
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        args = parser.parse_args([*arguments, "gui"])
    try:
        ctx = _context(args, loaded)
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


def _settings_for_language() -> LoadedSettings | SettingsError | OSError:
    """The settings, read before the parser is built so `--help` speaks the station's language; the
    language is set here. Settings that cannot be read: the system's language, and the reason is
    kept for `_context` (the command then fails with it, as before)."""
    try:
        loaded = load_settings()
    except (OSError, SettingsError) as exc:
        set_language("system")
        return exc
    set_language(loaded.settings.language)  # messages for people, from here on, in the station's language
    return loaded


def _argparse_speaks_our_language() -> None:
    """argparse looks its own words up through its module's `_` at the moment it uses them; pointing
    that name at DermDesk's catalogue translates them (unknown ones stay English, as before)."""
    setattr(argparse, "_", gettext)  # noqa: B010 (typeshed does not declare argparse's `_`)


def _context(args: argparse.Namespace, loaded: LoadedSettings | SettingsError | OSError) -> CommandContext:
    if isinstance(loaded, Exception):
        raise loaded
    settings = loaded.settings.with_overrides(data_dir=args.data_dir)
    log_file = setup_logging(settings.logs_dir, settings.log_level)
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
