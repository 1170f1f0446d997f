"""Shared test data for the records suite: users' password, a patient, small valid PNG files, a clock."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dermdesk.records import NewPatient, UserInfo

PASSWORD = "correct horse battery"


class Clock:
    """A controllable clock for the services (lock-out expiry, visit dates)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class Team:
    admin: UserInfo
    staff: UserInfo
    doctor: UserInfo


def new_patient(record_number: str = "DD-000001", **changes: object) -> NewPatient:
    values: dict[str, object] = {
        "record_number": record_number,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "date_of_birth": date(1971, 5, 17),
        "sex": "female",
        "fitzpatrick": 2,
    }
    values.update(changes)
    return NewPatient(**values)  # type: ignore[arg-type]


def png_bytes(seed: int, size: int = 32) -> bytes:
    """A small valid PNG whose bytes differ for each seed (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((seed + x + y) % 256 for x in range(size * 3)) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def write_png(path: Path, seed: int) -> Path:
    path.write_bytes(png_bytes(seed, size=40))
    return path
