"""`dermdesk images add --patient REC --site SITE FILE`: file a picture taken elsewhere as a capture.

The picture is classified with the model package in use (`--model`, else the settings' `model_dir`, else
the shipped one; its signature verified) and the prediction filed with it. A package named explicitly
that fails verification stops the command with the reason; when the shipped one cannot be used the
picture is filed without a prediction and the command says so.
`--lesion L2` adds the picture to a lesion already followed instead of starting a new one.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records, sign_in
from dermdesk.i18n import _

if TYPE_CHECKING:
    from dermdesk.records import PredictionInput


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("images", help=_("file lesion pictures in a patient's record"))
    actions = parser.add_subparsers(dest="images_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help=_("file a picture as a capture (classified when a model is installed)")
    )
    add.add_argument("file", type=Path, metavar="FILE")
    add.add_argument("--patient", required=True, metavar="REC", help=_("the patient's record number"))
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--site", help=_("body site of a new lesion (ISIC: head/neck, upper extremity, ...)"))
    where.add_argument("--lesion", metavar="LABEL", help=_("an already followed lesion, e.g. L2"))
    add.add_argument("--site-detail", help=_("finer description of the site, e.g. 'left cheek'"))
    add.add_argument("--x", type=float, help=_("body-map x (0-1)"))
    add.add_argument("--y", type=float, help=_("body-map y (0-1)"))
    add.add_argument("--view", choices=["front", "back"], help=_("body-map view"))
    add.add_argument("--camera", default="imported file", help=_("camera or dermatoscope used"))
    add.add_argument("--lighting", help=_("lighting mode, e.g. white_polarised"))
    add.add_argument("--mm-per-px", type=float, help=_("scale, when calibrated"))
    add.add_argument("--model", type=Path, help=_("model package folder (default: the one in use)"))
    add.add_argument("--no-classify", action="store_true", help=_("file the picture without a prediction"))
    add.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.decoding import PictureRefused, check_picture, read_picture_bytes
    from dermdesk.records import CaptureMetadata, CaptureRequest, NewLesion

    try:  # too large, damaged or tiny pictures are refused before anything is filed (--no-classify too)
        data = read_picture_bytes(args.file)
        check_picture(data)
        taken = datetime.fromtimestamp(args.file.stat().st_mtime, UTC)
    except PictureRefused as exc:
        raise CommandError(f"{args.file}: {exc}") from exc
    except OSError as exc:
        raise CommandError(
            _("cannot read {file}: {problem}").format(file=args.file, problem=exc.strerror or exc)
        ) from exc
    with open_records(ctx, allow_offline=True) as records:  # a server away: the picture is spooled
        user = sign_in(records)[0]
        prediction, note = (
            (None, _("not classified (--no-classify)")) if args.no_classify else _classify(args, ctx)
        )
        new_lesion = None
        if args.site is not None:
            new_lesion = NewLesion(args.site, args.site_detail, args.x, args.y, args.view)
        metadata = CaptureMetadata(
            camera=args.camera, lighting_mode=args.lighting, mm_per_px=args.mm_per_px, captured_at=taken
        )
        request = CaptureRequest(
            args.patient,
            data,
            lesion_label=args.lesion,
            new_lesion=new_lesion,
            metadata=metadata,
            prediction=prediction,
        )
        result = records.captures.save(user, request)
        summary = {**asdict(result), "message": result.message, "prediction": prediction, "note": note}
        emit(args.json, summary, [result.message] + ([note] if note else []))
    return 0


def _classify(args: argparse.Namespace, ctx: CommandContext) -> tuple[PredictionInput | None, str | None]:
    """The model's prediction for the file, or None and a sentence saying why there is none."""
    from dermdesk.inference.package import ModelPackageError
    from dermdesk.inference.trust import active_package
    from dermdesk.records import PredictionInput

    named = args.model or ctx.settings.model_dir  # the one model every classifying path uses
    try:
        package = active_package(named, ctx.settings.update_public_key)
    except ModelPackageError as exc:
        if named is not None:
            raise CommandError(_("the model package cannot be used: {problem}").format(problem=exc)) from exc
        return None, _("Filed without a prediction: no usable model package ({problem}).").format(problem=exc)
    from dermdesk.inference.images import ImageReadError, load_rgb
    from dermdesk.inference.precision import open_station_classifier

    classifier = open_station_classifier(package, cache_dir=ctx.settings.model_cache_dir)
    try:
        rgb = load_rgb(args.file)
    except ImageReadError as exc:
        raise CommandError(str(exc)) from exc
    started = time.perf_counter()
    classification = classifier.classify(rgb, lighting=args.lighting)
    latency_ms = (time.perf_counter() - started) * 1000.0
    assessment = classification.assessment
    if assessment is None:  # the model's own gate refused the picture (not a lesion, UV light, ...)
        return None, _("Filed without a prediction: {reason}").format(reason=classification.verdict.message)
    top = ", ".join(f"{c} {assessment.probabilities[c]:.0%}" for c in assessment.ranking[:3])
    return PredictionInput.from_assessment(assessment, package.summary, latency_ms), _(
        "Model: {ranking}."
    ).format(ranking=top)
