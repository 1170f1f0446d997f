"""Finding the patient's own identifiers in text that would leave the clinic.

Why a check and not a scrubber: a question rewritten by a program may lose its clinical sense or keep an
identifier in a form nobody foresaw; refusing with the reason lets the sender rephrase it. Looked for:
the name (Latin and Hangul, given and family name in either order, with or without a space), the record
number (with or without its hyphens), the birth date in the common written forms (1971-05-17, 17/05/1971,
05/17/1971, 17.5.71, 710517, 17 May 1971, May 17th 1971, 1971년 5월 17일 ...), any phone number and any
Korean resident registration number (주민등록번호), whoever's they are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from dermdesk.records.consults import PatientIdentity

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
TOKEN = re.compile(r"\d+(?:st|nd|rd|th)?|[a-z]+", re.IGNORECASE)
DATE_GAP = re.compile(r"^[\s\-./,년월일]{0,6}$")  # "1971년 5월 17일", "17th, May"
RRN = re.compile(r"(?<!\d)\d{6}\s*[-–]?\s*[1-8]\d{6}(?!\d)")
PHONE = re.compile(
    r"(?<![\d])(?:\+?82[\s\-.]?\(?0?\)?|0)\d{1,2}[\s\-.)]*\d{3,4}[\s\-.]*\d{4}(?!\d)"
    r"|(?<!\d)\+?\d{1,3}[\s\-.]\(?\d{2,4}\)?[\s\-.]\d{3,4}[\s\-.]\d{3,4}(?!\d)"
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Finding:
    """One identifier found: what kind, and the text as written (shown to the sender only)."""

    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind} ({self.text!r})"


def find_identifiers(text: str, who: PatientIdentity) -> list[Finding]:
    """Every identifier of `who` (and any phone or resident registration number) in `text`."""
    text = unicodedata.normalize("NFC", text)
    found = _names(text, who) + _record_number(text, who.record_number)
    found += [Finding("resident registration number", m.group()) for m in RRN.finditer(text)]
    rrn_spans = [m.span() for m in RRN.finditer(text)]
    found += [
        Finding("phone number", m.group().strip())
        for m in PHONE.finditer(text)
        if not any(a <= m.start() < b for a, b in rrn_spans)
    ]
    found += _birth_dates(text, who.date_of_birth)
    unique: dict[tuple[str, str], Finding] = {(f.kind, f.text): f for f in found}
    return list(unique.values())


def describe(findings: list[Finding]) -> str:
    """The refusal a person reads."""
    listed = "; ".join(str(f) for f in findings)
    return f"The text names the patient or holds personal numbers — remove them before sending: {listed}."


def _names(text: str, who: PatientIdentity) -> list[Finding]:
    folded = text.casefold()
    given, family = who.given_name.strip().casefold(), who.family_name.strip().casefold()
    found = []
    for full in {f"{given} {family}", f"{family} {given}", f"{given}{family}", f"{family}{given}"}:
        if full.strip() and full in folded:
            found.append(Finding("name", _as_written(text, folded, full)))
    for part in (given, family):
        for piece in part.split():
            if _name_word(piece) and _word_in(piece, folded):
                found.append(Finding("name", _as_written(text, folded, piece)))
    return found


def _name_word(piece: str) -> bool:
    """Long enough to be the patient's and not a common word: two Hangul syllables, or three letters."""
    if HANGUL.search(piece):
        return len(piece) >= 2
    return len(piece) >= 3


def _word_in(piece: str, folded: str) -> bool:
    if HANGUL.search(piece):
        return piece in folded  # Korean attaches particles (지민이, 지민님): no word boundary
    return re.search(rf"(?<![^\W\d_]){re.escape(piece)}(?![^\W\d_])", folded) is not None


def _as_written(text: str, folded: str, piece: str) -> str:
    at = folded.find(piece)
    return text[at : at + len(piece)] if at >= 0 else piece


def _record_number(text: str, number: str) -> list[Finding]:
    parts = [re.escape(p) for p in re.split(r"[^A-Za-z0-9]+", number) if p]
    chars = [re.escape(c) for c in re.sub(r"[^A-Za-z0-9]", "", number)]
    pattern = r"[\s\-_/.]*".join(chars) if chars else None
    if not pattern or not parts:
        return []
    match = re.search(rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])", text, re.IGNORECASE)
    return [Finding("record number", match.group())] if match else []


def _birth_dates(text: str, born: date) -> list[Finding]:
    found = []
    for match in re.finditer(r"(?<!\d)(\d{6}|\d{8})(?!\d)", text):  # 710517, 19710517, 17051971
        digits = match.group()
        forms = {
            born.strftime("%y%m%d"),
            born.strftime("%Y%m%d"),
            born.strftime("%d%m%Y"),
            born.strftime("%m%d%Y"),
        }
        if digits in forms:
            found.append(Finding("birth date", digits))
    tokens = list(TOKEN.finditer(text))
    for first, second, third in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if not all(DATE_GAP.match(text[a.end() : b.start()]) for a, b in pairwise((first, second, third))):
            continue
        values = [_value(t.group()) for t in (first, second, third)]
        if None in values:
            continue
        if _is_date(values, born):  # type: ignore[arg-type]
            found.append(Finding("birth date", text[first.start() : third.end()]))
    return found


def _value(token: str) -> tuple[str, int] | None:
    token = re.sub(r"(?<=\d)(st|nd|rd|th)$", "", token, flags=re.IGNORECASE)
    if token.isdigit():
        return ("n", int(token)) if len(token) <= 4 else None
    month = MONTHS.get(token.casefold())
    return ("m", month) if month else None


def _is_date(values: list[tuple[str, int]], born: date) -> bool:
    def year_ok(n: int) -> bool:
        return n == born.year or n == born.year % 100

    (k1, a), (k2, b), (k3, c) = values
    orders = [  # (year, month, day) read as YMD, DMY, MDY
        ((k1, a), (k2, b), (k3, c)),
        ((k3, c), (k2, b), (k1, a)),
        ((k3, c), (k1, a), (k2, b)),
    ]
    for (ky, y), (_, m), (kd, d) in orders:
        if ky == "n" and kd == "n" and year_ok(y) and m == born.month and d == born.day:
            return True
    return False
