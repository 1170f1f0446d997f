"""Building consult requests and answers for the central tests (what a station and a specialist send)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

from records.helpers import png_bytes

from dermdesk.inference.classes import CLASS_CODES


def picture(seed: int, light: str = "white_polarised", kind: str = "dermoscopic") -> dict[str, Any]:
    png = png_bytes(seed, size=40)
    return {
        "kind": kind,
        "light": light,
        "png_base64": base64.b64encode(png).decode(),
        "sha256": hashlib.sha256(png).hexdigest(),
    }


def request_body(
    *, consent: bool = True, pictures: list[dict[str, Any]] | None = None, **changes: Any
) -> bytes:
    body: dict[str, Any] = {
        "schema_version": 1,
        "patient_id": "patient_" + "a" * 32,
        "lesion_id": "lesion_" + "b" * 32,
        "age_approx": 50,
        "sex": "female",
        "anatom_site_general": "posterior torso",
        "research_consent": consent,
        "question": "Changing naevus on the back; excise or follow?",
        "urgency": "soon",
        "history": {"duration_weeks": 12, "recent_change": True, "itch": False, "skin_type": 2},
        "pictures": pictures if pictures is not None else [picture(1), picture(2, "white")],
        "prediction": {
            "probabilities": {code: (0.4 if code == "mel" else 0.1) for code in CLASS_CODES},
            "model_name": "dermdesk-lesion",
            "model_version": "1.0.0",
            "refer": True,
        },
    }
    body.update(changes)
    return json.dumps(body).encode()


def answer(kind: str = "answer", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": kind, "opinion": "Regular network, no regression; benign naevus."}
    if kind != "more information":
        body |= {"diagnosis": "nv", "management": "follow-up", "follow_up_months": 6}
    body.update(changes)
    return body


def key() -> str:
    return uuid.uuid4().hex
