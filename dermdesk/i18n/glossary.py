"""The clinical glossary: one English and one Korean term per clinical concept, with its source.

Why one file for both translation systems: a diagnosis must read the same in the window, the report and
the referral letter, and a Korean dermatologist reviews one list, not three. Keys name the concept
("diagnosis.mel", "light.white_polarised", "body_site.sole"); stored values such as a body site's ISIC
spelling ("head/neck") or a lighting mode ("white_polarised") map onto keys with `key_for`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from dermdesk.i18n.catalogues import SOURCE_LANGUAGE, current_language, resolve_language

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")


class GlossaryError(RuntimeError):
    """The glossary file is unreadable or an entry lacks a field: the installation is incomplete."""


class GlossaryEntry(BaseModel):
    """One concept: its English and Korean terms, the Korean term's source, and its review status."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    ko: str
    source: str
    review: Literal["pending", "signed"]
    reviewer: str = ""
    note: str = ""

    def text(self, language: str) -> str:
        value: str = getattr(self, language)
        return value


def _entries(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    for name, value in table.items():
        if not isinstance(value, Mapping):
            raise GlossaryError(f"Glossary key {prefix}{name} is a value, not an entry.")
        if "en" in value:
            yield prefix + name, value
        else:
            yield from _entries(value, f"{prefix}{name}.")


def load_glossary(path: Path = GLOSSARY_FILE) -> dict[str, GlossaryEntry]:
    """Every entry of the glossary at `path`, by key; a GlossaryError naming the first bad one."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise GlossaryError(
            f"The clinical glossary {path} cannot be read ({exc}); reinstall DermDesk."
        ) from exc
    out: dict[str, GlossaryEntry] = {}
    for key, fields in _entries(raw):
        try:
            out[key] = GlossaryEntry.model_validate(fields)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise GlossaryError(f"Glossary entry {key} in {path} is incomplete ({problems}).") from exc
    return out


@cache
def glossary() -> dict[str, GlossaryEntry]:
    """The shipped glossary (read once)."""
    return load_glossary()


def key_for(kind: str, value: str) -> str:
    """The glossary key of a stored value: ("body_site", "head/neck") -> "body_site.head_neck"."""
    return f"{kind}.{re.sub(r'[^a-z0-9]+', '_', value.strip().lower()).strip('_')}"


def has_term(key: str) -> bool:
    return key in glossary()


def term(key: str, language: str | None = None) -> str:
    """The term for `key` in `language` (None: the current language; unknown: English)."""
    entry = glossary().get(key)
    if entry is None:
        raise KeyError(f"The clinical glossary has no entry {key!r}.")
    code = current_language() if language is None else resolve_language(language)
    return entry.text(code if code in ("en", "ko") else SOURCE_LANGUAGE)


def term_or(kind: str, value: str, language: str | None = None, default: str | None = None) -> str:
    """The term for a stored value of `kind`; `default` (else the value as stored) when not in it."""
    key = key_for(kind, value)
    if has_term(key):
        return term(key, language)
    return value if default is None else default
