"""The still's sidecar as a typed model: old sidecars load, new ones are written as before."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from dermdesk.capture.frames import Frame
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.sidecar import StillSidecar, read_sidecar, sidecar_path
from dermdesk.capture.stills import StillWriter

# Written by DermDesk before the model existed: a still of a lighting sequence with every extra the
# station adds (device, contact, camera controls, scale, quality, burst, sequence, controller).
TODAYS_SIDECAR = """{
  "file": "still-0003.png",
  "sha256": "9f2c1e0b7a6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b",
  "captured_at": "2026-03-02T09:29:59.875+00:00",
  "saved_at": "2026-03-02T09:30:00.102+00:00",
  "source": "Virtual dermatoscope",
  "width": 1280,
  "height": 720,
  "lighting": "uv_365",
  "polarised": false,
  "wavelength_nm": 365,
  "frame_index": 812,
  "frame_metadata": {
    "virtual": true,
    "lighting": "uv_365",
    "lesion_dx": "mel",
    "white_balance_gains": [0.92, 1.0, 1.08]
  },
  "device": "virtual",
  "contact": true,
  "camera_controls": {"exposure": 8.0, "exposure.auto": false, "zoom": 150.0},
  "scale": {"mm_per_pixel": 0.0125, "width": 1920, "height": 1080, "magnification": "20x"},
  "lighting_controller": "Virtual dermatoscope",
  "sequence": {"id": "20260302T092958-3fa2c1", "modes": ["white", "uv_365"], "count": 2, "position": 2},
  "quality": {
    "passed": false,
    "problems": ["too_dark"],
    "messages": ["The picture is too dark."],
    "checks": ["focus", "exposure"],
    "scores": {"sharpness": 412.5, "brightness": 31.2, "clipped_fraction": 0.0, "glare_fraction": 0.0,
               "lesion_contrast": null},
    "thresholds": {"focus_min_laplacian_var": 60.0, "dark_mean_min": 12.0, "lesion_contrast_min": 0.04}
  },
  "quality_gate": "recorded",
  "quality_gate_overridden": false,
  "burst": {"frames": 5, "sharpness": [380.1, 412.5, 401.0, 399.9, 405.2]}
}
"""

# The first sidecars (before polarisation, wavelength and the capture controls' extras).
FIRST_SIDECAR = {
    "file": "still-0001.png",
    "sha256": "0" * 64,
    "captured_at": "2025-11-20T14:02:11.500+00:00",
    "saved_at": "2025-11-20T14:02:11.640+00:00",
    "source": "USB camera 0",
    "width": 640,
    "height": 480,
    "lighting": None,
    "frame_index": 3,
    "frame_metadata": {},
}


def frame(metadata: dict[str, object] | None = None) -> Frame:
    image = np.full((48, 64, 3), 120, np.uint8)
    image.setflags(write=False)
    return Frame(image, 3, time.monotonic(), "Virtual dermatoscope", metadata or {})


def test_a_sidecar_in_todays_format_loads_with_every_field(tmp_path: Path) -> None:
    (tmp_path / "still-0003.json").write_text(TODAYS_SIDECAR, encoding="utf-8")
    sidecar = read_sidecar(tmp_path / "still-0003.png")
    assert (sidecar.file, sidecar.width, sidecar.height, sidecar.frame_index) == (
        "still-0003.png",
        1280,
        720,
        812,
    )
    assert sidecar.captured_at == datetime(2026, 3, 2, 9, 29, 59, 875000, tzinfo=UTC)
    assert sidecar.lighting_mode is LightingMode.UV_365 and sidecar.wavelength_nm == 365
    assert sidecar.frame_metadata["white_balance_gains"] == [0.92, 1.0, 1.08]
    assert sidecar.device == "virtual" and sidecar.contact is True
    assert sidecar.camera_controls == {"exposure": 8.0, "exposure.auto": False, "zoom": 150.0}
    assert sidecar.scale is not None and sidecar.scale.magnification == "20x"
    assert sidecar.mm_per_pixel == pytest.approx(0.0125 * 1920 / 1280)  # the ruler at 1920 px across
    assert sidecar.quality is not None and sidecar.quality.problems == ["too_dark"]
    assert sidecar.quality.scores["lesion_contrast"] is None and sidecar.quality.scores["brightness"] == 31.2
    assert sidecar.quality_gate == "recorded" and not sidecar.quality_gate_overridden
    assert sidecar.burst is not None and sidecar.burst.frames == 5 and len(sidecar.burst.sharpness) == 5
    assert sidecar.sequence is not None and (sidecar.sequence.position, sidecar.sequence.count) == (2, 2)
    assert sidecar.lighting_controller == "Virtual dermatoscope"
    assert sidecar.model_extra == {}


def test_the_first_sidecars_load_with_defaults_for_what_came_later(tmp_path: Path) -> None:
    sidecar = StillSidecar.model_validate(FIRST_SIDECAR)
    assert sidecar.lighting is None and sidecar.lighting_mode is None
    assert sidecar.polarised is None and sidecar.wavelength_nm is None
    assert sidecar.scale is None and sidecar.mm_per_pixel is None and sidecar.quality is None
    assert sidecar.quality_gate_overridden is False and sidecar.device is None


def test_fields_of_a_newer_version_and_unknown_lighting_are_kept(tmp_path: Path) -> None:
    newer = {**FIRST_SIDECAR, "lighting": "infrared_850", "dermoscopy_mode": "non-contact"}
    sidecar = StillSidecar.model_validate(newer)
    assert sidecar.lighting == "infrared_850" and sidecar.lighting_mode is None
    assert sidecar.model_extra == {"dermoscopy_mode": "non-contact"}
    assert json.loads(sidecar.to_json())["dermoscopy_mode"] == "non-contact"


@pytest.mark.parametrize(
    "broken",
    [
        {"width": "wide"},
        {"sha256": "not a checksum"},
        {"captured_at": "2026-03-02T09:29:59"},  # no time zone: not when it was
        {"scale": {"mm_per_pixel": -1.0}},
        {"quality": {"problems": ["too_dark"]}},  # no verdict
    ],
)
def test_a_damaged_sidecar_is_a_value_error(tmp_path: Path, broken: dict[str, object]) -> None:
    (tmp_path / "still-0001.json").write_text(json.dumps({**FIRST_SIDECAR, **broken}))
    with pytest.raises(ValueError):
        read_sidecar(tmp_path / "still-0001.png")


def test_something_that_is_not_a_sidecar_is_a_value_error(tmp_path: Path) -> None:
    for text in ("[1, 2]", "not json", ""):
        (tmp_path / "still-0001.json").write_text(text)
        with pytest.raises(ValidationError):
            read_sidecar(tmp_path / "still-0001.png")
    with pytest.raises(OSError):
        read_sidecar(tmp_path / "still-0009.png")


def test_a_written_sidecar_has_todays_keys_and_time_format(tmp_path: Path) -> None:
    saved = StillWriter(tmp_path).save(frame({"lighting": "white"}), extra={"device": "virtual"})
    assert sidecar_path(saved.path) == saved.sidecar_path
    written = json.loads(saved.sidecar_path.read_text(encoding="utf-8"))
    assert set(written) == {
        "file",
        "sha256",
        "captured_at",
        "saved_at",
        "source",
        "width",
        "height",
        "lighting",
        "polarised",
        "wavelength_nm",
        "frame_index",
        "frame_metadata",
        "device",  # the one extra given; the others are left out, not written as null
    }
    assert written["captured_at"].endswith("+00:00") and len(written["captured_at"]) == len(
        "2026-03-02T09:29:59.875+00:00"
    )
    assert (
        written["lighting"] == "white" and written["polarised"] is False and written["wavelength_nm"] is None
    )


def test_todays_sidecar_survives_a_round_trip_unchanged(tmp_path: Path) -> None:
    sidecar = StillSidecar.model_validate_json(TODAYS_SIDECAR)
    assert json.loads(sidecar.to_json()) == json.loads(TODAYS_SIDECAR)


def test_extra_fields_of_the_wrong_type_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    writer = StillWriter(tmp_path)
    with pytest.raises(ValueError):
        writer.save(frame(), extra={"scale": {"mm_per_pixel": "small"}})
    with pytest.raises(ValueError):
        writer.save(frame(), extra={"contact": "maybe"})
    assert list(tmp_path.iterdir()) == [] and writer.next_number == 1


def test_odd_frame_metadata_is_written_as_plain_json(tmp_path: Path) -> None:
    metadata: dict[str, object] = {
        "lighting": LightingMode.NB_450,
        "gain": np.float32(1.5),
        "frames": np.int64(9),
        "clip": Path("clip.avi"),
    }
    saved = StillWriter(tmp_path).save(frame(metadata))
    sidecar = read_sidecar(saved.path)
    assert sidecar.lighting == "nb_450" and sidecar.wavelength_nm == 450
    assert sidecar.frame_metadata == {"lighting": "nb_450", "gain": 1.5, "frames": 9, "clip": "clip.avi"}
