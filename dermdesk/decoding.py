"""The one bounded picture decoder: size and header dimensions are checked before any pixel is decoded.

Why: a PNG of under a megabyte can unpack to hundreds of megapixels (a "decompression bomb"); decoded,
it costs gigabytes of memory in the station, the CLI or the central service. And a truncated or damaged
picture must be refused, not filed with grey where its lower half should be. So every picture that comes
from a file or the network goes through `decode_picture`:

1. its byte size is checked against `MAX_PICTURE_BYTES`;
2. Pillow reads the header only (lazy open) and `check_dimensions` refuses more than
   `MAX_PICTURE_PIXELS` pixels, or a side below `MIN_PICTURE_SIDE`, before anything is decoded;
3. Pillow then decodes the picture once to prove it is whole (truncated data, a broken stream or garbage
   after a header raise), at 1/8 scale for JPEG (the whole entropy-coded stream is still read);
4. OpenCV decodes the pixels the station uses (the same decoder as before, so the model sees the same
   pixels), with its own limit `OPENCV_IO_MAX_IMAGE_PIXELS` set to ours as a second fence.

Other layers (DICOM pixel data, issue 25) call `check_dimensions` with the dimensions they read.
This module imports only numpy, OpenCV and Pillow, so every layer may use it.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

from dermdesk.i18n import _

MAX_PICTURE_PIXELS = 50_000_000
"""At most 50 megapixels (e.g. 8660 x 5773): more than any dermatoscope or clinic camera delivers."""
MAX_PICTURE_BYTES = 64 * 1024 * 1024
"""At most 64 MiB of encoded picture."""
MIN_PICTURE_SIDE = 32
"""A side shorter than this cannot show a lesion (and is what damaged files often decode to)."""

# OpenCV reads this once, at its first decode: set it before cv2 decodes anything in this process.
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PICTURE_PIXELS))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, UnidentifiedImageError  # noqa: E402

Image.MAX_IMAGE_PIXELS = MAX_PICTURE_PIXELS  # Pillow's own fence (it refuses beyond twice this)


class PictureRefused(ValueError):  # noqa: N818 - the name issues 21 and 25 share
    """A picture that will not be decoded: too large, not a picture, or damaged. The message says why."""


def check_dimensions(width: int, height: int) -> None:
    """Refuse a picture of these dimensions (read from its header) before its pixels are decoded."""
    if width <= 0 or height <= 0:
        raise PictureRefused(
            _("The picture has no pixels ({width}×{height}); the file is damaged.").format(
                width=width, height=height
            )
        )
    if width * height > MAX_PICTURE_PIXELS:
        raise PictureRefused(
            _(
                "The picture is too large ({width}×{height} px, {value:.0f} megapixels); "
                "DermDesk accepts at most {value2:.0f} megapixels."
            ).format(width=width, height=height, value=width * height / 1e6, value2=MAX_PICTURE_PIXELS / 1e6)
        )
    if min(width, height) < MIN_PICTURE_SIDE:
        raise PictureRefused(
            _(
                "The picture is too small ({width}×{height} px); at least {MIN_PICTURE_SIDE} px "
                "a side are needed to show a lesion."
            ).format(width=width, height=height, MIN_PICTURE_SIDE=MIN_PICTURE_SIDE)
        )


def read_picture_bytes(path: Path) -> bytes:
    """A picture file's bytes, refused before reading when the file is larger than the limit."""
    try:
        size = path.stat().st_size
        if size > MAX_PICTURE_BYTES:
            raise PictureRefused(_too_many_bytes(size))
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise PictureRefused(_("no such file")) from exc
    except IsADirectoryError as exc:
        raise PictureRefused(_("a folder, not a picture")) from exc
    except OSError as exc:
        raise PictureRefused(
            _("the file cannot be read ({value})").format(value=exc.strerror or exc)
        ) from exc


def check_picture(data: bytes) -> tuple[int, int]:
    """Check a picture's size, header and integrity without keeping its pixels; its (width, height)."""
    if len(data) > MAX_PICTURE_BYTES:
        raise PictureRefused(_too_many_bytes(len(data)))
    if not data:
        raise PictureRefused(_("The file is empty; it is not a picture."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                check_dimensions(width, height)
                if image.format == "JPEG":
                    image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()
        except PictureRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            limit = f"{MAX_PICTURE_PIXELS / 1e6:.0f} megapixels"
            raise PictureRefused(
                _("The picture is too large; DermDesk accepts at most {limit}.").format(limit=limit)
            ) from exc
        except UnidentifiedImageError as exc:
            raise PictureRefused(_("The file is not a picture DermDesk can read.")) from exc
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
            raise PictureRefused(
                _("The picture is damaged or incomplete ({value}).").format(value=_short(exc))
            ) from exc
    return width, height


def decode_picture(source: bytes | Path) -> np.ndarray:
    """The picture as BGR uint8 pixels; PictureRefused when too large, not a picture, or damaged."""
    data = read_picture_bytes(source) if isinstance(source, Path) else source
    check_picture(data)
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None or image.size == 0:
        raise PictureRefused(_("The picture is damaged or in a form DermDesk cannot decode."))
    return _bgr8(image)


def _bgr8(image: np.ndarray) -> np.ndarray:
    """Grey, 16-bit, float and 4-channel pixels as 3-channel 8-bit, channel order kept (BGR)."""
    if image.dtype.kind == "f":
        peak = float(np.nanmax(image)) if image.size else 0.0
        image = np.nan_to_num(image * 255.0 if peak <= 1.0 else image)
    if image.ndim == 3 and image.shape[2] == 2:
        image = image[:, :, 0]  # grey + alpha
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    elif image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    elif image.shape[2] == 4:
        image = image[:, :, :3]
    elif image.shape[2] != 3:
        raise PictureRefused(
            _("The picture has {shape} colour channels; DermDesk reads 1, 3 or 4.").format(
                shape=image.shape[2]
            )
        )
    return np.ascontiguousarray(image)


def _too_many_bytes(size: int) -> str:
    return (
        f"The picture file is too large ({size / 2**20:.0f} MiB); DermDesk accepts at most "
        f"{MAX_PICTURE_BYTES // 2**20} MiB."
    )


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
