"""The `dermdesk` subcommands, one small module each.

To add a subcommand (`classify`, `evaluate`, ...): write `dermdesk/commands/<name>.py` with

    def register(subparsers: argparse._SubParsersAction) -> None:
        parser = subparsers.add_parser("<name>", help=_("one line for --help"))
        parser.add_argument(...)
        parser.set_defaults(handler=run)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        ...  # return the exit code; raise CommandError("reason for staff") on a user error

and append its module name to COMMAND_MODULES. Keep module-level imports light (argparse, stdlib):
every command's module is imported to build `--help`, so heavy imports (cv2, openvino, PySide6) go
inside `run`. That is also what lets `dermdesk classify` work on a machine without a display.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Protocol

from dermdesk.context import CommandContext

__all__ = ["COMMAND_MODULES", "CommandContext", "CommandError", "CommandModule", "register_all"]

COMMAND_MODULES: list[str] = [
    "dermdesk.commands.gui",
    "dermdesk.commands.classify",
    "dermdesk.commands.evaluate",
    "dermdesk.commands.bench",
    "dermdesk.commands.users",
    "dermdesk.commands.patients",
    "dermdesk.commands.images",
    "dermdesk.commands.diagnose",
    "dermdesk.commands.report",
    "dermdesk.commands.referral",
    "dermdesk.commands.backup",
    "dermdesk.commands.restore",
    "dermdesk.commands.upload",
    "dermdesk.commands.consult",
    "dermdesk.commands.dicom",
    "dermdesk.commands.fhir",
    "dermdesk.commands.models",
    "dermdesk.commands.audit",
    "dermdesk.commands.selftest",
]
"""Modules providing `register(subparsers)`; their order is the order in `dermdesk --help`."""


class CommandError(RuntimeError):
    """A command cannot do what was asked; the message is printed as the one-line reason."""


class CommandModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction) -> None: ...  # type: ignore[type-arg]


def register_all(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Import every module in COMMAND_MODULES and let it add its subparser."""
    for name in COMMAND_MODULES:
        module: CommandModule = importlib.import_module(name)
        module.register(subparsers)
