"""What the model was barely trained on, said where it matters: at the lesion, not only in the model card.

The station calls ``limits_for(body_site, manifest)`` whenever a lesion's body site is set or a result is
shown; a non-empty list is shown beside the result. Acral lesions (palms and soles) look different under
dermoscopy (parallel-ridge and -furrow patterns) and are a few pictures in the training data, so the
advice there is weaker than the card's figures suggest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ACRAL_SITES = frozenset({"palms/soles", "acral"})  # ISIC's general site and HAM10000's word
DEFAULT_ACRAL = (
    "acral lesions (palms and soles) are barely represented in the pictures this model was trained on"
)


@dataclass(frozen=True)
class LimitNotice:
    """One limit to show beside a result, in words a clinician reads."""

    code: str
    text: str


def is_acral(body_site: str | None) -> bool:
    return (body_site or "").strip().lower() in ACRAL_SITES


def limits_for(body_site: str | None, manifest_limits: dict[str, Any] | None = None) -> list[LimitNotice]:
    """The limits that apply to a lesion at ``body_site`` (the package's own wording where it has one)."""
    notices = []
    if is_acral(body_site):
        wording = str((manifest_limits or {}).get("acral") or DEFAULT_ACRAL)
        notices.append(
            LimitNotice(
                "acral",
                f"Limited evidence: {wording}. Treat the model's advice here with extra caution; "
                "acral lesions follow their own dermoscopic rules.",
            )
        )
    return notices
