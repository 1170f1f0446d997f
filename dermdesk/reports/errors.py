"""The one exception of the reports package: a report or letter cannot be made, for a person to fix."""

from __future__ import annotations


class ReportError(RuntimeError):
    """A report cannot be made or written (empty visit, bad logo, unwritable folder); the message says
    what to do. Nothing half-written is left behind when it is raised."""
