"""Is an uploaded PNG whole and bare? Everything a decoder verifies, without building the pixels.

Every upload's picture used to be decoded in full (PIL) only to be thrown away: at a hundred cases a
second that decode was the largest share of the API's work. A PNG decoder can only fail on what is
checked here: the chunk layout and each chunk's CRC, a header it supports, a zlib stream that is complete
(its Adler-32 checked) and inflates to exactly the rows the header declares, and a valid filter byte at
the start of each row. The inflating is ISA-L's (`isal`), a drop-in for zlib about twice as fast; the
expected size from the header bounds it, so a decompression bomb stops at that size.
"""

from __future__ import annotations

import struct
import zlib
from typing import cast

import numpy as np
from isal import isal_zlib
from isal.igzip_lib import IsalError

from dermdesk.decoding import MAX_PICTURE_BYTES, PictureRefused, check_dimensions

SIGNATURE = b"\x89PNG\r\n\x1a\n"
SAMPLES_PER_PIXEL = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # grey, RGB, palette, grey+alpha, RGBA
# isal's stubs declare its error as an instance, not a class
INFLATE_ERRORS: tuple[type[Exception], ...] = (cast(type[Exception], IsalError), zlib.error)
BIT_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}


class PngRefusedError(ValueError):
    """The picture is not a whole, bare PNG; the message says what is wrong."""


def check_bare_png(png: bytes, allowed_chunks: frozenset[bytes]) -> tuple[int, int]:
    """Refuse anything but a complete, non-interlaced PNG of `allowed_chunks`; its (width, height)."""
    if len(png) > MAX_PICTURE_BYTES:
        raise PngRefusedError(f"the picture is larger than {MAX_PICTURE_BYTES // 2**20} MiB")
    if not png.startswith(SIGNATURE):
        raise PngRefusedError("the picture is not a PNG")
    header: tuple[int, ...] | None = None
    pixels: list[memoryview] = []
    at = len(SIGNATURE)
    ended = False
    view = memoryview(png)
    while at < len(png):
        if ended:
            raise PngRefusedError("the PNG has data after its end")
        if at + 12 > len(png):
            raise PngRefusedError("the PNG is truncated")
        (length,) = struct.unpack_from(">I", png, at)
        kind = png[at + 4 : at + 8]
        end = at + 8 + length
        if end + 4 > len(png):
            raise PngRefusedError("the PNG is truncated")
        if kind not in allowed_chunks:
            shown = kind.decode("ascii", "replace")
            raise PngRefusedError(f"the PNG carries a {shown} chunk; only pixels may be uploaded")
        (crc,) = struct.unpack_from(">I", png, end)
        if isal_zlib.crc32(view[at + 4 : end]) != crc:
            shown = kind.decode("ascii")
            raise PngRefusedError(f"the PNG is damaged (the {shown} chunk's checksum is wrong)")
        if header is None:
            if kind != b"IHDR" or length != 13:
                raise PngRefusedError("the PNG does not begin with its header")
            header = struct.unpack_from(">IIBBBBB", png, at + 8)
        elif kind == b"IHDR":
            raise PngRefusedError("the PNG has two headers")
        elif kind == b"IDAT":
            pixels.append(view[at + 8 : end])
        elif kind == b"IEND":
            ended = True
        at = end + 4
    if header is None or not ended:
        raise PngRefusedError("the PNG is truncated")
    width, height, depth, colour, compression, filtering, interlace = header
    try:
        check_dimensions(width, height)
    except PictureRefused as exc:
        raise PngRefusedError(str(exc)) from exc
    if colour not in SAMPLES_PER_PIXEL or depth not in BIT_DEPTHS[colour] or compression or filtering:
        raise PngRefusedError("the PNG's header is not one a PNG reader supports")
    if interlace:
        raise PngRefusedError("the PNG is interlaced; the station sends plain (non-interlaced) PNGs")
    _check_rows(b"".join(pixels), width, height, depth * SAMPLES_PER_PIXEL[colour])
    return width, height


def _check_rows(stream: bytes, width: int, height: int, bits_per_pixel: int) -> None:
    row = (width * bits_per_pixel + 7) // 8
    expected = height * (row + 1)
    inflater = isal_zlib.decompressobj()
    try:
        rows = inflater.decompress(stream, expected + 1)  # one byte more than the header allows: too long
    except INFLATE_ERRORS as exc:
        raise PngRefusedError(f"the PNG's pixels are damaged ({exc})") from exc
    if len(rows) != expected or not inflater.eof or inflater.unused_data:
        raise PngRefusedError("the PNG's pixels are incomplete or do not match its header")
    if int(np.frombuffer(rows, np.uint8)[:: row + 1].max()) > 4:
        raise PngRefusedError("the PNG's pixels are damaged (a row has an unknown filter)")
