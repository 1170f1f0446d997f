"""The benchmark registry behind `dermdesk bench`.

Each entry maps a name to "module:function" (imported only when that benchmark runs, so Qt or
OpenVINO load only for the benchmarks that need them) or to None while it is not yet available.
To add one, write `def run(options: BenchOptions) -> dict[str, object]` returning JSON-ready figures
and put "module:function" here. Speed goals live in benchmarks, never in test assertions.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dermdesk.settings import DermDeskSettings

BENCHMARKS: dict[str, str | None] = {
    "capture": "dermdesk.ui.shell.bench_capture:run",
    "consistency": "dermdesk.benchmarks.consistency:run",
    "idle": "dermdesk.benchmarks.idle:run",
    "inference": "dermdesk.benchmarks.inference:run",
    "report": "dermdesk.benchmarks.report:run",
    "startup": "dermdesk.benchmarks.startup:run",
}


# Developers' benchmarks that take minutes and need the test split: run by name only, not by a bare
# `dermdesk bench`.
BY_NAME_ONLY = frozenset({"consistency"})


class BenchmarkUnavailableError(RuntimeError):
    """The benchmark is registered but its subject is not built yet."""


@dataclass(frozen=True)
class BenchOptions:
    """What a benchmark may use: the station's settings and a duration scale (None: its default)."""

    settings: DermDeskSettings
    seconds: float | None = None
    frozen: Path | None = None  # startup: launch this built executable instead of `python -m dermdesk`


BenchFunction = Callable[[BenchOptions], dict[str, Any]]


def resolve(name: str) -> BenchFunction:
    """The function registered under `name`; KeyError if unknown, BenchmarkUnavailableError if pending."""
    target = BENCHMARKS[name]
    if target is None:
        raise BenchmarkUnavailableError(f"the {name} benchmark is not yet available")
    module_name, _, function_name = target.partition(":")
    function: BenchFunction = getattr(importlib.import_module(module_name), function_name)
    return function
