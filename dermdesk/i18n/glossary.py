"""The one glossary of clinical terms (diagnoses, triage groups, lights, body sites, management), in
English and Korean, from which the Qt screens and the core's gettext messages both take their terms.

Each Korean term carries its cited source and `review = "pending"` until a Korean dermatologist signs
it off (`glossary.toml`).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from dermdesk.i18n import SUPPORTED_LANGUAGES, current_language

GLOSSARY_PATH = Path(__file__).with_name("glossary.toml")


@cache
def entries() -> dict[str, dict[str, str]]:
    """Key -> {"en", "ko", "source", "review"} from glossary.toml."""
    with GLOSSARY_PATH.open("rb") as handle:
        data = tomllib.load(handle)
    return {key: dict(value) for key, value in data.items()}


def term(key: str, language: str | None = None) -> str:
    """The term `key` (e.g. "diagnosis.mel") in `language` (default: the current one); KeyError when
    the glossary has no such key."""
    entry = entries()[key]
    code = language or current_language()
    if code not in SUPPORTED_LANGUAGES:
        code = "en"
    return entry.get(code) or entry["en"]
