"""What the API answers when it cannot take a case now: a clinic flooding uploads gets 429, a busy or locked
database or a full worker gets 503, a full disk 507, each with `Retry-After`; the station's uploader keeps
the case and tries again (dermdesk.sync.uploader retries 429 and 5xx).

The per-device rate is a token bucket in each API worker's memory: with W workers behind one port a device
may reach up to W times the rate; behind a load balancer, put the rate limit there too
(docs/central-at-scale.md).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

log = logging.getLogger(__name__)

BUSY_RETRY_S = 2  # what a lock timeout or a full worker asks the clinic to wait
FULL_RETRY_S = 600  # what a full disk asks: an operator has to act first


class DeviceRateLimit:
    """A token bucket per device: `burst` cases at once, then `per_minute`."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_for(self, device_id: int, now: float | None = None) -> float:
        """0 if the device may send now (the case is counted), else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._buckets.get(device_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                self._buckets[device_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[device_id] = (tokens, now)
            return (1.0 - tokens) / self.rate


def too_many(seconds: float) -> JSONResponse:
    wait = max(1, math.ceil(seconds))
    return JSONResponse(
        {"detail": f"this device is sending cases faster than the service accepts; retry in {wait} s"},
        status_code=429,
        headers={"Retry-After": str(wait)},
    )


def busy(detail: str = "the central service is busy; retry shortly") -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": str(BUSY_RETRY_S)})


def disk_full() -> JSONResponse:
    return JSONResponse(
        {
            "detail": "the central service's database has no space left; the clinic keeps the case and "
            "sends it again later"
        },
        status_code=507,
        headers={"Retry-After": str(FULL_RETRY_S)},
    )


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL or PostgreSQL's disk_full (SQLSTATE 53100), also where it surfaced as the
    cause of a later error (SQLite rolls a full transaction back, so releasing its savepoint fails next)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        orig: Any = getattr(seen, "orig", None)
        if getattr(orig, "sqlstate", None) == "53100":
            return True
        text = str(orig or seen).lower()
        if "database or disk is full" in text or "no space left on device" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def install_handlers(app: FastAPI) -> None:
    """Database trouble answered with a status a station retries, never a bare 500."""

    async def database_trouble(_request: Request, exc: Exception) -> JSONResponse:
        if is_disk_full(exc):
            log.error("The central database has no space left: %s", exc.__class__.__name__)
            return disk_full()
        log.warning("Database busy or unreachable, answered 503: %s", str(exc).splitlines()[0][:200])
        return busy()

    async def pool_exhausted(_request: Request, _exc: Exception) -> JSONResponse:
        log.warning("No database connection free in time, answered 503")
        return busy()

    app.add_exception_handler(OperationalError, database_trouble)
    app.add_exception_handler(PoolTimeoutError, pool_exhausted)
