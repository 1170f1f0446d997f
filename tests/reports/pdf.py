"""Reading generated PDFs back with pypdf: text per page, fonts and whether they are embedded, pictures."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import DictionaryObject


@dataclass(frozen=True)
class FontInfo:
    name: str
    subtype: str
    embedded_as: str | None  # FontFile2 (TrueType outlines), FontFile3, FontFile, or None


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def texts(pdf: bytes) -> list[str]:
    """Each page's text, whitespace runs collapsed to one space."""
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader(pdf).pages]


def _fonts_in(resources: DictionaryObject | None, found: dict[str, FontInfo]) -> None:
    if not resources:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        embedded = None
        if descriptor is not None:
            descriptor = descriptor.get_object()
            embedded = next(
                (key[1:] for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in descriptor), None
            )
        name = str(font.get("/BaseFont"))
        found[name] = FontInfo(name, str(font.get("/Subtype")), embedded)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts_in(xobject.get("/Resources"), found)


def fonts(pdf: bytes) -> dict[str, FontInfo]:
    found: dict[str, FontInfo] = {}
    for page in reader(pdf).pages:
        _fonts_in(page.get("/Resources"), found)
    return found


def picture_counts(pdf: bytes) -> list[int]:
    return [len(page.images) for page in reader(pdf).pages]


def picture_sizes(pdf: bytes) -> list[tuple[int, int]]:
    sizes = []
    for page in reader(pdf).pages:
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                sizes.append((int(xobject["/Width"]), int(xobject["/Height"])))
    return sizes


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader(pdf).pages
    ]


def sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
