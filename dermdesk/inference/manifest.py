"""The model manifest (`manifest.json`) as a typed, validated model.

Everything the station needs to turn pixels into advice is typed here and checked when a package loads;
what only training and the model card read (metrics, training history, the central comparison) travels
along as extra fields, kept exactly as written. Those extra fields are a closed list per format version
(`INFORMATIONAL`, `_Section.informational`): a field this DermDesk does not know in a manifest of its own
format version is refused (an edited package could otherwise smuggle settings past review), while a
newer format version is refused by its version number before any field is looked at. Producers
(training, central retraining) may still build a plain dict: `write_manifest` validates it through this
model before anything reaches the disk.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dermdesk.i18n import _

FORMAT_VERSION = 1


INFORMATIONAL = frozenset(
    {
        "created",
        "precision_choice",
        "licence",
        "training_data",
        "training",
        "calibration_report",
        "metrics",
        "quantisation",
        "consistency",
        "central_comparison",
        "targets",  # model 2: every clinical target with its interval (issue 24)
        "limits",  # who the model barely knows (acral sites, darker skin), shown beside its advice
    }
)
"""Top-level fields of format 1 that only people, training and the model card read; kept as written."""


def _refuse_unknown(extra: dict[str, Any] | None, known: frozenset[str], where: str) -> None:
    unknown = sorted(set(extra or {}) - known)
    if unknown:
        known_to = f"this DermDesk does not know for format {FORMAT_VERSION}"
        raise ValueError(
            ("{where} has fields {known_to}: {value}").format(
                where=where, known_to=known_to, value=", ".join(unknown)
            )
        )


class _Section(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    informational: ClassVar[frozenset[str]] = frozenset()  # extra fields this section may carry

    @model_validator(mode="after")
    def _only_known_extras(self) -> Any:
        _refuse_unknown(self.model_extra, self.informational, "a section of the manifest")
        return self


class ClassEntry(_Section):
    code: str
    name: str


class GroupEntry(_Section):
    code: str
    name: str
    classes: tuple[str, ...]
    reassuring: bool


class InputSection(_Section):
    informational: ClassVar[frozenset[str]] = frozenset({"crop"})
    size: int = Field(gt=0)
    layout: str = "NCHW"
    colour_order: str = "RGB"
    mean: tuple[float, float, float]
    scale: tuple[float, float, float]
    colour_constancy: str = "none"


class CalibrationSection(_Section):
    informational: ClassVar[frozenset[str]] = frozenset({"method"})
    logit_adjustment: tuple[float, ...]
    temperature: float = Field(gt=0)
    prior_power: float | None = None
    train_prior: tuple[float, ...] | None = None
    natural_prior: tuple[float, ...] | None = None


class ReferralSection(_Section):
    informational: ClassVar[frozenset[str]] = frozenset(
        {"target_malignant_referred", "validation_malignant_referred", "validation_benign_referred"}
    )
    thresholds: dict[str, float]
    min_top_probability: float = 0.5
    target_sensitivity: float | None = None


class GateSection(_Section):
    informational: ClassVar[frozenset[str]] = frozenset({"method"})
    weights: tuple[float, ...]
    bias: float
    threshold: float
    dark_luma: float
    metrics: dict[str, Any] = Field(default_factory=dict)


class ReferencePicture(_Section):
    """What the publisher's networks gave one reference picture: calibrated probabilities, no TTA."""

    fp32: tuple[float, ...] | None = None
    int8: tuple[float, ...] | None = None
    model: tuple[float, ...] | None = None  # packages before FP32 was recorded: the shipped precision's


class ReferenceSection(_Section):
    """Public pictures shipped in the package with the outputs they must reproduce.

    `int8_tolerance`: how much further INT8 on a station's CPU may be from the recorded FP32 output, for
    any picture and class, than INT8 was on the publisher's CPU; beyond it the station runs FP32.
    """

    pictures: dict[str, ReferencePicture]
    int8_tolerance: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_first_format(cls, value: Any) -> Any:
        """Packages published before this format held ``{picture: [probabilities]}`` of the shipped
        precision: read them as such rather than refuse a package a clinic already installed."""
        if isinstance(value, dict) and "pictures" not in value:
            return {"pictures": {name: {"model": probs} for name, probs in value.items()}}
        return value


class ModelManifest(BaseModel):
    """A model package's manifest; unknown top-level fields (metrics, training, …) are kept as written."""

    model_config = ConfigDict(extra="allow", frozen=True)

    format_version: int
    name: str
    version: str
    architecture: str = "efficientnet-lite0"
    precision: str = "int8"
    classes: tuple[ClassEntry, ...] = Field(min_length=2)
    groups: tuple[GroupEntry, ...]
    input: InputSection
    outputs: dict[str, Any] = Field(default_factory=dict)
    calibration: CalibrationSection
    referral: ReferralSection
    files: dict[str, str]
    sha256: dict[str, str]
    extra_files: tuple[str, ...] = ()
    gate: GateSection | None = None
    reference: ReferenceSection | None = None

    @field_validator("precision")
    @classmethod
    def _known_precision(cls, value: str) -> str:
        if value not in ("int8", "fp32"):
            raise ValueError(f"precision {value!r} is neither int8 nor fp32")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ModelManifest:
        _refuse_unknown(self.model_extra, INFORMATIONAL, "the manifest")
        codes = [c.code for c in self.classes]
        if len(self.calibration.logit_adjustment) != len(codes):
            raise ValueError(
                f"calibration has {len(self.calibration.logit_adjustment)} values for {len(codes)} classes"
            )
        for group in self.groups:
            unknown = set(group.classes) - set(codes)
            if unknown:
                raise ValueError(
                    _("group {code} names unknown classes {value}").format(
                        code=group.code, value=", ".join(sorted(unknown))
                    )
                )
        unknown = set(self.referral.thresholds) - set(codes)
        if unknown:
            raise ValueError(
                _("referral thresholds for unknown classes {value}").format(value=", ".join(sorted(unknown)))
            )
        return self

    @property
    def class_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.classes)

    @property
    def display_names(self) -> dict[str, str]:
        return {c.code: c.name for c in self.classes}

    def extra(self, key: str, default: Any = None) -> Any:
        """A field only training or the card writes (``metrics``, ``training``, ``central_comparison``…)."""
        return (self.model_extra or {}).get(key, default)

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready copy to edit and write back with `write_manifest`."""
        data: dict[str, Any] = self.model_dump(mode="json")
        for key in ("gate", "reference"):  # absent rather than null, as producers write them
            if data.get(key) is None:
                data.pop(key, None)
        return data
