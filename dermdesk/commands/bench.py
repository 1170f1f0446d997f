"""`dermdesk bench [NAME ...] [--json]`: the registered benchmarks (see dermdesk.benchmarks)."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

from dermdesk.benchmarks import BENCHMARKS, BY_NAME_ONLY, BenchmarkUnavailableError, BenchOptions, resolve
from dermdesk.commands import CommandContext, CommandError
from dermdesk.i18n import _

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "bench",
        help=_("measure capture, inference, report and start-up speed"),
        description=_(
            "Run benchmarks. Registered: {names}. No name: all of them but {by_name} (a developer's "
            "measurement on the test split, minutes long)."
        ).format(names=", ".join(BENCHMARKS), by_name=", ".join(sorted(BY_NAME_ONLY))),
    )
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=_("one of: {names}").format(names=", ".join(BENCHMARKS))
    )
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of text"))
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        help=_("duration per measurement (startup: number of launches); default: each benchmark's own"),
    )
    parser.add_argument(
        "--frozen",
        type=Path,
        default=None,
        metavar="EXE",
        help=_("startup: launch this frozen build (dist/dermdesk/dermdesk) instead of `python -m dermdesk`"),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        raise CommandError(
            _("unknown benchmark {name!r}; choose from {names}").format(
                name=unknown[0], names=", ".join(BENCHMARKS)
            )
        )
    explicit = bool(args.names)
    if args.frozen is not None and not args.frozen.is_file():
        raise CommandError(
            _("--frozen {file}: no such executable (build it with `make dist`)").format(file=args.frozen)
        )
    options = BenchOptions(settings=ctx.settings, seconds=args.seconds, frozen=args.frozen)
    results: dict[str, Any] = {}
    failed: list[str] = []
    for name in args.names or [name for name in BENCHMARKS if name not in BY_NAME_ONLY]:
        try:
            results[name] = resolve(name)(options)
        except BenchmarkUnavailableError as exc:
            results[name] = {"status": "not yet available"}
            if explicit:
                failed.append(str(exc))
        except Exception as exc:
            logger.exception("Benchmark %s failed", name)
            results[name] = {"status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
            failed.append(_("the {name} benchmark failed: {problem}").format(name=name, problem=exc))
        if not args.json:
            _print_text(name, results[name])
    if args.json:
        print(json.dumps(results, indent=2))
    if failed:
        raise CommandError("; ".join(failed))
    return 0


def _print_text(name: str, figures: dict[str, Any], indent: str = "  ") -> None:
    print(f"{name}:")
    for key, value in figures.items():
        if isinstance(value, dict):
            print(f"{indent}{key}:")
            for sub_key, sub_value in value.items():
                print(f"{indent}  {sub_key}: {sub_value}")
        else:
            print(f"{indent}{key}: {value}")
