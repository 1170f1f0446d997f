"""A whole `make model --quick` as `make model` runs it: under `torchrun` with two processes (gloo), on
both sources (HAM10000 and isic-extra), training on a subset, ONNX and OpenVINO export, INT8, package, card.

Slow-ish (a few minutes on two cores) but it is the only proof that the recipe still runs end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.package import load_package

REPO = Path(__file__).resolve().parents[2]
HAM = REPO.parent / "shared" / "data" / "ham10000"
EXTRA = REPO.parent / "shared" / "data" / "isic-extra"

pytestmark = pytest.mark.slow  # trains: left out of `make check`


def test_quick_build_produces_a_verified_package(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dermdesk.training.launch",
            "--processes",
            "2",
            "--max-restarts",
            "0",
            "--",
            "--quick",
            "--source",
            f"ham10000={HAM}:{REPO / 'splits'}",
            "--source",
            f"isic-extra={EXTRA}:{REPO / 'splits' / 'isic-extra'}",
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(tmp_path / "models"),
            "--frozen-blocks",
            "3",
            "--mixup",
            "0.2",
            "--sampling-power",
            "1",
            "--logit-adjustment",
            "1",
            "--colour-constancy",
            "shades_of_grey_exposure",
            "--image-size",
            "128",
            "--seed",
            "7",
            "--blur-sigma-max",
            "2.5",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "process 1 of 2 (gloo)" in result.stderr  # two processes, joined by gloo on CPU
    summary = json.loads(result.stdout[result.stdout.index("{") :])
    package = load_package(summary["package"])
    manifest = package.manifest.to_dict()
    assert (
        manifest["precision"] in {"int8", "fp32"}
        and "validation balanced accuracy" in manifest["precision_choice"]
    )
    assert (tmp_path / "work" / "train" / "checkpoint.pt").is_file()  # resumable
    assert len(manifest["training"]["history"]) == 2
    assert (manifest["training"]["processes"], manifest["training"]["device"]) == (2, "cpu")
    # both sources in training and in the figures, credited, with the targets and limits stated
    sources = {s["licence"] for s in manifest["training_data"]["sources"]}
    assert sources == {"CC BY-NC-SA 4.0", "CC BY-NC 4.0"}
    assert {row["scope"] for row in manifest["targets"]} >= {"pooled"}
    assert all(isinstance(row["met"], bool) and row["ci95"] for row in manifest["targets"])
    assert manifest["referral"]["target_malignant_referred"] == 0.95
    # the recipe flags reach the run, and the card describes the run it came from
    config = manifest["training"]["config"]
    assert (config["frozen_blocks"], config["mixup_alpha"], config["epochs"]) == (3, 0.2, 2)
    assert (config["sampling_power"], config["logit_adjustment"]) == (1.0, 1.0)
    assert (config["image_size"], config["seed"], manifest["input"]["size"]) == (128, 7, 128)
    assert manifest["input"]["colour_constancy"] == "shades_of_grey_exposure"  # the app balances as trained
    assert package.input_spec.colour_constancy == "shades_of_grey_exposure"
    trained = np.asarray(manifest["calibration"]["train_prior"])  # what the calibration corrects from
    np.testing.assert_allclose(trained[trained > 0], 1 / np.count_nonzero(trained))
    card = (package.root / "model-card.md").read_text(encoding="utf-8")
    assert (
        "ISIC archive" in card and "CC BY-NC 4.0" in card and "| malignant lesions referred ≥ 0.95 |" in card
    )
    assert "acral lesions (palms and soles) are barely represented" in card and "East Asian skin" in card
    assert "first 3 MBConv blocks kept at their ImageNet weights" in card and "mixup (Beta(0.2, 0.2))" in card
    assert "natural class mix), logit-adjusted loss (τ = 1)" in card and "trained with (uniform)" in card
    assert "Colour constancy and exposure: each crop's colour cast is removed (Shades of Grey, p = 6)" in card
    assert "probabilities that were exactly right would still show an ECE of" in card
    assert config["blur_sigma_max"] == 2.5 and "Gaussian blur (σ 0.3–2.5 px on 20% of the views)" in card
    assert "Input: 128×128 RGB" in card and "so 128 px keeps their detail" in card

    # the INT8 IR really is quantised, and FP32 IR / ONNX agree with each other
    assert (
        package.file("int8").with_suffix(".bin").stat().st_size
        < package.file("fp32").with_suffix(".bin").stat().st_size / 2
    )
    x = np.random.default_rng(0).normal(size=(2, 3, 128, 128)).astype(np.float32)
    onnx_logits = ort.InferenceSession(str(package.file("onnx"))).run(["logits"], {"image": x})[0]
    fp32 = LesionClassifier(package, precision="fp32")
    ov_logits, cam, features = fp32.infer(x)
    np.testing.assert_allclose(ov_logits, onnx_logits, atol=1e-3)
    np.testing.assert_allclose(cam.mean(axis=(2, 3)), ov_logits, atol=1e-4)  # CAM is the logits' spatial map
    assert features.shape == (2, 1280)
    assert (package.root / "reliability.png").is_file()
