"""`dermdesk evaluate IMAGE_DIR --labels CSV [--json]`: the model's figures on a labelled image folder.

The same scoring the model card uses, so running it on the committed test split reproduces the card.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.classify import open_classifier
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "evaluate", help=_("accuracy, AUC, sensitivity and calibration on labelled images")
    )
    parser.add_argument("image_dir", type=Path, metavar="IMAGE_DIR")
    parser.add_argument(
        "--labels", type=Path, required=True, help=_("CSV with image_id,dx (lesion_id optional)")
    )
    parser.add_argument("--json", action="store_true", help=_("one JSON object instead of text"))
    parser.add_argument(
        "--no-tta", action="store_true", help=_("one view instead of 8 flips/rotations (faster)")
    )
    parser.add_argument(
        "--model", type=Path, default=None, help=_("model package folder (default: the one in use)")
    )
    parser.set_defaults(handler=run)


def _text(result: dict[str, Any]) -> str:
    ci = result.get("ci95", {})

    def line(key: str, label: str) -> str:
        value = result[key]
        text = "n/a" if value is None else f"{value:.3f}"
        if key in ci:
            text += f"  (95% CI {ci[key][0]:.3f}–{ci[key][1]:.3f})"
        return f"{label:<42}{text}"

    lines = [
        _("images scored: {scored}  skipped: {skipped}").format(
            scored=result["n_images"], skipped=len(result["skipped"])
        ),
        line("accuracy", _("accuracy")),
        line("balanced_accuracy", _("balanced accuracy")),
        line("macro_auc", _("macro AUC")),
        line(
            "melanoma_sensitivity_at_80_specificity",
            _("melanoma sensitivity at {specificity} specificity").format(specificity="80%"),
        ),
        line(
            "melanoma_sensitivity_at_90_specificity",
            _("melanoma sensitivity at {specificity} specificity").format(specificity="90%"),
        ),
        line("ece", _("ECE (15 bins)")),
        *_calibrated_reference(result),
        _("per class (sensitivity / specificity / n):"),
    ]
    for code, row in result["per_class"].items():
        sens, spec = ("n/a" if v is None else f"{v:.3f}" for v in (row["sensitivity"], row["specificity"]))
        lines.append(f"  {code:<6} {sens} / {spec} / {row['n']}")
    return "\n".join(lines)


def _calibrated_reference(result: dict[str, Any]) -> list[str]:
    """What ECE exactly right probabilities would show on this many images: the yardstick for ECE."""
    reference = result.get("ece_if_calibrated")
    if not reference or reference["mean"] is None:
        return []
    label = _("  ECE if perfectly calibrated (same n)")
    return [
        f"{label:<42}{reference['mean']:.3f}"
        + _("  ({share} of draws ≤ {p95})").format(share="95%", p95=f"{reference['p95']:.3f}")
    ]


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.inference.evaluation import LabelsError, read_labels, report, score_folder

    if not args.image_dir.is_dir():
        raise CommandError(_("{folder}: not a folder of images").format(folder=args.image_dir))
    classifier = open_classifier(args.model, ctx)
    try:
        labels = read_labels(args.labels, classifier.rules.class_codes)
    except LabelsError as exc:
        raise CommandError(str(exc)) from exc
    scored = score_folder(classifier, args.image_dir, labels, tta=not args.no_tta)
    if len(scored.labels) == 0:
        raise CommandError(_("none of the listed images could be read"))
    result = report(scored, classifier)
    print(json.dumps(result, indent=2) if args.json else _text(result))
    return 0
