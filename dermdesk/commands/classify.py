"""`dermdesk classify FILE_OR_DIR... [--json] [--no-tta]`: rank the likely diagnoses of lesion pictures.

One line per file; an unreadable file gets an error line naming it, the rest are still classified, and the
exit code is non-zero at the end if any failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import clinical
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("classify", help=_("rank the likely diagnoses of lesion images"))
    parser.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR")
    parser.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    parser.add_argument(
        "--no-tta", action="store_true", help=_("one view instead of 8 flips/rotations (faster)")
    )
    parser.add_argument(
        "--model", type=Path, default=None, help=_("model package folder (default: the one in use)")
    )
    parser.set_defaults(handler=run)


def open_classifier(model_dir: Path | None, ctx: CommandContext) -> Any:
    """The verified package's classifier; an unsigned, tampered or missing package is a one-line error."""
    from dermdesk.inference.package import ModelPackageError
    from dermdesk.inference.precision import open_station_classifier
    from dermdesk.inference.trust import active_package

    try:  # the signature is verified at every load: an edited package with recomputed checksums is refused
        package = active_package(model_dir or ctx.settings.model_dir, ctx.settings.update_public_key)
    except ModelPackageError as exc:
        raise CommandError(str(exc)) from exc
    return open_station_classifier(package, cache_dir=ctx.settings.model_cache_dir)


def _record(path: Path, classification: Any, classifier: Any) -> dict[str, Any]:
    """The JSON line: the assessment always (scripts score it), and whether the picture passed the gate."""
    from dermdesk.inference.postprocess import assess

    assessment = classification.assessment
    if assessment is None and classification.outputs is not None:
        assessment = assess(classifier.probabilities_of(classification), classifier.rules)
    verdict = classification.verdict
    return {
        "file": str(path),
        **(assessment.to_json() if assessment is not None else {}),
        "suitable": verdict.suitable,
        "unsuitable_reason": verdict.message or None,
        "model": classifier.package.summary,
    }


def _text_line(path: Path, classification: Any) -> str:
    if classification.assessment is None:
        return _("{file}: not classified — {reason}").format(file=path, reason=classification.verdict.message)
    result = classification.assessment
    ranked = ", ".join(f"{code} {result.probabilities[code]:.0%}" for code in result.ranking[:3])
    refer = _("REFER — ") if result.refer else ""
    return _("{file}: {ranking}; triage {triage}; {refer}{guidance}").format(
        file=path,
        ranking=ranked,
        triage=clinical("triage", result.triage),
        refer=refer,
        guidance=result.guidance,
    )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.inference.images import ImageReadError, expand_inputs, load_rgb

    classifier = open_classifier(args.model, ctx)
    files = expand_inputs(args.paths)
    if not files:
        raise CommandError(_("no image files found in the given paths"))
    failed = 0
    for path in files:
        try:
            classification = classifier.classify(load_rgb(path), tta=not args.no_tta)
        except ImageReadError as exc:
            failed += 1
            if args.json:
                print(json.dumps({"file": str(path), "error": str(exc)}), flush=True)
            else:
                print(
                    _("{file}: error: {problem}").format(file=path, problem=exc), file=sys.stderr, flush=True
                )
            continue
        record = _record(path, classification, classifier)
        print(json.dumps(record) if args.json else _text_line(path, classification), flush=True)
    if failed:
        problem = _("{failed} of {count} file(s) could not be classified").format(
            failed=failed, count=len(files)
        )
        print(_("dermdesk: error: {reason}").format(reason=problem), file=sys.stderr)
        return 1
    return 0
