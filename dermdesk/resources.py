"""Where the shipped resources (models, fonts, virtual dermatoscope pictures) are: one helper for all.

From a source checkout they are in `resources/` at the repository's top; in the PyInstaller one-folder
build the spec copies that folder next to the bundled code (`sys._MEIPASS`, the `_internal` folder beside
the executable). Every lookup of a shipped file goes through `resource_path`, so both layouts work the
same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["is_frozen", "resource_path", "resources_root"]


def is_frozen() -> bool:
    """True in the PyInstaller build (the bootloader sets `sys.frozen`)."""
    return bool(getattr(sys, "frozen", False))


def resources_root() -> Path:
    """The `resources` folder: beside the bundled code when frozen, at the checkout's top otherwise."""
    if is_frozen():
        bundle = getattr(sys, "_MEIPASS", None)
        base = Path(bundle) if bundle else Path(sys.executable).resolve().parent
        return base / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def resource_path(*parts: str) -> Path:
    """A path under `resources/`, e.g. `resource_path("models")`; it is not checked for existence."""
    return resources_root().joinpath(*parts)
