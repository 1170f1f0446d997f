"""People's names as each language writes them, and Hangul initial consonants (초성) for search.

Why here: a Korean name is written family name first without a space (김민수), a Latin one in a report
as "Family, Given"; a name that mixes the two scripts keeps both parts, family first, with a space.
Initial consonants let staff find 김민수 by typing ㄱㅁㅅ, as Korean clinic software commonly does.
"""

from __future__ import annotations

import unicodedata

SYLLABLES = (0xAC00, 0xD7A3)
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
"""The 19 initial consonants in the order of the Unicode Hangul syllable block."""
_PER_INITIAL = 21 * 28  # vowels x final consonants per initial consonant
_JAMO_CONSONANTS = frozenset(chr(c) for c in range(0x3131, 0x314F))  # ㄱ..ㅎ, as an IME types them


def is_syllable(char: str) -> bool:
    return SYLLABLES[0] <= ord(char) <= SYLLABLES[1]


def is_hangul_name(text: str) -> bool:
    """True when every letter of `text` is a Hangul syllable (spaces and punctuation aside)."""
    letters = [c for c in unicodedata.normalize("NFC", text) if c.isalpha()]
    return bool(letters) and all(is_syllable(c) for c in letters)


def full_name(family: str, given: str, language: str) -> str:
    """The name as printed: 김민수 (both parts Hangul, in any language); otherwise family first,
    "Family, Given" in English and "Family Given" in Korean."""
    family, given = family.strip(), given.strip()
    if is_hangul_name(family) and is_hangul_name(given):
        return family + given
    if language == "ko":
        return f"{family} {given}".strip()
    return f"{family}, {given}" if family and given else family or given


def initials(text: str) -> str:
    """The initial consonant of each Hangul syllable of `text`, in order ("김민수" -> "ㄱㅁㅅ")."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if is_syllable(char):
            out.append(INITIALS[(ord(char) - SYLLABLES[0]) // _PER_INITIAL])
    return "".join(out)


def name_initials(family: str, given: str) -> str | None:
    """What the records store for 초성 search: family then given, and given then family ("ㄱㅁㅅ ㅁㅅㄱ");
    None when the name has no Hangul."""
    first, second = initials(family), initials(given)
    if not (first or second):
        return None
    return f"{first}{second} {second}{first}".strip()


def is_initials_query(word: str) -> bool:
    """True when `word` is typed initial consonants only ("ㄱㅁㅅ")."""
    return bool(word) and all(c in _JAMO_CONSONANTS for c in word)
