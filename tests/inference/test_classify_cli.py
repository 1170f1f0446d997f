"""`dermdesk classify` and `dermdesk evaluate` on real images with the shipped OpenVINO model."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.package import ModelPackage

REPO = Path(__file__).resolve().parents[2]


def dermdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dermdesk", *args], capture_output=True, text=True, cwd=REPO, timeout=600
    )


@pytest.fixture
def lesion_folder(tmp_path: Path, ham_dir: Path) -> Path:
    folder = tmp_path / "lesions"
    folder.mkdir()
    for path in sorted((ham_dir / "images").glob("*.jpg"))[:6]:
        shutil.copy(path, folder)
    return folder


def test_classify_prints_one_valid_json_line_per_image(
    lesion_folder: Path, shipped_package: ModelPackage
) -> None:
    result = dermdesk("classify", str(lesion_folder), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 6
    for line in lines:
        assert set(line) >= {"file", "probabilities", "ranking", "triage", "refer", "guidance", "model"}
        assert list(line["probabilities"]) == list(CLASS_CODES)
        assert sum(line["probabilities"].values()) == pytest.approx(1.0, abs=1e-6)
        assert sorted(line["ranking"]) == sorted(CLASS_CODES)
        assert line["model"] == shipped_package.summary


def test_unreadable_files_get_an_error_line_and_the_rest_still_run(lesion_folder: Path) -> None:
    (lesion_folder / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    truncated = lesion_folder / "truncated.png"
    _, png = cv2.imencode(".png", np.zeros((64, 64, 3), np.uint8))
    truncated.write_bytes(png.tobytes()[:40])
    result = dermdesk("classify", str(lesion_folder), "--json", "--no-tta")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    errors = {Path(line["file"]).name: line["error"] for line in lines if "error" in line}
    assert set(errors) == {"broken.jpg", "truncated.png"}
    assert "broken.jpg" in errors["broken.jpg"]
    assert sum("probabilities" in line for line in lines) == 6
    assert "2 of 8" in result.stderr


def test_odd_formats_are_classified_and_tiny_ones_refused(tmp_path: Path, ham_dir: Path) -> None:
    rgb = cv2.cvtColor(cv2.imread(str(ham_dir / "images" / "ISIC_0024306.jpg")), cv2.COLOR_BGR2RGB)
    Image.fromarray(rgb).convert("L").save(tmp_path / "grey.png")
    Image.fromarray(rgb).convert("CMYK").save(tmp_path / "cmyk.jpg")
    cv2.imwrite(str(tmp_path / "sixteen.png"), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR).astype(np.uint16) * 257)
    cv2.imwrite(str(tmp_path / "huge.jpg"), cv2.resize(rgb, (6000, 4500), interpolation=cv2.INTER_LINEAR))
    cv2.imwrite(str(tmp_path / "tiny.png"), rgb[:8, :8])
    result = dermdesk("classify", str(tmp_path), "--json", "--no-tta")
    lines = {Path(line["file"]).name: line for line in map(json.loads, result.stdout.splitlines())}
    for name in ("grey.png", "cmyk.jpg", "sixteen.png", "huge.jpg"):
        assert "probabilities" in lines[name], lines[name]
    assert "too small" in lines["tiny.png"]["error"]
    assert result.returncode == 1


def test_a_tampered_model_is_refused_with_a_clear_message(package_copy: Path, lesion_folder: Path) -> None:
    weights = package_copy / "model-int8.bin"
    weights.write_bytes(weights.read_bytes()[:-10])
    result = dermdesk("classify", str(lesion_folder), "--model", str(package_copy))
    assert result.returncode == 1
    assert "does not match its checksum" in result.stderr
    assert result.stdout == ""


def write_labels(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def test_evaluate_rejects_bad_labels(tmp_path: Path, lesion_folder: Path) -> None:
    write_labels(tmp_path / "unknown.csv", [{"image_id": "x", "dx": "wart"}], ["image_id", "dx"])
    result = dermdesk("evaluate", str(lesion_folder), "--labels", str(tmp_path / "unknown.csv"))
    assert result.returncode == 1 and "unknown class code(s) wart" in result.stderr
    write_labels(tmp_path / "nodx.csv", [{"image_id": "x"}], ["image_id"])
    result = dermdesk("evaluate", str(lesion_folder), "--labels", str(tmp_path / "nodx.csv"))
    assert result.returncode == 1 and "missing column(s) dx" in result.stderr


def test_evaluate_skips_and_counts_missing_images(tmp_path: Path, lesion_folder: Path) -> None:
    ids = sorted(p.stem for p in lesion_folder.glob("*.jpg"))
    rows = [{"image_id": i, "dx": "nv"} for i in ids] + [{"image_id": "ISIC_gone", "dx": "mel"}]
    write_labels(tmp_path / "labels.csv", rows, ["image_id", "dx"])
    result = dermdesk(
        "evaluate", str(lesion_folder), "--labels", str(tmp_path / "labels.csv"), "--json", "--no-tta"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n_images"] == 6 and report["skipped"] == ["ISIC_gone"]
    # on six images even exactly right probabilities show a large ECE: the text says how large
    reference = report["ece_if_calibrated"]
    assert 0.05 < reference["mean"] < reference["p95"] <= 1.0
    text = dermdesk("evaluate", str(lesion_folder), "--labels", str(tmp_path / "labels.csv"), "--no-tta")
    assert text.returncode == 0, text.stderr
    assert f"ECE if perfectly calibrated (same n)    {reference['mean']:.3f}" in text.stdout
    assert "  nv     " in text.stdout and " / n/a / 6" in text.stdout  # no specificity without negatives


@pytest.mark.slow  # the whole test split: `make test`, not the quick lane
def test_evaluate_on_the_test_split_reproduces_the_model_card(
    ham_dir: Path, shipped_package: ModelPackage
) -> None:
    result = dermdesk(
        "evaluate", str(ham_dir / "images"), "--labels", str(REPO / "splits" / "test.csv"), "--json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    metrics = shipped_package.manifest.extra("metrics")
    # these are HAM10000's test pictures: a card built on several sources gives their part separately
    card = metrics.get("test_by_source", {}).get("ham10000", metrics["test"])
    if report["precision"] == "fp32":  # FP32 shipped, or INT8 did not match the reference here
        recorded = card if shipped_package.manifest.precision == "fp32" else metrics["test_fp32"]
        assert report["n_images"] == recorded["n_images"]
        for key in ("accuracy", "balanced_accuracy", "macro_auc", "ece"):
            assert report[key] == pytest.approx(recorded[key], abs=2e-3), key
        return
    # How far another CPU may move the card's figures, from the spread `dermdesk bench consistency`
    # measured when the package was built: each picture whose top class changed moves accuracy by 1/n and
    # one class's sensitivity by 1/(its count); ECE and AUC by at most a probability difference each.
    spread = shipped_package.manifest.extra("consistency")
    changes = max(p["top_class_changes"] for p in spread["int8_pairs"].values())
    largest = max(p["max_probability_difference"] for p in spread["int8_pairs"].values())
    n = card["n_images"]
    smallest_class = min(row["n"] for row in report["per_class"].values())
    tolerance = {
        "accuracy": (changes + 1) / n,
        "balanced_accuracy": (changes + 1) / smallest_class / len(report["per_class"]),
        "macro_auc": 2e-3 + largest,
        "melanoma_sensitivity_at_80_specificity": (changes + 1) / report["per_class"]["mel"]["n"],
        "ece": 2e-3 + largest,
    }
    for key, allowed in tolerance.items():
        assert report[key] == pytest.approx(card[key], abs=allowed), key
    moved = sum(
        abs(a - b)
        for row, card_row in zip(report["confusion"], card["confusion"], strict=True)
        for a, b in zip(row, card_row, strict=True)
    )
    assert moved <= 2 * changes  # each changed picture leaves one cell and enters another
