"""`dermdesk selftest`: is this installation whole? For installers and support staff, and the frozen build.

Each check exercises one part of the station end to end, with the files actually shipped: the model
package is verified against its checksums, the bundled sample pictures are classified with it, a scratch
database (SQLite in a throw-away folder, never the clinic's records) files one of those pictures with its
prediction, and a visit report is rendered from that database to a PDF and read back. A check that fails
records its one-line reason and the later checks that depend on it are reported as skipped, so the
summary always names the first thing that is broken.

Qt-free: the `selftest` command adds a check of the window toolkit on top (`extra_checks`).
"""

from __future__ import annotations

import logging
import math
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

PASSED = "pass"
FAILED = "fail"
SKIPPED = "skipped"

SCRATCH_PASSWORD = "selftest-password-0"
SCRATCH_RECORD = "SELFTEST-0001"
MIN_AGREEMENT = 0.5
"""Share of sample pictures whose top diagnosis must match the confirmed one (the shipped model: 30 of 36,
without test-time augmentation). Well below that means the model runs but computes nonsense, e.g. a
runtime plugin that does not match the one the package was verified with."""


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome: pass, fail or skipped, with what it found or why it failed."""

    name: str
    status: str
    detail: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail, "seconds": self.seconds}


@dataclass
class SelftestReport:
    """Every check in order; `passed` only when none failed or was skipped."""

    checks: list[CheckResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.status == PASSED for check in self.checks)

    def lines(self) -> list[str]:
        width = max((len(check.name) for check in self.checks), default=0)
        out = [f"{check.status.upper():7} {check.name:{width}}  {check.detail}" for check in self.checks]
        failed = sum(check.status != PASSED for check in self.checks)
        total = len(self.checks)
        out.append("Self-test passed." if self.passed else f"Self-test FAILED: {failed} of {total} checks.")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "checks": [check.to_json() for check in self.checks]}


@dataclass
class _State:
    """What the checks hand on to each other."""

    settings: DermDeskSettings
    scratch: Path
    package: Any = None
    classified: list[tuple[Path, Any]] = field(default_factory=list)
    records: Any = None
    doctor: Any = None


Check = Callable[[_State], str]
"""A check: does its work and returns a one-line summary; raises with a readable message on failure."""


def check_model(state: _State) -> str:
    from dermdesk.inference.trust import active_folder, active_package

    folder = active_folder(state.settings.model_dir)
    state.package = active_package(folder, state.settings.update_public_key)
    files = len(state.package.manifest.sha256)
    return (
        f"{state.package.name} {state.package.version} from {folder}: signed by a trusted key, {files} files "
        "match their checksums "
        f"(manifest sha256 {state.package.manifest_sha256[:12]}…)"
    )


def check_classifier(state: _State) -> str:
    import cv2
    import numpy as np

    from dermdesk.capture.virtual_dermatoscope import default_lesion_dir, load_lesions
    from dermdesk.inference.precision import open_station_classifier

    classifier = open_station_classifier(state.package)
    lesions = load_lesions(default_lesion_dir())
    agree = 0
    for lesion in lesions:
        bgr = cv2.imread(str(lesion.file), cv2.IMREAD_COLOR)
        if bgr is None:
            raise RuntimeError(f"the sample picture {lesion.file.name} cannot be read")
        classification = classifier.classify(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), tta=False)
        probabilities = classifier.probabilities_of(classification)
        if probabilities is None or not np.all(np.isfinite(probabilities)):
            raise RuntimeError(f"{lesion.file.name}: the model gave no usable probabilities")
        if not math.isclose(float(probabilities.sum()), 1.0, abs_tol=1e-3):
            raise RuntimeError(f"{lesion.file.name}: probabilities sum to {probabilities.sum():.4f}, not 1")
        top = state.package.class_codes[int(np.argmax(probabilities))]
        agree += top == lesion.dx
        state.classified.append((lesion.file, classification))
    if agree < MIN_AGREEMENT * len(lesions):
        raise RuntimeError(
            f"the top diagnosis matches the confirmed one for only {agree} of {len(lesions)} sample "
            "pictures: the model or its runtime is not working as shipped"
        )
    return (
        f"{len(lesions)} sample pictures classified on the CPU ({classifier.precision.upper()}); the top "
        f"diagnosis matches the confirmed one for {agree} of them"
    )


def check_records(state: _State) -> str:
    import cv2

    from dermdesk.records import (
        CaptureMetadata,
        CaptureRequest,
        NewLesion,
        NewPatient,
        PredictionInput,
        Records,
    )

    settings = state.settings.model_copy(
        update={"data_dir": state.scratch / "data", "database_url": None, "image_store": None}
    )
    state.settings = settings
    state.records = Records.open(settings)
    records = state.records
    admin = records.users.create_first_admin("selftest-admin", "Self-test administrator", SCRATCH_PASSWORD)
    staff = records.users.add(admin, "selftest-staff", "Self-test staff", "staff", SCRATCH_PASSWORD)
    state.doctor = records.users.add(admin, "selftest-doctor", "Dr Self Test", "doctor", SCRATCH_PASSWORD)
    records.patients.register(
        staff, NewPatient(SCRATCH_RECORD, "Self", "Test", date(1970, 1, 1), "female", fitzpatrick=2)
    )
    with_assessment = [(f, c) for f, c in state.classified if c.assessment is not None]
    if not with_assessment:
        raise RuntimeError("no sample picture passed the model's gate, so there is nothing to file")
    picture, classification = with_assessment[0]
    still = cv2.imread(str(picture), cv2.IMREAD_COLOR)
    ok, png = (False, None) if still is None else cv2.imencode(".png", still)
    if not ok or png is None:
        raise RuntimeError(f"{picture.name} cannot be encoded as PNG")
    result = records.captures.save(
        staff,
        CaptureRequest(
            SCRATCH_RECORD,
            png.tobytes(),
            new_lesion=NewLesion("upper extremity", "right forearm", 0.2, 0.45, "front"),
            metadata=CaptureMetadata("selftest", "white_polarised", mm_per_px=0.02),
            prediction=PredictionInput.from_assessment(classification.assessment, state.package.summary),
        ),
    )
    integrity = records.integrity_check(verify_hashes=True)
    if not integrity.consistent or integrity.rows_checked < 1:
        found = integrity.lines() or ["no image row was checked"]
        raise RuntimeError(f"the scratch database fails its integrity check: {found[0]}")
    return f"scratch SQLite database opened, {picture.name} filed as {result.lesion_label}, integrity ok"


def check_report(state: _State) -> str:
    from dermdesk.records import parse_visit
    from dermdesk.reports import render_visit_report, visit_report_data
    from dermdesk.reports.preview import page_count

    report = visit_report_data(
        state.records, state.doctor, SCRATCH_RECORD, parse_visit("latest"), state.settings
    )
    pdf = render_visit_report(report)
    if not pdf.startswith(b"%PDF"):
        raise RuntimeError("the rendered report is not a PDF")
    pages = page_count(pdf)
    korean = _korean_report(state)
    return (
        f"visit report rendered ({len(pdf) // 1024} KiB, {pages} page(s), read back with pdfium); "
        f"in Korean too ({korean} page(s))"
    )


def _korean_report(state: _State) -> int:
    """The same report in Korean: the installation ships the catalogue, the glossary and Babel's data."""
    from dermdesk.i18n import translations
    from dermdesk.records import parse_visit
    from dermdesk.reports import render_visit_report, visit_report_data
    from dermdesk.reports.preview import page_count

    if translations("ko").gettext("Dermatology visit report") == "Dermatology visit report":
        raise RuntimeError("the Korean translations are missing from this installation (dermdesk.mo)")
    report = visit_report_data(
        state.records, state.doctor, SCRATCH_RECORD, parse_visit("latest"), state.settings, language="ko"
    )
    return page_count(render_visit_report(report))


CORE_CHECKS: tuple[tuple[str, Check], ...] = (
    ("model", check_model),
    ("classify", check_classifier),
    ("records", check_records),
    ("report", check_report),
)


def run_selftest(
    settings: DermDeskSettings,
    extra_checks: Sequence[tuple[str, Callable[[], str]]] = (),
    progress: Callable[[CheckResult], None] | None = None,
) -> SelftestReport:
    """Run every check in a throw-away folder; the user's own records are never opened."""
    report = SelftestReport()
    with tempfile.TemporaryDirectory(prefix="dermdesk-selftest-") as scratch:
        state = _State(settings=settings, scratch=Path(scratch))
        try:
            broken: str | None = None
            for name, check in CORE_CHECKS:
                result = _run_one(name, lambda c=check: c(state), broken)  # type: ignore[misc]
                broken = broken or (name if result.status != PASSED else None)
                _record(report, result, progress)
        finally:
            if state.records is not None:
                state.records.close()
    for name, extra in extra_checks:
        _record(report, _run_one(name, extra, None), progress)
    return report


def _run_one(name: str, work: Callable[[], str], broken: str | None) -> CheckResult:
    if broken is not None:
        return CheckResult(name, SKIPPED, f"not run: the {broken} check failed", 0.0)
    started = time.perf_counter()
    try:
        detail = work()
        status = PASSED
    except Exception as exc:  # every failure is reported, with its reason, as this check's result
        log.exception("Self-test check %s failed", name)
        detail = f"{type(exc).__name__}: {exc}"
        status = FAILED
    return CheckResult(name, status, detail, round(time.perf_counter() - started, 3))


def _record(
    report: SelftestReport, result: CheckResult, progress: Callable[[CheckResult], None] | None
) -> None:
    report.checks.append(result)
    if progress is not None:
        progress(result)
