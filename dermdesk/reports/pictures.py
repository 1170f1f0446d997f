"""Pictures for reports: read from the image store, checked, scaled down, re-encoded as JPEG.

Why: a report must never fail because of one picture, and must never carry a 40-megapixel still at
full size. Each picture is read and verified against its sha256; a missing, damaged or unreadable file
becomes a `Picture` with a `problem` the report prints in its place ("picture 12 is missing from the
image store"). Readable pictures are scaled to at most `MAX_SIDE` pixels (about 300 dpi at the size
they are printed) and embedded as JPEG, which keeps a five-lesion report small and fast to render.
The millimetre scale of a calibrated picture is carried over to the scaled copy.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from dermdesk.i18n import N_
from dermdesk.records.image_store import sha256_bytes

log = logging.getLogger(__name__)

MAX_SIDE = 900
MAX_PIXELS = 150_000_000  # beyond this a still is not a dermatoscope picture; refuse to decode it
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Picture:
    """A picture ready to embed (JPEG bytes and size), or the reason it cannot be shown."""

    jpeg: bytes | None
    width: int = 0
    height: int = 0
    mm_per_px: float | None = None  # of the scaled copy
    problem: str | None = None
    problem_template: str | None = None  # the English template of `problem`, for `problem_in`
    problem_values: tuple[tuple[str, str], ...] = ()

    @property
    def shown(self) -> bool:
        return self.jpeg is not None

    def problem_in(self, translate: Callable[[str], str]) -> str | None:
        """The problem in another language (e.g. `dermdesk.i18n.gettext` for the screen's)."""
        if self.problem_template is None:
            return self.problem
        return translate(self.problem_template).format(**dict(self.problem_values))


def missing(reason: str, **values: object) -> Picture:
    """A picture that cannot be shown; `reason` is an English template (marked with N_) for `values`."""
    pairs = tuple((key, str(value)) for key, value in values.items())
    return Picture(None, problem=reason.format(**dict(pairs)), problem_template=reason, problem_values=pairs)


def prepare(data: bytes, *, mm_per_px: float | None = None, max_side: int = MAX_SIDE) -> Picture:
    """Decode, scale to at most `max_side` pixels and re-encode as JPEG; a problem instead on failure."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > MAX_PIXELS:
                return missing(
                    N_("is too large to show ({width}×{height} pixels)"), width=width, height=height
                )
            if opened.format == "JPEG":
                opened.draft("RGB", (max_side, max_side))  # decode at a reduced size: much faster
            image = opened.convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        return missing(N_("cannot be read as a picture ({kind})"), kind=type(exc).__name__)
    except (OSError, SyntaxError, ValueError) as exc:
        return missing(N_("cannot be read as a picture ({detail})"), detail=exc)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    scale = None if mm_per_px is None or mm_per_px <= 0 else mm_per_px * width / image.width
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=False)
    return Picture(out.getvalue(), image.width, image.height, scale)


def load(
    path: Path, sha256: str | None, *, mm_per_px: float | None = None, max_side: int = MAX_SIDE
) -> Picture:
    """A stored picture, verified against `sha256` when given, prepared for the report."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return missing(N_("is missing from the image store"))
    except OSError as exc:
        return missing(N_("cannot be read from the image store ({detail})"), detail=exc.strerror or exc)
    if sha256 is not None and sha256_bytes(data) != sha256:
        log.warning("Report: %s does not match its checksum; not shown", path)
        return missing(N_("does not match its checksum (the file is damaged)"))
    return prepare(data, mm_per_px=mm_per_px, max_side=max_side)


def scale_bar_mm(mm_per_px: float, width_px: int, fraction: float = 0.3) -> float:
    """A round bar length (0.5, 1, 2, 5, 10, ... mm) close to `fraction` of the picture's width."""
    target = mm_per_px * width_px * fraction
    choices = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
    fitting = [mm for mm in choices if mm <= target]
    return fitting[-1] if fitting else choices[0]
