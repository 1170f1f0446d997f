"""The bundled Hangul font (NanumGothic) as the pages' web font.

Why rewrite it: browsers check web fonts with OTS, which refuses the shipped NanumGothic.ttf because it
carries Visual TrueType's source tables (TSI0…TSI5, one of them empty) — hinting sources no renderer reads.
Without them the font is the same to the eye and the browser accepts it, so Hangul never falls back to
boxes on a machine without a Korean font. Plain sfnt rewriting: no font library needed at run time.
"""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path

from dermdesk.resources import resource_path

FONT = "NanumGothic.ttf"
_DROPPED = (b"TSI0", b"TSI1", b"TSI2", b"TSI3", b"TSI5", b"TSIB", b"TSID", b"TSIJ", b"TSIP", b"TSIS", b"TSIV")


@cache
def web_font() -> bytes:
    """NanumGothic without its empty and hinting-source tables (read once, then kept)."""
    return without_source_tables(Path(resource_path("fonts", FONT)).read_bytes())


def without_source_tables(font: bytes) -> bytes:
    """The TrueType/OpenType file `font` rebuilt without the TSI* tables and without empty tables."""
    version, count = struct.unpack_from(">4sH", font, 0)
    records = [struct.unpack_from(">4sIII", font, 12 + 16 * i) for i in range(count)]
    kept = sorted(
        (tag, checksum, font[offset : offset + length])
        for tag, checksum, offset, length in records
        if length > 0 and tag not in _DROPPED
    )
    power = 1 << (len(kept).bit_length() - 1)
    header = struct.pack(
        ">4sHHHH", version, len(kept), power * 16, power.bit_length() - 1, (len(kept) - power) * 16
    )
    offset = 12 + 16 * len(kept)
    directory, body = bytearray(), bytearray()
    for tag, checksum, data in kept:
        directory += struct.pack(">4sIII", tag, checksum, offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return header + bytes(directory) + bytes(body)
