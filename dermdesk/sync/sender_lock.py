"""One sender at a time on a station PC: the window and the background service take turns.

Why a lock file (the `filelock` library: fcntl on Linux, msvcrt on Windows, released by the operating
system when a process dies): the window sends while it runs, and the service (systemd unit, Windows
scheduled task) sends when nobody is signed in. Both claim cases from the same outbox; the claim and the
idempotency key already keep a case from arriving twice, but two senders would still race for the
centre's rate limit and muddle the queue's "last contact". A pass that finds the lock held is skipped,
not queued behind it: the holder is sending the same cases.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from dermdesk.i18n import _
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

LOCK_NAME = "sender.lock"


class SenderBusyError(RuntimeError):
    """Another sender on this station holds the lock; this pass is skipped."""


def lock_path(settings: DermDeskSettings) -> Path:
    return settings.data_dir / "sync" / LOCK_NAME


@contextmanager
def sender_lock(settings: DermDeskSettings) -> Iterator[None]:
    """Hold the station's sender lock for one pass, or raise SenderBusyError at once."""
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise SenderBusyError(
            _("Another sender on this station (the window or the background service) is sending now.")
        ) from exc
    try:
        yield
    finally:
        lock.release()
