"""The upload's PNG check without a decode: it accepts what the station writes and refuses every damaged or
crafted picture a decoder would refuse (checked against PIL's full decode on random damage)."""

from __future__ import annotations

import io
import struct
import zlib

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from dermdesk.central.png_check import PngRefusedError, check_bare_png
from dermdesk.central.schema import ALLOWED_CHUNKS
from dermdesk.sync.deidentify import reencode_image


def station_png(width: int = 96, height: int = 72) -> bytes:
    rng = np.random.default_rng(width * height)
    noise = rng.normal(0, 10, (height, width, 3))
    pixels = (np.full((height, width, 3), (150, 170, 200)) + noise).clip(0, 255)
    return reencode_image(cv2.imencode(".png", pixels.astype(np.uint8))[1].tobytes())


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_of(width: int, height: int, rows: bytes, *, interlace: int = 0, colour: int = 2) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, interlace)
    pixels = chunk(b"IDAT", zlib.compress(rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + pixels + chunk(b"IEND", b"")


def pil_decodes(png: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
        return True
    except Exception:  # any refusal of the decoder
        return False


def test_what_the_station_writes_is_accepted_with_its_size() -> None:
    assert check_bare_png(station_png(), ALLOWED_CHUNKS) == (96, 72)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "P", "I;16", "LA", "1"])
def test_every_pixel_format_a_png_reader_supports_is_accepted(mode: str) -> None:
    out = io.BytesIO()
    Image.new(mode, (40, 33), 1).save(out, "PNG")
    assert check_bare_png(out.getvalue(), ALLOWED_CHUNKS) == (40, 33)


def test_damage_is_refused_with_a_reason() -> None:
    good = station_png()
    cases = {
        "not a PNG": b"GIF89a" + good[6:],
        "truncated": good[: len(good) // 2],
        "checksum is wrong": good[:900] + bytes([good[900] ^ 0xFF]) + good[901:],
        "data after its end": good + chunk(b"IDAT", b"x"),
    }
    for reason, png in cases.items():
        with pytest.raises(PngRefusedError, match=reason):
            check_bare_png(png, ALLOWED_CHUNKS)
        assert not pil_decodes(png) or reason == "data after its end"


def test_pixels_that_do_not_match_the_header_or_a_filter_are_refused() -> None:
    row = b"\x00" + b"\x80" * 120  # 40 RGB pixels, filter 0
    assert check_bare_png(png_of(40, 36, row * 36), ALLOWED_CHUNKS) == (40, 36)
    for rows in (row * 35, row * 37, row * 35 + row[:-1]):
        with pytest.raises(PngRefusedError, match="incomplete or do not match"):
            check_bare_png(png_of(40, 36, rows), ALLOWED_CHUNKS)
    unknown_filter = png_of(40, 36, row * 35 + b"\x05" + row[1:])
    with pytest.raises(PngRefusedError, match="unknown filter"):
        check_bare_png(unknown_filter, ALLOWED_CHUNKS)
    assert not pil_decodes(unknown_filter)
    with pytest.raises(PngRefusedError, match="interlaced"):
        check_bare_png(png_of(40, 36, row * 36, interlace=1), ALLOWED_CHUNKS)
    with pytest.raises(PngRefusedError, match="header is not one"):
        check_bare_png(png_of(40, 36, row * 36, colour=5), ALLOWED_CHUNKS)


def test_a_decompression_bomb_stops_at_the_size_the_header_declares() -> None:
    bomb = png_of(40, 36, b"\x00" * (64 * 2**20))  # 64 MiB of rows behind a 40×36 header
    assert len(bomb) < 200_000
    with pytest.raises(PngRefusedError, match="incomplete or do not match"):
        check_bare_png(bomb, ALLOWED_CHUNKS)


def test_a_picture_too_large_or_too_small_is_refused_from_its_header() -> None:
    with pytest.raises(PngRefusedError, match="too large"):
        check_bare_png(png_of(20_000, 20_000, b""), ALLOWED_CHUNKS)
    with pytest.raises(PngRefusedError, match="too small"):
        check_bare_png(png_of(4, 4, (b"\x00" + b"\x00" * 12) * 4), ALLOWED_CHUNKS)


def test_a_zlib_stream_with_a_wrong_checksum_is_refused() -> None:
    row = b"\x00" + b"\x80" * 120
    stream = bytearray(zlib.compress(row * 36))
    stream[-1] ^= 0xFF  # Adler-32 of the pixels
    header = struct.pack(">IIBBBBB", 40, 36, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", bytes(stream)) + chunk(b"IEND", b"")
    with pytest.raises(PngRefusedError, match="damaged"):
        check_bare_png(png, ALLOWED_CHUNKS)


GOOD = station_png()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(GOOD) - 1), st.integers(1, 255)), min_size=1, max_size=4))
def test_whatever_the_check_accepts_a_decoder_decodes(flips: list[tuple[int, int]]) -> None:
    damaged = bytearray(GOOD)
    for at, mask in flips:
        damaged[at] ^= mask
    try:
        check_bare_png(bytes(damaged), ALLOWED_CHUNKS)
    except PngRefusedError:
        return
    assert pil_decodes(bytes(damaged))
