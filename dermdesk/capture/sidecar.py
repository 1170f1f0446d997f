"""The still's JSON sidecar (``still-0001.json`` beside ``still-0001.png``) as one typed model.

``StillWriter`` writes it; the station reads it back when a still is filed to a lesion, measured or
analysed again. Everything that reads a sidecar goes through ``read_sidecar`` and the model's
attributes, never through the JSON's keys.

What a sidecar holds:

- always, from the writer: the PNG's name and SHA-256, when the frame was captured and the still saved
  (UTC, ISO 8601 with milliseconds), the source, the size, the lighting mode's value (None when unknown;
  a value this version does not know is kept as written), the frame's index and its metadata;
  ``polarised`` and ``wavelength_nm`` since they were added (the first sidecars lack them);
- when the station knows them: the camera (``device``), contact or not, the camera controls, the ruler
  scale, the quality report and whether its gate was overridden, the burst it was chosen from, the
  lighting controller and the lighting sequence.

Compatible both ways: sidecars written before a field existed load with its default, and fields this
version does not know are kept (``model_extra``) rather than refused. The JSON written is the same as
before the model existed: absent optional fields are left out, times keep their ``+00:00`` form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, field_serializer

from dermdesk.capture.lighting import LightingMode

__all__ = [
    "StillBurst",
    "StillQuality",
    "StillScale",
    "StillSequence",
    "StillSidecar",
    "read_sidecar",
    "sidecar_path",
]


class _SidecarPart(BaseModel):
    """Read-only once loaded; unknown fields (written by a newer version) are kept, not refused."""

    model_config = ConfigDict(frozen=True, extra="allow")


class StillScale(_SidecarPart):
    """The ruler calibration in use when the still was taken."""

    mm_per_pixel: float = Field(gt=0)
    width: int | None = Field(default=None, gt=0)  # of the frames the ruler was measured on
    height: int | None = Field(default=None, gt=0)
    magnification: str = "default"


class StillQuality(_SidecarPart):
    """The quality gate's report on the still (``QualityReport.to_dict``)."""

    passed: bool
    problems: list[str] = Field(default_factory=list)
    messages: list[str] = Field(default_factory=list)
    checks: list[str] = Field(default_factory=list)
    scores: dict[str, float | None] = Field(default_factory=dict)
    thresholds: dict[str, float | None] = Field(default_factory=dict)


class StillBurst(_SidecarPart):
    """The burst the still was chosen from: its size and each frame's sharpness, in order."""

    frames: int = Field(ge=1)
    sharpness: list[float] = Field(default_factory=list)


class StillSequence(_SidecarPart):
    """The lighting sequence the still belongs to, and its place in it (1-based)."""

    id: str
    modes: list[str] = Field(default_factory=list)
    count: int = Field(ge=1)
    position: int = Field(ge=1)


class StillSidecar(_SidecarPart):
    """How one still was taken; see the module docstring."""

    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    captured_at: AwareDatetime
    saved_at: AwareDatetime
    source: str
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    lighting: str | None
    polarised: bool | None = None
    wavelength_nm: int | None = None
    frame_index: int
    frame_metadata: dict[str, JsonValue] = Field(default_factory=dict)

    device: str | None = None
    contact: bool | None = None
    camera_controls: dict[str, float | bool] | None = None
    scale: StillScale | None = None
    quality: StillQuality | None = None
    quality_gate: str | None = None  # "applied" (checked before saving) or "recorded" (sequences)
    quality_gate_overridden: bool = False
    burst: StillBurst | None = None
    lighting_controller: str | None = None
    sequence: StillSequence | None = None

    @field_serializer("captured_at", "saved_at")
    def _iso_milliseconds(self, moment: datetime) -> str:
        return moment.isoformat(timespec="milliseconds")

    @property
    def lighting_mode(self) -> LightingMode | None:
        """The lighting as a LightingMode; None when unknown or a value this version does not know."""
        try:
            return LightingMode(self.lighting)
        except ValueError:
            return None

    @property
    def mm_per_pixel(self) -> float | None:
        """The ruler scale at this still's size (it may have been measured at another frame size)."""
        if self.scale is None:
            return None
        if self.scale.width is None:
            return self.scale.mm_per_pixel
        return self.scale.mm_per_pixel * self.scale.width / self.width

    @classmethod
    def from_fields(cls, fields: Mapping[str, object]) -> StillSidecar:
        """The sidecar of ``fields`` (the writer's and the caller's); ValueError when one is invalid."""
        return cls.model_validate(dict(fields))

    def to_json(self) -> bytes:
        """The sidecar file's bytes: indented JSON, ASCII, only the fields that were given."""
        return json.dumps(self.model_dump(mode="json", exclude_unset=True), indent=2).encode("ascii")


def sidecar_path(still: Path) -> Path:
    """The sidecar's path for a still (``still-0001.png`` or the ``.json`` itself)."""
    return still.with_suffix(".json")


def read_sidecar(still: Path) -> StillSidecar:
    """The sidecar of a still (``still-0001.png`` or its ``.json``).

    OSError when it cannot be read; ValueError (pydantic's ValidationError) when it is not a sidecar.
    """
    return StillSidecar.model_validate_json(sidecar_path(still).read_bytes())
