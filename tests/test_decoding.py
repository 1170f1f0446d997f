"""The bounded picture decoder: bombs refused from the header, damaged pictures refused, memory bounded."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from dermdesk.decoding import (
    MAX_PICTURE_BYTES,
    MAX_PICTURE_PIXELS,
    PictureRefused,
    check_dimensions,
    check_picture,
    decode_picture,
)

ONE_GB_KIB = 1024 * 1024  # ru_maxrss is in KiB on Linux


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_bomb(side: int) -> bytes:
    """A grey PNG of side x side zero pixels, compressed to well under a megabyte without ever holding
    the pixels in memory."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    parts = [compressor.compress(row) for _ in range(side)]
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.png"
    path.write_bytes(png_bomb(16_000))  # 256 megapixels
    return path


def lesion_png(width: int = 96, height: int = 64) -> bytes:
    pixels = np.full((height, width, 3), (150, 170, 200), np.uint8)
    cv2.circle(pixels, (width // 2, height // 2), min(width, height) // 4, (40, 50, 90), -1)
    return cv2.imencode(".png", pixels)[1].tobytes()


def lesion_jpeg(width: int = 640, height: int = 480) -> bytes:
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()


def test_a_bomb_is_small_on_disk_but_refused_from_its_header(bomb: Path) -> None:
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(PictureRefused, match=r"too large.*megapixels"):
        decode_picture(bomb)
    with pytest.raises(PictureRefused, match="too large"):
        check_picture(bomb.read_bytes())


def test_decoding_a_bomb_stays_under_one_gigabyte(bomb: Path) -> None:
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from dermdesk.decoding import PictureRefused, decode_picture
        try:
            decode_picture(Path({str(bomb)!r}))
            print("decoded")
        except PictureRefused:
            print("refused")
        # VmHWM: this process's own peak; ru_maxrss would start from the forking pytest's size
        status = Path("/proc/self/status").read_text(encoding="utf-8")
        print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    verdict, peak_kib = out.stdout.split()
    assert verdict == "refused"
    assert int(peak_kib) < ONE_GB_KIB


def test_the_cli_refuses_a_bomb_with_bounded_memory(bomb: Path, tmp_path: Path) -> None:
    """`dermdesk classify` on the bomb: one clear error line, peak memory of the command under 1 GB."""
    script = textwrap.dedent(
        f"""
        import resource, subprocess, sys
        done = subprocess.run([sys.executable, "-m", "dermdesk", "--data-dir", {str(tmp_path)!r},
                               "classify", "--no-tta", {str(bomb)!r}], capture_output=True, text=True)
        print(done.returncode)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        sys.stderr.write(done.stderr)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    code, peak_kib = out.stdout.split()
    assert code == "1"
    assert "too large" in out.stderr
    assert int(peak_kib) < ONE_GB_KIB


@pytest.mark.parametrize(
    ("width", "height", "reason"),
    [(0, 10, "no pixels"), (1, 1, "too small"), (31, 400, "too small"), (10_000, 5_001, "too large")],
)
def test_dimensions_out_of_bounds_are_refused(width: int, height: int, reason: str) -> None:
    with pytest.raises(PictureRefused, match=reason):
        check_dimensions(width, height)


def test_dimensions_within_bounds_pass() -> None:
    check_dimensions(32, 32)
    check_dimensions(MAX_PICTURE_PIXELS // 5000, 5000)


def test_a_sound_picture_decodes_to_bgr_bytes() -> None:
    pixels = decode_picture(lesion_png())
    assert pixels.dtype == np.uint8 and pixels.shape == (64, 96, 3)
    assert tuple(pixels[0, 0]) == (150, 170, 200)
    assert decode_picture(lesion_jpeg()).shape == (480, 640, 3)


def test_sixteen_bit_grey_and_alpha_come_out_as_eight_bit_bgr() -> None:
    grey16 = np.full((40, 40), 0x8000, np.uint16)
    assert tuple(decode_picture(cv2.imencode(".png", grey16)[1].tobytes())[0, 0]) == (128, 128, 128)
    bgra = np.full((40, 40, 4), (10, 20, 30, 255), np.uint8)
    assert tuple(decode_picture(cv2.imencode(".png", bgra)[1].tobytes())[0, 0]) == (10, 20, 30)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: lesion_jpeg()[: len(lesion_jpeg()) * 2 // 3], "damaged or incomplete"),
        (lambda: lesion_png()[: len(lesion_png()) // 2], "damaged or incomplete"),
        (lambda: lesion_png()[:33] + bytes(range(256)) * 20, r"damaged|cannot decode|not a picture"),
        (lambda: lesion_jpeg()[:600] + bytes(range(256)) * 40, r"damaged|cannot decode|not a picture"),
        (lambda: lesion_png(1, 1), "too small"),
        (lambda: b"", "empty"),
        (lambda: b"not a picture at all" * 10, "not a picture"),
    ],
    ids=["truncated-jpeg", "truncated-png", "png-garbage", "jpeg-garbage", "one-pixel", "empty", "text"],
)
def test_damaged_pictures_are_refused(make: object, reason: str) -> None:
    data = make()  # type: ignore[operator]
    with pytest.raises(PictureRefused, match=reason):
        decode_picture(data)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.truncate(MAX_PICTURE_BYTES + 1)  # sparse: no disk space used
    with pytest.raises(PictureRefused, match="file is too large"):
        decode_picture(big)
    with pytest.raises(PictureRefused, match="file is too large"):
        check_picture(b"\x00" * (MAX_PICTURE_BYTES + 1))


def test_a_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(PictureRefused, match="no such file"):
        decode_picture(tmp_path / "absent.png")
