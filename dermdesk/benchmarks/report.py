"""`dermdesk bench report`: seconds to generate a typical visit report, from the records to PDF bytes.

"Typical" is the issue's case: five lesions, each photographed at this visit in two lights (white
cross-polarised and UV, 1280×720 PNG stills as the station files them) with the model's prediction
and a doctor's diagnosis, and at a previous visit (so each lesion shows three pictures). The records
live in a throw-away SQLite station with the default clinic settings; the pictures are the virtual
dermatoscope's. Each run gathers the facts (records reads, pictures read, verified, scaled and
re-encoded) and lays out the PDF, as the report dialog and `dermdesk report` do. The first run also
loads the fonts; it is reported apart.
"""

from __future__ import annotations

import io
import logging
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from dermdesk.benchmarks import BenchOptions
from dermdesk.records import (
    CaptureMetadata,
    CaptureRequest,
    NewDiagnosis,
    NewLesion,
    NewPatient,
    PredictionInput,
    Records,
    UserInfo,
)
from dermdesk.reports import render_visit_report, visit_report_data
from dermdesk.reports.preview import page_count
from dermdesk.resources import resource_path
from dermdesk.settings import DermDeskSettings

logger = logging.getLogger(__name__)

LESIONS = 5
STILL_SIZE = (1280, 720)
DEFAULT_RUNS = 5
GOAL_S = 2.0
PASSWORD = "benchmark password 1"
PICTURES = resource_path("virtual_dermatoscope")
PROBABILITIES = {"nv": 0.64, "mel": 0.18, "bkl": 0.09, "bcc": 0.04, "akiec": 0.03, "df": 0.01, "vasc": 0.01}


class _Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=90)

    def __call__(self) -> datetime:
        return self.now


def _still(index: int) -> bytes:
    files = sorted(PICTURES.glob("*.jpg"))
    with Image.open(files[index % len(files)]) as image:
        out = io.BytesIO()
        image.convert("RGB").resize(STILL_SIZE).save(out, format="PNG")
    return out.getvalue()


def _prediction() -> PredictionInput:
    ranking = sorted(PROBABILITIES, key=lambda code: PROBABILITIES[code], reverse=True)
    return PredictionInput("dermdesk-lesion", "bench", "0" * 64, PROBABILITIES, ranking, "benign_mole", False)


def seed(records: Records, clock: _Clock) -> tuple[UserInfo, str]:
    """A doctor and a patient with LESIONS lesions over two visits; the doctor and the record number."""
    admin = records.users.create_first_admin("admin", "Administrator", PASSWORD)
    staff = records.users.add(admin, "staff", "Staff Member", "staff", PASSWORD)
    doctor = records.users.add(admin, "doctor", "Dr Bench Mark", "doctor", PASSWORD)
    number = "BENCH-0001"
    records.patients.register(staff, NewPatient(number, "Ada", "Lovelace", date(1971, 5, 17), "female", 2))
    for index in range(LESIONS):
        records.captures.save(
            staff,
            CaptureRequest(
                number,
                _still(index),
                new_lesion=NewLesion("upper extremity", None, 0.2 + 0.1 * index, 0.4, "front"),
                metadata=CaptureMetadata("virtual", "white_polarised", mm_per_px=0.02, captured_at=clock.now),
                prediction=_prediction(),
            ),
        )
    clock.now += timedelta(days=60)
    for index in range(LESIONS):
        label = f"L{index + 1}"
        for offset, light in ((10, "white_polarised"), (20, "uv_365")):
            records.captures.save(
                staff,
                CaptureRequest(
                    number,
                    _still(index + offset),
                    lesion_label=label,
                    metadata=CaptureMetadata("virtual", light, mm_per_px=0.02, captured_at=clock.now),
                    prediction=_prediction() if light == "white_polarised" else None,
                ),
            )
        records.diagnoses.record(
            doctor, number, label, NewDiagnosis("clinical", dx_code="nv", notes="Stable.")
        )
    return doctor, number


def run(options: BenchOptions) -> dict[str, Any]:
    runs = DEFAULT_RUNS if options.seconds is None else max(2, int(options.seconds))
    with tempfile.TemporaryDirectory(prefix="dermdesk-bench-report-") as folder:
        settings = DermDeskSettings(data_dir=Path(folder), paper_size=options.settings.paper_size)
        clock = _Clock()
        with Records.open(settings, clock=clock) as records:
            doctor, number = seed(records, clock)
            gather, layout, pdf = [], [], b""
            for attempt in range(runs):
                started = time.perf_counter()
                report = visit_report_data(records, doctor, number, None, settings)
                gathered = time.perf_counter()
                pdf = render_visit_report(report)
                gather.append(gathered - started)
                layout.append(time.perf_counter() - gathered)
                logger.info("Report run %d: %.3f s", attempt + 1, gather[-1] + layout[-1])
    totals = [g + lay for g, lay in zip(gather, layout, strict=True)]
    warm = totals[1:]
    return {
        "lesions": LESIONS,
        "pictures": LESIONS * 3,
        "still_size": f"{STILL_SIZE[0]}x{STILL_SIZE[1]} PNG",
        "pages": page_count(pdf),
        "pdf_kib": round(len(pdf) / 1024),
        "runs": runs,
        "first_run_s": round(totals[0], 3),
        "median_s": round(statistics.median(warm), 3),
        "worst_s": round(max(warm), 3),
        "median_gather_s": round(statistics.median(gather[1:]), 3),
        "median_layout_s": round(statistics.median(layout[1:]), 3),
        "goal_s": GOAL_S,
        "goal_met": max(totals) < GOAL_S,
    }
