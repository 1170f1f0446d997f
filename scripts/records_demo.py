"""Demo patient records for screenshots and demonstrations — never for a clinic's data folder.

    python scripts/records_demo.py seed /tmp/demo6
    DERMDESK_USER=sam DERMDESK_PASSWORD=demo-password-1 \\
        python scripts/records_demo.py show /tmp/demo6 --patient DD-000123 [--timeline L1] [--diagnosis L2]

`seed` fills an empty data folder with three accounts (admin, doctor `dora`, staff `sam`, all with
the password printed at the end), four made-up patients, lesions placed on the body map and pictures
over several visits. The pictures are HAM10000 images of lesions photographed more than once
(`--ham10000`, default ../shared/data/ham10000; CC BY-NC-SA 4.0, see resources/CREDITS.md), or,
without that folder, the virtual dermatoscope's pictures, slightly shifted per visit.

`show` starts the station window on that folder like `dermdesk gui`, signs in from `DERMDESK_USER` /
`DERMDESK_PASSWORD` (the demonstration sign-in of `dermdesk.ui.shell.app`), and then opens a patient and,
if asked, a lesion's timeline or diagnosis form, so a screenshot tool can capture them.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_HAM = REPO.parent / "shared" / "data" / "ham10000"
DEMO_PASSWORD = "demo-password-1"

PATIENTS = [
    ("DD-000123", "Ada", "Lovelace", date(1971, 5, 17), "female", 2, True),
    ("DD-000124", "Alan", "Turing", date(1962, 6, 23), "male", 1, False),
    ("DD-000201", "Grace", "Hopper", date(1956, 12, 9), "female", 3, True),
    ("DD-000310", "Mary", "Somerville", date(1980, 12, 26), "female", 2, False),
]
# (patient, site, description, x, y, view, visits ago in days)
LESIONS = [
    ("DD-000123", "upper extremity", "right forearm (front)", 0.16, 0.45, "front", (370, 180, 0)),
    ("DD-000123", "posterior torso", "left shoulder blade (back)", 0.38, 0.27, "back", (180, 0)),
    ("DD-000123", "lower extremity", "left thigh (front)", 0.6, 0.6, "front", (0,)),
    ("DD-000124", "anterior torso", "chest (front)", 0.45, 0.28, "front", (30, 0)),
]


def ham_series(folder: Path, count: int) -> list[list[Path]]:
    """Pictures of lesions photographed at least three times, by lesion id (deterministic)."""
    by_lesion: dict[str, list[str]] = defaultdict(list)
    with (folder / "HAM10000_metadata.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["dx"] == "nv":
                by_lesion[row["lesion_id"]].append(row["image_id"])
    series = [sorted(ids) for _lesion, ids in sorted(by_lesion.items()) if len(ids) >= 3]
    return [[folder / "images" / f"{image_id}.jpg" for image_id in ids] for ids in series[:count]]


def resource_series(count: int) -> list[list[Path]]:
    pictures = sorted((REPO / "resources" / "virtual_dermatoscope").glob("*.jpg"))
    return [[pictures[index]] * 3 for index in range(count)]


def picture_bytes(path: Path, visit: int) -> bytes:
    """The picture as PNG; a repeated file is shifted a little per visit, as a retake would be."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if visit:
        shift = np.float32([[1, 0, 3 * visit], [0, 1, -2 * visit]])
        image = cv2.warpAffine(image, shift, (image.shape[1], image.shape[0]), borderMode=cv2.BORDER_REFLECT)
    ok, encoded = cv2.imencode(".png", image)
    assert ok
    return encoded.tobytes()


def seed(data_dir: Path, ham: Path) -> None:
    from dermdesk.records import (
        CaptureMetadata,
        CaptureRequest,
        NewDiagnosis,
        NewLesion,
        NewPatient,
        Records,
    )
    from dermdesk.settings import load_settings

    settings = load_settings(data_dir=data_dir).settings
    with Records.open(settings) as records:
        if not records.users.needs_first_admin():
            sys.exit(f"{data_dir} already has accounts; seed an empty folder")
        admin = records.users.create_first_admin("admin", "Clinic Admin", DEMO_PASSWORD)
        staff = records.users.add(admin, "sam", "Sam Staff", "staff", DEMO_PASSWORD)
        doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", DEMO_PASSWORD)
        for number, given, family, born, sex, skin, consent in PATIENTS:
            new = NewPatient(number, given, family, born, sex, skin, None, consent)
            records.patients.register(staff, new)
        found = (ham / "HAM10000_metadata.csv").is_file()
        series = ham_series(ham, len(LESIONS)) if found else resource_series(len(LESIONS))
        today = datetime.now(UTC).replace(hour=9, minute=40, second=0, microsecond=0)
        for (number, site, detail, x, y, view, visits), pictures in zip(LESIONS, series, strict=True):
            new_lesion: NewLesion | None = NewLesion(site, detail, x, y, view)  # placed at the first visit
            label = None
            for index, days_ago in enumerate(visits):
                metadata = CaptureMetadata(
                    camera="Virtual dermatoscope",
                    lighting_mode="white_polarised",
                    polarised=True,
                    contact=True,
                    magnification=10.0,
                    captured_at=today - timedelta(days=days_ago, minutes=5 * index),
                    quality_scores={"sharpness": 640.0},
                )
                image = picture_bytes(pictures[index % len(pictures)], index if not found else 0)
                placed = new_lesion if label is None else None
                request = CaptureRequest(number, image, label, placed, metadata)
                label = records.captures.save(staff, request).lesion_label
        records.diagnoses.record(
            doctor,
            "DD-000123",
            "L2",
            NewDiagnosis("follow-up", dx_code="nv", notes="Unchanged since the last visit."),
            sign_off_password=DEMO_PASSWORD,
        )
    source = f"HAM10000 lesions from {ham}" if found else "the virtual dermatoscope's pictures"
    print(f"Seeded {data_dir} with {len(PATIENTS)} patients and pictures from {source}.")
    print(f"Accounts: admin, dora (doctor), sam (staff); password for all: {DEMO_PASSWORD}")


def show(data_dir: Path, patient: str | None, timeline: str | None, diagnosis: str | None) -> int:
    from dermdesk.context import CommandContext
    from dermdesk.logs import setup_logging
    from dermdesk.settings import load_settings
    from dermdesk.source_spec import SourceSpec
    from dermdesk.ui.shell.app import application, demo_credentials
    from dermdesk.ui.shell.main_window import MainWindow
    from dermdesk.ui.shell.records_station import RecordsStation

    loaded = load_settings(data_dir=data_dir)
    settings = loaded.settings
    ctx = CommandContext(settings, loaded.store, setup_logging(settings.logs_dir), loaded.notices)
    app = application()
    window = MainWindow(ctx, SourceSpec.parse("virtual"))
    station = RecordsStation(window, auto_credentials=demo_credentials())

    def open_views() -> None:
        if patient is None or station.dock.open_patient(patient) is None:
            return
        page = station.dock.patient_page
        for label, opener in ((timeline, station.open_timeline), (diagnosis, station.open_diagnosis)):
            lesion = page.lesion(label) if label else None
            if lesion is not None:
                page.select_lesion(lesion.label)
                opened = opener(patient, lesion)
                opened.move(window.x() + 120, window.y() + 160)

    station.session.sig_signed_in.connect(lambda _user: open_views())
    window.show()
    return app.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed", help="fill an empty data folder with demo records")
    seeding.add_argument("data_dir", type=Path)
    seeding.add_argument("--ham10000", type=Path, default=DEFAULT_HAM)
    showing = commands.add_parser("show", help="start the station on a demo folder and open a patient")
    showing.add_argument("data_dir", type=Path)
    showing.add_argument("--patient")
    showing.add_argument("--timeline", metavar="LESION")
    showing.add_argument("--diagnosis", metavar="LESION")
    args = parser.parse_args()
    if args.command == "seed":
        seed(args.data_dir, args.ham10000)
        return 0
    return show(args.data_dir, args.patient, args.timeline, args.diagnosis)


if __name__ == "__main__":
    sys.exit(main())
