"""What the entry points hand to the work they start: the effective settings and where things go.

`dermdesk.cli` builds a `CommandContext` for every subcommand, and the `gui` subcommand passes the same
one to the station window. It lives below both, so that the window (`dermdesk.ui`) never imports the
command layer that starts it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from dermdesk.settings import DermDeskSettings, SettingsStore

__all__ = ["STARTED_AT", "CommandContext"]

STARTED_AT = time.perf_counter()
"""When the program started (this module is among the first the CLI imports); `gui --quit-after-shown`
reports the start-up time from here."""


@dataclass
class CommandContext:
    """What every handler gets besides its arguments: the effective settings and where things go."""

    settings: DermDeskSettings
    store: SettingsStore
    log_file: Path
    notices: list[str] = field(default_factory=list)
