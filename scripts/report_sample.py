"""A sample visit report and referral letter from made-up records, for the README and for looking at.

    python scripts/report_sample.py /tmp/report-sample [--ham10000 ../shared/data/ham10000] [--paper A4]

Fills an empty data folder with a doctor, a member of staff and one made-up patient whose lesions
were photographed at two visits six months apart (HAM10000 pictures of lesions photographed more than
once — CC BY-NC-SA 4.0, see resources/CREDITS.md — or the virtual dermatoscope's without that folder;
this visit's second picture is the virtual dermatoscope's UV look of the first). Each white-light
picture is classified with the shipped model package when there is one, and filed with its
prediction. The doctor diagnoses, signs the report off, and writes a referral letter. The folder then
holds `report.pdf`, `referral.pdf` and `report-page-1.png` (with `pdftoppm`, when installed).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_HAM = REPO.parent / "shared" / "data" / "ham10000"
PASSWORD = "sample-password-1"
MM_PER_PX = 0.025  # a 600-pixel-wide dermoscopy picture covers about 15 mm
# (dx of the HAM10000 lesion, ISIC site, description, body-map x, y, view)
LESIONS = [
    ("nv", "upper extremity", "right forearm", 0.16, 0.45, "front"),
    ("mel", "posterior torso", "left shoulder blade", 0.38, 0.27, "back"),
]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def ham_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """For each wanted diagnosis, the first lesion photographed at least twice: two of its pictures."""
    by_lesion: dict[tuple[str, str], list[str]] = defaultdict(list)
    with (folder / "HAM10000_metadata.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_lesion[(row["dx"], row["lesion_id"])].append(row["image_id"])
    pairs = []
    for dx, *_ in LESIONS:
        ids = next(sorted(v) for (code, _), v in sorted(by_lesion.items()) if code == dx and len(v) >= 2)
        pairs.append((folder / "images" / f"{ids[0]}.jpg", folder / "images" / f"{ids[1]}.jpg"))
    return pairs


def resource_pairs() -> list[tuple[Path, Path]]:
    pictures = sorted((REPO / "resources" / "virtual_dermatoscope").glob("*.jpg"))
    return [(pictures[i], pictures[i]) for i in (0, 6)]


def png(image: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".png", image)
    assert ok
    return encoded.tobytes()


def make_logo(path: Path) -> None:
    """A plain made-up emblem: a ring and a bar (no real clinic's mark)."""
    logo = np.full((180, 520, 3), 255, np.uint8)
    cv2.circle(logo, (90, 90), 72, (139, 95, 31), -1)
    cv2.circle(logo, (90, 90), 34, (255, 255, 255), -1)
    cv2.rectangle(logo, (190, 64), (500, 116), (139, 95, 31), -1)
    cv2.imwrite(str(path), logo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--ham10000", type=Path, default=DEFAULT_HAM)
    parser.add_argument("--paper", default="A4", choices=["A4", "Letter"])
    args = parser.parse_args()
    folder: Path = args.folder
    if folder.exists() and any(folder.iterdir()):
        sys.exit(f"{folder} is not empty; give a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)

    from dermdesk.capture.lighting import LightingMode
    from dermdesk.capture.looks import render_look
    from dermdesk.records import CaptureMetadata, CaptureRequest, NewDiagnosis, NewLesion, NewPatient, Records
    from dermdesk.reports import (
        referral_letter_data,
        render_referral_letter,
        render_visit_report,
        visit_report_data,
        write_pdf,
    )
    from dermdesk.settings import DermDeskSettings

    make_logo(folder / "logo.png")
    settings = DermDeskSettings(
        data_dir=folder / "data",
        clinic_name="Stadtpark Dermatology",
        clinic_address="Parkstraße 12, 10115 Berlin\nTel. +49 30 1234 567 · praxis@stadtpark-derma.example",
        clinic_logo=folder / "logo.png",
        paper_size=args.paper,
    )
    classify = classifier(settings)
    found = (args.ham10000 / "HAM10000_metadata.csv").is_file()
    pairs = ham_pairs(args.ham10000) if found else resource_pairs()
    today = datetime.now(UTC).replace(hour=9, minute=40, second=0, microsecond=0)
    clock = Clock(today - timedelta(days=182))
    with Records.open(settings, clock=clock) as records:
        admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
        staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
        doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
        number = "DD-000123"
        patient = NewPatient(number, "Ada", "Lovelace", date(1971, 5, 17), "female", 2)
        records.patients.register(staff, patient)
        for visit in (0, 1):
            for index, ((_dx, site, detail, x, y, view), pair) in enumerate(zip(LESIONS, pairs, strict=True)):
                picture = cv2.imread(str(pair[visit]), cv2.IMREAD_COLOR)
                white = render_look(picture, LightingMode.WHITE_POLARISED, seed=index)
                shots = [("white_polarised", white)]
                if visit == 1:
                    shots.append(("uv_365", render_look(picture, LightingMode.UV_365, seed=index)))
                for light, image in shots:
                    data = png(image)
                    records.captures.save(
                        staff,
                        CaptureRequest(
                            number,
                            data,
                            lesion_label=f"L{index + 1}" if visit else None,
                            new_lesion=None if visit else NewLesion(site, detail, x, y, view),
                            metadata=CaptureMetadata(
                                camera="Virtual dermatoscope",
                                lighting_mode=light,
                                polarised=light == "white_polarised",
                                contact=True,
                                mm_per_px=MM_PER_PX,
                                captured_at=clock.now,
                            ),
                            prediction=classify(image, light),
                        ),
                    )
            clock.now = today
        records.diagnoses.record(
            doctor,
            number,
            "L1",
            NewDiagnosis("clinical", dx_code="nv", notes="Regular network, unchanged since the last visit."),
            sign_off_password=PASSWORD,
        )
        records.diagnoses.record(
            doctor,
            number,
            "L2",
            NewDiagnosis(
                "clinical",
                dx_other="Atypical pigmented lesion, melanoma not excluded",
                notes="Asymmetric pigmentation, new blue-grey area. Excision biopsy advised; referred.",
            ),
        )

        def render(sign_off: object) -> bytes:
            report = visit_report_data(records, doctor, number, None, settings, sign_off=sign_off)  # type: ignore[arg-type]
            return render_visit_report(report)

        version = records.reports.sign_off(doctor, number, None, PASSWORD, render)
        signed = records.reports.read(doctor, version.id)
        write_pdf(folder / "report.pdf", signed)
        letter = referral_letter_data(
            records,
            doctor,
            number,
            "L2",
            "Dr Anna Berg, University Skin Clinic, Department of Dermato-Oncology",
            settings,
            reason="changing pigmented lesion; please assess for excision",
        )
        write_pdf(folder / "referral.pdf", render_referral_letter(letter))
    if shutil.which("pdftoppm"):
        first_page = ["-f", "1", "-l", "1", "-singlefile"]
        subprocess.run(
            ["pdftoppm", "-r", "100", "-png", *first_page, "report.pdf", "report-page-1"],
            cwd=folder,
            check=True,
        )
    print(f"Wrote {folder / 'report.pdf'} (signed, version {version.version}) and {folder / 'referral.pdf'}.")
    return 0


def classifier(settings: object):  # type: ignore[no-untyped-def]
    """A function (BGR picture, lighting) -> PredictionInput | None using the shipped model, if any."""
    from dermdesk.inference.package import ModelPackageError, default_package_dir, load_package
    from dermdesk.records import PredictionInput

    try:
        package = load_package(default_package_dir())
    except ModelPackageError as exc:
        print(f"No model package ({exc}); pictures are filed without predictions.")
        return lambda image, light: None
    from dermdesk.inference.classifier import LesionClassifier

    engine = LesionClassifier(package)

    def classify(image: np.ndarray, light: str) -> PredictionInput | None:
        result = engine.classify(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), lighting=light)
        if result.assessment is None:  # the model's gate declines (UV light, not a lesion)
            return None
        return PredictionInput.from_assessment(result.assessment, package.summary, None)

    return classify


if __name__ == "__main__":
    sys.exit(main())
