"""Which network a station runs: INT8 where it behaves on this CPU as published, FP32 where it does not.

INT8 kernels differ between CPUs (with or without VNNI, AVX-512, AMX), so the same picture could get
other advice on two clinic PCs. At every load the package's reference pictures go through INT8 and are
compared with their recorded FP32 outputs; beyond the package's tolerance this CPU runs FP32, which
computes the same everywhere we measured. The choice is logged and shown in About.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from dermdesk.i18n import _
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.cpu_isa import IsaSetting, log_isa_setting, read_isa_setting
from dermdesk.inference.package import ModelPackage
from dermdesk.inference.reference import INT8_CPU_MARGIN, int8_excess, probabilities

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrecisionChoice:
    """What this station runs and why, in words for the log and the About box."""

    package: str  # name-version
    precision: str  # "int8" or "fp32"
    reason: str
    isa: IsaSetting
    worst_difference: float | None = None  # INT8's extra distance from recorded FP32 here, when checked
    tolerance: float | None = None

    @property
    def fell_back(self) -> bool:
        return self.worst_difference is not None and self.precision == "fp32"


_lock = threading.Lock()
_last: PrecisionChoice | None = None


def last_choice() -> PrecisionChoice | None:
    """The most recent choice made in this process (None before any model was loaded)."""
    with _lock:
        return _last


def _remember(choice: PrecisionChoice) -> PrecisionChoice:
    global _last
    with _lock:
        _last = choice
    return choice


def int8_difference(package: ModelPackage, int8: LesionClassifier) -> tuple[float, float] | None:
    """How much further from the recorded FP32 outputs INT8 is on this CPU than it was for the publisher
    (the largest over the reference pictures and classes), and the package's tolerance for it; None when
    the package records no FP32 outputs to compare with."""
    reference = package.manifest.reference
    if reference is None:
        return None
    pictures = {name: p for name, p in reference.pictures.items() if p.fp32 is not None}
    if not pictures:
        return None
    tolerance = reference.int8_tolerance if reference.int8_tolerance is not None else INT8_CPU_MARGIN
    worst = max(int8_excess(probabilities(int8, package.root / n), p) for n, p in pictures.items())
    return max(worst, 0.0), tolerance


def open_station_classifier(package: ModelPackage, cache_dir: Path | None = None) -> LesionClassifier:
    """The classifier this station should use for `package`, with the choice remembered and logged."""
    isa = read_isa_setting()
    log_isa_setting(isa)
    label = f"{package.name}-{package.version}"
    if package.manifest.precision == "fp32" or "int8" not in package.manifest.files:
        classifier = LesionClassifier(package, precision="model", cache_dir=cache_dir)
        _remember(PrecisionChoice(label, classifier.precision, _("the package ships FP32"), isa))
        return classifier
    int8 = LesionClassifier(package, precision="int8", cache_dir=cache_dir)
    measured = int8_difference(package, int8)
    if measured is None:
        log.warning(
            "Model %s has no reference inputs with FP32 outputs: INT8 is used without checking that it "
            "behaves on this CPU as published",
            label,
        )
        _remember(PrecisionChoice(label, "int8", _("unchecked, the package has no reference inputs"), isa))
        return int8
    worst, tolerance = measured
    if worst <= tolerance:
        log.info(
            "Model %s: INT8 on the reference inputs is as close to FP32 as published (+%.3f, at most %.3f)",
            label,
            worst,
            tolerance,
        )
        count = len(package.manifest.reference.pictures) if package.manifest.reference else 0
        reason = _(
            "on the package's {count} reference pictures its outputs are as close to the recorded FP32 "
            "outputs as the publisher's (within {worst}; tolerance {tolerance})"
        ).format(count=count, worst=f"{worst:.3f}", tolerance=f"{tolerance:.3f}")
        _remember(PrecisionChoice(label, "int8", reason, isa, worst, tolerance))
        return int8
    log.warning(
        "Model %s: INT8 departs from the recorded FP32 outputs by %.3f more on this CPU than as published "
        "(tolerance %.3f); running FP32 so that advice matches other stations",
        label,
        worst,
        tolerance,
    )
    reason = _(
        "INT8 on this CPU departs from the recorded FP32 outputs by {worst} more than the publisher's "
        "INT8 (tolerance {tolerance}), so this CPU runs FP32"
    ).format(worst=f"{worst:.3f}", tolerance=f"{tolerance:.3f}")
    _remember(PrecisionChoice(label, "fp32", reason, isa, worst, tolerance))
    return LesionClassifier(package, precision="fp32", cache_dir=cache_dir)
