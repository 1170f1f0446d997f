"""From the network's logits to advice: calibrated probabilities, ranking, triage and referral.

One implementation for the live view, the command line and reports. The rules come from the manifest:
- probabilities: softmax((logits + logit_adjustment) / temperature), the adjustment undoing the class
  prior the network was trained on;
- triage (majority rule): a group wins only when its probability exceeds the sum of all others;
- referral: a malignant class reaching its own threshold, or a top probability below 0.50; when a
  malignant class triggers it, a reassuring group is never shown at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dermdesk.i18n.catalogues import current_language
from dermdesk.i18n.glossary import has_term, key_for, term
from dermdesk.inference.manifest import ModelManifest

INDETERMINATE = "indeterminate"

# The guidance sentences in English, as filed and as the clinical glossary ("guidance.*") has them;
# `guidance_text` gives them in the language a person reads.
GUIDANCE_CANCER = term("guidance.cancer", "en")
GUIDANCE_UNCERTAIN = term("guidance.uncertain", "en")
GUIDANCE_ROUTINE = term("guidance.routine", "en")
GUIDANCE_REFER = term("guidance.refer", "en")


def guidance_text(kind: str, language: str | None = None, **values: str) -> str:
    """A guidance sentence ("cancer", "uncertain", "routine", "refer") in `language` (None: current)."""
    return term(f"guidance.{kind}", language).format(**values)


def class_name(code: str, names: dict[str, str], language: str | None = None) -> str:
    """A class's name in `language`: the glossary's term, else the model manifest's (English) name."""
    key = f"diagnosis.{code}"
    return term(key, language) if has_term(key) else names.get(code, code)


def triage_group_name(code: str, names: dict[str, str], language: str | None = None) -> str:
    """A triage group's name in `language`: the glossary's term, else the manifest's name."""
    key = key_for("triage", code)
    if has_term(key):
        return term(key, language)
    return names.get(code, code.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Rules:
    """The decision rules of one model package, read from its manifest."""

    class_codes: tuple[str, ...]
    display_names: dict[str, str]
    groups: tuple[tuple[str, str, tuple[str, ...], bool], ...]  # code, name, classes, reassuring
    logit_adjustment: np.ndarray
    temperature: float
    thresholds: dict[str, float]
    min_top_probability: float = 0.5

    @classmethod
    def from_manifest(cls, manifest: ModelManifest) -> Rules:
        return cls(
            class_codes=manifest.class_codes,
            display_names=manifest.display_names,
            groups=tuple((g.code, g.name, g.classes, g.reassuring) for g in manifest.groups),
            logit_adjustment=np.asarray(manifest.calibration.logit_adjustment, dtype=np.float64),
            temperature=manifest.calibration.temperature,
            thresholds=dict(manifest.referral.thresholds),
            min_top_probability=manifest.referral.min_top_probability,
        )


@dataclass(frozen=True)
class Assessment:
    """What the model says about one lesion image, ready to show or file."""

    probabilities: dict[str, float]
    ranking: list[str]
    triage: str
    triage_name: str
    refer: bool
    referral_reasons: list[str]
    guidance: str
    group_probabilities: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "probabilities": self.probabilities,
            "ranking": self.ranking,
            "triage": self.triage,
            "refer": self.refer,
            "referral_reasons": self.referral_reasons,
            "guidance": self.guidance,
        }


def lowered(name: str, language: str) -> str:
    """A class name inside a sentence: lower case in English ("melanoma"), as it is in Korean."""
    return name.lower() if language == "en" else name


def calibrated_probabilities(logits: np.ndarray, rules: Rules) -> np.ndarray:
    """Softmax of prior-corrected, temperature-scaled logits; works on one row or a batch."""
    z = (np.asarray(logits, dtype=np.float64) + rules.logit_adjustment) / rules.temperature
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    result: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return result


def majority_group(probabilities: dict[str, float], rules: Rules) -> tuple[str, dict[str, float]]:
    """The group whose probability exceeds the sum of all other groups', else ``indeterminate``."""
    totals = {code: sum(probabilities[c] for c in classes) for code, _, classes, _ in rules.groups}
    overall = sum(totals.values())
    for code, total in totals.items():
        if total > overall - total:
            return code, totals
    return INDETERMINATE, totals


def assess(probabilities: np.ndarray, rules: Rules) -> Assessment:
    """Apply ranking, majority-rule triage and the referral rules to one probability vector."""
    probs = {code: float(p) for code, p in zip(rules.class_codes, probabilities, strict=True)}
    ranking = sorted(probs, key=lambda c: probs[c], reverse=True)
    triage, totals = majority_group(probs, rules)
    flagged = [c for c in rules.thresholds if probs[c] >= rules.thresholds[c]]
    reasons = [
        f"{c} probability {probs[c]:.0%} reaches its referral threshold {rules.thresholds[c]:.0%}"
        for c in flagged
    ]
    uncertain = probs[ranking[0]] < rules.min_top_probability
    if uncertain:
        reasons.append(f"top probability {probs[ranking[0]]:.0%} is below {rules.min_top_probability:.0%}")
    reassuring = {code for code, _, _, calm in rules.groups if calm}
    if flagged and triage in reassuring:
        triage = INDETERMINATE
    language = current_language()  # the guidance and names are shown as they are made
    if flagged:
        names = ", ".join(lowered(class_name(c, rules.display_names, language), language) for c in flagged)
        guidance = guidance_text("cancer", language, classes=names)
    elif uncertain:
        guidance = guidance_text("uncertain", language)
    else:
        guidance = guidance_text("routine", language)
    group_names = {code: name for code, name, _, _ in rules.groups}
    return Assessment(
        probabilities=probs,
        ranking=ranking,
        triage=triage,
        triage_name=triage_group_name(triage, group_names, language),
        refer=bool(flagged) or uncertain,
        referral_reasons=reasons,
        guidance=guidance,
        group_probabilities=totals,
    )
