"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 returns `True` from `SignalInstance.emit()` without taking a reference, so every emit
drops one reference to `True`; on Python 3.11 (where `True` is not immortal) the station aborted with
"Fatal Python error: bool_dealloc" after a few thousand signals, i.e. minutes of live view.
pyproject.toml excludes that release; this test catches the next binding that does it again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    sig_ping = Signal(object)
    """Any payload."""


def test_emitting_signals_keeps_the_reference_count_of_true(qtbot) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.sig_ping.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(100):
        emitter.sig_ping.emit(None)
    after = sys.getrefcount(True)
    assert len(received) == 100
    assert after >= before, f"each emit() dropped a reference to True ({before} -> {after})"
