"""De-identification: the fixed schema, pseudonyms, age bins, what is refused, and metadata stripped."""

from __future__ import annotations

import io
import json
import struct
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from dermdesk.sync.deidentify import (
    PAYLOAD_FIELDS,
    CaseFacts,
    NotShareableError,
    age_bin,
    deidentify,
    pseudonym,
)

SECRET = b"s" * 32
MARK = "ZEBRAFINCH-4471"


def case(**changes: object) -> CaseFacts:
    base = CaseFacts(
        capture_uid="abc123",
        patient_key="DD-000777",
        lesion_key="DD-000777/L1",
        research_consent=True,
        date_of_birth=date(1971, 5, 17),
        capture_date=date(2026, 11, 21),
        sex="female",
        anatom_site_general="posterior torso",
        lighting_mode="white_polarised",
        polarised=True,
        contact=True,
        dx_code="mel",
        confirmation="histopathology",
        probabilities={"mel": 0.7, "nv": 0.3},
        model_name="dermdesk-lesion",
        model_version="1.0.0",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def pixels() -> np.ndarray:
    rng = np.random.default_rng(3)
    return rng.integers(0, 255, (40, 50, 3), dtype=np.uint8)


def jpeg_with_exif(text: str) -> bytes:
    image = Image.fromarray(pixels())
    exif = Image.Exif()
    exif[0x010E] = text  # ImageDescription
    exif[0x013B] = text  # Artist
    exif[0x0110] = "SERIAL-" + text  # Model
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=text.encode("utf-8", "replace"))
    return out.getvalue()


def png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{text}</x:xmpmeta>")
    out = io.BytesIO()
    icc = b"\x00" * 128 + text.encode()  # an opaque ICC blob carrying the text
    Image.fromarray(pixels()).save(out, "PNG", pnginfo=info, icc_profile=icc)
    return out.getvalue()


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    kinds, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kinds.append(data[at + 4 : at + 8])
        at += 12 + length
    return kinds


def test_payload_has_exactly_the_schema_fields_and_no_identity() -> None:
    payload = deidentify(case(), png_with_text(MARK), SECRET)
    assert tuple(payload.metadata) == PAYLOAD_FIELDS
    meta = payload.metadata
    assert meta["age_approx"] == 55
    assert meta["diagnosis"] == "mel" and meta["diagnosis_confirm_type"] == "histopathology"
    assert meta["dermoscopic_type"] == "contact polarized"
    assert meta["patient_id"] == pseudonym(SECRET, "patient", "DD-000777")
    text = json.dumps(meta)
    for secret_text in ("DD-000777", "1971", "abc123", "2026-11-21"):
        assert secret_text not in text


@pytest.mark.parametrize("maker", [jpeg_with_exif, png_with_text])
def test_image_is_reencoded_without_metadata(maker) -> None:  # type: ignore[no-untyped-def]
    payload = deidentify(case(), maker(MARK), SECRET)
    assert png_chunks(payload.image_png) == [b"IHDR", b"IDAT", b"IEND"]
    assert MARK.encode() not in payload.image_png
    assert b"Exif" not in payload.image_png and b"xmp" not in payload.image_png.lower()


def test_pixels_survive_reencoding() -> None:
    payload = deidentify(case(), png_with_text(MARK), SECRET)
    decoded = np.asarray(Image.open(io.BytesIO(payload.image_png)).convert("RGB"))
    assert np.array_equal(decoded, pixels())


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2000, 1, 1), date(2004, 12, 31), 0),
        (date(2000, 6, 2), date(2010, 6, 1), 5),
        (date(2000, 6, 2), date(2010, 6, 2), 10),
        (date(1920, 1, 1), date(2026, 1, 1), 85),
        (date(1941, 1, 1), date(2026, 1, 1), 85),
        (date(1942, 1, 2), date(2026, 1, 1), 80),
        (date(2030, 1, 1), date(2026, 1, 1), None),  # a wrong clock: no age rather than a negative one
    ],
)
def test_age_bins(born: date, on: date, expected: int | None) -> None:
    assert age_bin(born, on) == expected


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"research_consent": False}, "consented"),
        ({"lighting_mode": "uv_365"}, "white-light"),
        ({"lighting_mode": "nb_450"}, "white-light"),
        ({"lighting_mode": None}, "white-light"),
        ({"dx_code": None}, "signed off"),
        ({"contact": False, "polarised": False, "lighting_mode": "white"}, "not dermoscopy"),
    ],
)
def test_cases_that_stay_in_the_clinic(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(NotShareableError, match=reason):
        deidentify(case(**changes), png_with_text(MARK), SECRET)


def test_unlabelled_cases_leave_only_when_asked() -> None:
    payload = deidentify(
        case(dx_code=None, confirmation=None), png_with_text(MARK), SECRET, allow_unlabelled=True
    )
    assert payload.metadata["diagnosis"] is None and payload.metadata["diagnosis_confirm_type"] is None


def test_pseudonyms_depend_on_the_clinic_secret() -> None:
    one = deidentify(case(), png_with_text(MARK), SECRET).metadata
    other = deidentify(case(), png_with_text(MARK), b"t" * 32).metadata
    assert one["patient_id"] != other["patient_id"] and one["lesion_id"] != other["lesion_id"]


def test_an_undecodable_picture_is_refused() -> None:
    with pytest.raises(NotShareableError, match="decoded"):
        deidentify(case(), b"not a picture", SECRET)


# Every payload value is lower-case ASCII (vocabulary words, hex, numbers), so a text with an upper-case or
# non-ASCII letter can only appear in it if it leaked.
text = st.text(min_size=4, max_size=40).filter(lambda s: any(c.isupper() or not c.isascii() for c in s))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=text, site=text, sex=text, confirmation=text, model=text, exif_text=text)
def test_no_input_text_reaches_the_payload(
    key: str, site: str, sex: str, confirmation: str, model: str, exif_text: str
) -> None:
    facts = case(
        patient_key=key,
        lesion_key=key + "/L1",
        anatom_site_general=site,
        sex=sex,
        confirmation=confirmation,
        model_name=model,
        model_version=model,
    )
    payload = deidentify(facts, jpeg_with_exif(exif_text), SECRET)
    others = {k: v for k, v in payload.metadata.items() if k not in ("model_name", "model_version")}
    blob = json.dumps(others, ensure_ascii=False)
    for needle in (key, site, sex, confirmation):
        assert needle not in blob
    assert payload.metadata["model_name"] in (None, model)  # our own model names pass; free text never
    assert exif_text.encode("utf-8", "replace") not in payload.image_png
    if payload.metadata["model_name"] is not None:
        assert set(model.lower()) <= set("abcdefghijklmnopqrstuvwxyz0123456789.-_+")
    assert png_chunks(payload.image_png) == [b"IHDR", b"IDAT", b"IEND"]
