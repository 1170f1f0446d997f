"""Which CPU instruction set OpenVINO runs on, and whether `ONEDNN_MAX_CPU_ISA` is honoured.

OpenVINO's CPU plugin (oneDNN inside) picks its kernels by the newest instruction set the CPU has; the
environment variable `ONEDNN_MAX_CPU_ISA` caps it, so one machine can run as an older CPU would. INT8
kernels differ most between sets (with or without VNNI), which is why the station checks its INT8 network
against recorded FP32 outputs at load and why `dermdesk bench consistency` measures the sets against each
other. oneDNN ignores an unknown value or one above what the CPU has without a word; this module says so.
Read once per process: oneDNN reads the variable when the first network compiles.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

VARIABLE = "ONEDNN_MAX_CPU_ISA"
OLD_VARIABLE = "DNNL_MAX_CPU_ISA"  # oneDNN's earlier name, still read by it

# oneDNN's values, oldest first, with the CPU features (numpy's names) each needs. A value whose features
# numpy cannot report (AVX-VNNI, AMX) is recognised but cannot be checked against this CPU.
ISA_FEATURES: dict[str, tuple[str, ...] | None] = {
    "SSE41": ("SSE41",),
    "AVX": ("AVX",),
    "AVX2": ("AVX2", "FMA3"),
    "AVX2_VNNI": None,
    "AVX2_VNNI_2": None,
    "AVX512_CORE": ("AVX512F", "AVX512BW", "AVX512VL", "AVX512DQ"),
    "AVX512_CORE_VNNI": ("AVX512F", "AVX512BW", "AVX512VL", "AVX512DQ", "AVX512VNNI"),
    "AVX512_CORE_BF16": ("AVX512F", "AVX512BW", "AVX512VL", "AVX512DQ", "AVX512VNNI", "AVX512BF16"),
    "AVX10_1_512": ("AVX512F", "AVX512BW", "AVX512VL", "AVX512DQ", "AVX512VNNI", "AVX512BF16", "AVX512FP16"),
    "AVX512_CORE_FP16": (
        "AVX512F",
        "AVX512BW",
        "AVX512VL",
        "AVX512DQ",
        "AVX512VNNI",
        "AVX512BF16",
        "AVX512FP16",
    ),
    "AVX10_1_512_AMX": None,
    "AVX512_CORE_AMX": None,
    "AVX10_1_512_AMX_FP16": None,
    "AVX512_CORE_AMX_FP16": None,
    "AVX10_2_512": None,
    "AVX10_2_512_AMX_2": None,
    "ALL": (),
}
# The sets a bench run emulates when the CPU has them, besides the native one.
EMULATED = ("SSE41", "AVX", "AVX2", "AVX512_CORE", "AVX512_CORE_VNNI")


def cpu_features() -> Mapping[str, bool]:
    """This CPU's features as numpy detected them at import (x86 names; empty elsewhere)."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # numpy < 2
        from numpy.core._multiarray_umath import __cpu_features__  # type: ignore[no-redef]
    features: Mapping[str, bool] = __cpu_features__
    return features


def has_isa(isa: str, features: Mapping[str, bool] | None = None) -> bool | None:
    """Whether this CPU has every feature `isa` needs; None when that cannot be told."""
    needed = ISA_FEATURES.get(isa)
    if needed is None:
        return None
    features = cpu_features() if features is None else features
    return all(features.get(name, False) for name in needed)


def native_isa(features: Mapping[str, bool] | None = None) -> str:
    """The newest set in ISA_FEATURES (that can be checked) this CPU has: what OpenVINO uses unless capped."""
    best = "none"
    for isa in ISA_FEATURES:
        if isa != "ALL" and has_isa(isa, features):
            best = isa
    return best


def emulated_isas(features: Mapping[str, bool] | None = None) -> list[str]:
    """The sets of EMULATED this CPU can run as (each at or below what it has)."""
    return [isa for isa in EMULATED if has_isa(isa, features)]


@dataclass(frozen=True)
class IsaSetting:
    """What `ONEDNN_MAX_CPU_ISA` asks for and what OpenVINO will run on."""

    requested: str | None  # the variable's value as set, None when unset
    effective: str  # the set OpenVINO runs on: the requested cap, or "native (<set>)"
    honoured: bool
    message: str  # for the log (English); "" when the variable is unset
    case: str = ""  # which message: "unknown", "all", "above", "capped", "unchecked" (the About box words it)
    native_set: str = ""  # this CPU's own instruction set ("AVX2")

    @property
    def emulating(self) -> bool:
        return self.requested is not None and self.honoured and self.requested.upper() != "ALL"


def read_isa_setting(
    environ: Mapping[str, str] | None = None, features: Mapping[str, bool] | None = None
) -> IsaSetting:
    """Interpret the cap as oneDNN will: unknown values and values above this CPU are ignored."""
    environ = os.environ if environ is None else environ
    raw = environ.get(VARIABLE) or environ.get(OLD_VARIABLE)
    native = f"native ({native_isa(features)})"
    if raw is None or not raw.strip():
        return IsaSetting(None, native, True, "")
    value = raw.strip().upper()
    if value not in ISA_FEATURES:
        return IsaSetting(
            raw,
            native,
            False,
            f"{VARIABLE}={raw} is not an instruction set OpenVINO knows "
            f"(one of {', '.join(ISA_FEATURES)}); it is ignored and the model runs on the CPU's own "
            f"({native_isa(features)})",
            "unknown",
            native_isa(features),
        )
    if value == "ALL":
        return IsaSetting(
            raw, native, True, f"{VARIABLE}=ALL: the model runs on the CPU's own instructions", "all",
            native_isa(features),
        )  # fmt: skip
    available = has_isa(value, features)
    if available is False:
        return IsaSetting(
            raw,
            native,
            False,
            f"{VARIABLE}={raw} is above what this CPU has ({native_isa(features)}); it is ignored and "
            "the model runs on the CPU's own instructions",
            "above",
            native_isa(features),
        )
    note = "" if available else " (this CPU's support for it cannot be checked)"
    return IsaSetting(
        raw, value, True, f"{VARIABLE}={raw}: the model runs as on a CPU limited to {value}{note}",
        "capped" if available else "unchecked", native_isa(features),
    )  # fmt: skip


def log_isa_setting(setting: IsaSetting) -> None:
    """Say once in the log what the cap does (a warning when it is ignored)."""
    if not setting.message:
        return
    if setting.honoured:
        log.info("%s", setting.message)
    else:
        log.warning("%s", setting.message)
