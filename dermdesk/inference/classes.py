"""The diagnosis classes the model knows, in the order of its outputs, with names a clinician reads.

The names come from the clinical glossary (`dermdesk.i18n.glossary`, keys "diagnosis.<code>"), so the
window, reports and letters print the same term in English and in Korean.
"""

from __future__ import annotations

from dermdesk.i18n.glossary import has_term, term

CLASS_CODES: tuple[str, ...] = ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")

DISPLAY_NAMES: dict[str, str] = {code: term(f"diagnosis.{code}", "en") for code in CLASS_CODES}
"""The English names (the manifest's and the CLI's); `display_name` gives them in another language."""

MALIGNANT_CODES: tuple[str, ...] = ("mel", "bcc", "akiec")


def display_name(code: str, language: str | None = None) -> str:
    """The diagnosis's name in `language` (None: the current one); an unknown code as it is."""
    key = f"diagnosis.{code}"
    return term(key, language) if has_term(key) else code
