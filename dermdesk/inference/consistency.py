"""Does the same picture get the same advice on every clinic PC? (`dermdesk bench consistency`)

A developer's measurement (clinic PCs have no test split); `make model` records it in the model card.
The committed HAM10000 test split is classified in fresh subprocesses, one per instruction set this CPU
can run as (`ONEDNN_MAX_CPU_ISA`: SSE4.1, AVX, AVX2, AVX-512 where present, and the CPU's own), through
the station's own path (lesion crop, the eight test-time views, calibration, triage, referral), with no
compiled-model cache shared between them. Each INT8 run is compared with every other and with the FP32
network on the CPU's own instructions (the reference the package's INT8 check uses): the fractions of
pictures with the same top class, triage group and referral decision, and the largest difference of any
calibrated probability.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from dermdesk.i18n import _
from dermdesk.inference.cpu_isa import OLD_VARIABLE, VARIABLE, emulated_isas, native_isa

REPO = Path(__file__).resolve().parents[2]
DEFAULT_LABELS = REPO / "splits" / "test.csv"
DEFAULT_IMAGES = REPO.parent / "shared" / "data" / "ham10000" / "images"
NATIVE = "native"
REFERENCE = f"fp32@{NATIVE}"


def cpu_name() -> str:
    """The processor's model name (Linux /proc/cpuinfo), else what the platform reports."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def classify_split(model_dir: Path, precision: str, images: Path, labels: Path, tta: bool) -> dict[str, Any]:
    """Every readable picture of the split through the station's path: what one subprocess reports."""
    from dermdesk.inference.classes import CLASS_CODES
    from dermdesk.inference.classifier import LesionClassifier
    from dermdesk.inference.evaluation import find_image, read_labels
    from dermdesk.inference.images import ImageReadError, load_rgb
    from dermdesk.inference.package import load_package
    from dermdesk.inference.postprocess import assess

    classifier = LesionClassifier(load_package(model_dir), precision=precision)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for item in read_labels(labels, CLASS_CODES):
        path = find_image(images, item.image_id)
        if path is None:
            continue
        try:
            rgb = load_rgb(path)
        except ImageReadError:
            continue
        result = classifier.classify(rgb, tta=tta)
        probabilities = classifier.probabilities_of(result)
        if probabilities is None:  # refused before inference (never for white-light split pictures)
            continue
        assessment = assess(probabilities, classifier.rules)
        rows.append(
            {
                "image_id": item.image_id,
                "probabilities": [round(float(p), 7) for p in probabilities],
                "top": assessment.ranking[0],
                "triage": assessment.triage,
                "refer": assessment.refer,
                "suitable": result.verdict.suitable,
            }
        )
    return {"seconds": round(time.perf_counter() - started, 1), "rows": rows}


def _run_worker(
    model_dir: Path, precision: str, isa: str, images: Path, labels: Path, tta: bool, out: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in (VARIABLE, OLD_VARIABLE)}
    if isa != NATIVE:
        env[VARIABLE] = isa
    command = [
        sys.executable,
        "-m",
        "dermdesk.inference.consistency",
        "--model",
        str(model_dir),
        "--precision",
        precision,
        "--images",
        str(images),
        "--labels",
        str(labels),
        "--out",
        str(out),
    ]
    if not tta:
        command.append("--no-tta")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(
            _("the {precision} run under {isa} failed: {tail}").format(
                precision=precision, isa=isa, tail=tail
            )
        )


def compare(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> dict[str, Any]:
    """Agreement of two runs over the pictures both classified."""
    by_id = {row["image_id"]: row for row in b}
    pairs = [(row, by_id[row["image_id"]]) for row in a if row["image_id"] in by_id]
    n = len(pairs)
    if n == 0:
        raise RuntimeError(_("the two runs have no picture in common"))

    def share(key: str) -> float:
        return round(sum(bool(x[key] == y[key]) for x, y in pairs) / n, 4)

    differences = [
        float(np.max(np.abs(np.subtract(x["probabilities"], y["probabilities"])))) for x, y in pairs
    ]
    return {
        "images": n,
        "top_class_agreement": share("top"),
        "triage_agreement": share("triage"),
        "referral_agreement": share("refer"),
        "suitability_agreement": share("suitable"),
        "max_probability_difference": round(max(differences), 4),
        "p99_probability_difference": round(float(np.quantile(differences, 0.99)), 4),
        "top_class_changes": sum(x["top"] != y["top"] for x, y in pairs),
        "referral_changes": sum(x["refer"] != y["refer"] for x, y in pairs),
    }


def measure(
    model_dir: Path,
    images: Path = DEFAULT_IMAGES,
    labels: Path = DEFAULT_LABELS,
    *,
    isas: list[str] | None = None,
    tta: bool = True,
) -> dict[str, Any]:
    """Run the split under each set and compare every pair; the figures `bench consistency` reports."""
    from dermdesk.inference.package import load_package

    package = load_package(model_dir)
    sets = (emulated_isas() if isas is None else isas) + [NATIVE]
    plan = [("int8", isa) for isa in sets] + [("fp32", NATIVE)]
    if isas is None and sets[0] != NATIVE:
        plan.append(("fp32", sets[0]))  # FP32's own spread, oldest set against the CPU's own
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="dermdesk-consistency-") as tmp:
        for precision, isa in plan:
            out = Path(tmp) / f"{precision}-{isa}.json"
            _run_worker(package.root, precision, isa, images, labels, tta, out)
            runs[f"{precision}@{isa}"] = json.loads(out.read_text(encoding="utf-8"))
    int8_runs = [name for name in runs if name.startswith("int8@")]
    pairs = {
        f"{a} vs {b}": compare(runs[a]["rows"], runs[b]["rows"])
        for a, b in itertools.combinations(int8_runs, 2)
    }
    against = {f"{a} vs {REFERENCE}": compare(runs[a]["rows"], runs[REFERENCE]["rows"]) for a in int8_runs}
    fp32_spread = {
        f"{a} vs {REFERENCE}": compare(runs[a]["rows"], runs[REFERENCE]["rows"])
        for a in runs
        if a.startswith("fp32@") and a != REFERENCE
    }
    return {
        "model": package.summary,
        "shipped_precision": package.manifest.precision,
        "cpu": cpu_name(),
        "native_isa": native_isa(),
        "cpu_threads": os.cpu_count(),
        "tta": tta,
        "images": len(runs[REFERENCE]["rows"]),
        "seconds": {name: run["seconds"] for name, run in runs.items()},
        "int8_pairs": pairs,
        "int8_against_fp32": against,
        "fp32_spread": fp32_spread,
        "worst_int8": _worst({**pairs, **against}),
    }


def _worst(pairs: dict[str, dict[str, Any]]) -> dict[str, float]:
    keys = ("top_class_agreement", "triage_agreement", "referral_agreement")
    worst: dict[str, float] = {key: min(p[key] for p in pairs.values()) for key in keys}
    worst["max_probability_difference"] = max(p["max_probability_difference"] for p in pairs.values())
    return worst


def main(argv: list[str] | None = None) -> None:
    """The subprocess side: one precision under whatever instruction-set cap the environment sets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--precision", choices=("int8", "fp32"), required=True)
    parser.add_argument("--images", type=Path, required=True)
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-tta", action="store_true")
    args = parser.parse_args(argv)
    result = classify_split(args.model, args.precision, args.images, args.labels, not args.no_tta)
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
