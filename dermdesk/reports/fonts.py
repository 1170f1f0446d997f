"""Fonts for reports: embedded TrueType fonts, and text split into runs by Unicode script.

Why this way: a patient named "Ærøskøbing Ольга 김민준 王小明 やまだ" must print as written on any
computer. reportlab's built-in CID fonts (HeiseiMin, HYSMyeongJo, ...) are not embedded, so a PDF
viewer without those fonts shows empty boxes; only TrueType-outline (glyf) fonts are embedded (as
subsets). No single small font covers every script, so text is cut into runs and each run is set in
the font for its script:

- DejaVu Sans (regular, bold): Latin, Greek, Cyrillic and most other alphabets, digits, punctuation;
- NanumGothic: Hangul;
- Droid Sans Fallback: Chinese characters (Han), Japanese kana and CJK punctuation.

The files live in `resources/fonts/` and are credited, with their licences, in `resources/CREDITS.md`.
Spaces and punctuation stay in the run they are in when its font has them, so "王小明, 1980" becomes
two runs, not five.
"""

from __future__ import annotations

import threading
from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from dermdesk.i18n import gettext
from dermdesk.resources import resource_path

FONTS_DIR = resource_path("fonts")

BASE = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
HANGUL = "NanumGothic"
CJK = "DroidSansFallback"

FONT_FILES: dict[str, str] = {
    BASE: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    HANGUL: "NanumGothic.ttf",
    CJK: "DroidSansFallbackFull.ttf",
}

_HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF))
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x31F0, 0x31FF),  # katakana extensions
    (0x3400, 0x4DBF),  # Han extension A
    (0x4E00, 0x9FFF),  # Han
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x20000, 0x2FFFF),  # Han extensions B-F
)

_lock = threading.Lock()
_registered = False


class FontsMissingError(RuntimeError):
    """A font file of the installation is missing: the installation is incomplete."""


def register_fonts() -> None:
    """Register the four fonts and their families with reportlab (once per process; thread-safe)."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, file_name in FONT_FILES.items():
            path = FONTS_DIR / file_name
            if not path.is_file():
                raise FontsMissingError(
                    gettext(
                        "The report font {path} is missing; reinstall DermDesk (the installation is "
                        "incomplete)."
                    ).format(path=path)
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(BASE, normal=BASE, bold=BOLD, italic=BASE, boldItalic=BOLD)
        for name in (HANGUL, CJK):  # no bold cut shipped: bold text in these scripts stays regular
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _registered = True


@cache
def _coverage(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def font_for(char: str, base: str = BASE) -> str:
    """The font a character is set in: by script first (Hangul, Han/kana), then by coverage."""
    code = ord(char)
    if _in(code, _HANGUL_RANGES):
        return HANGUL
    if _in(code, _CJK_RANGES):
        return CJK
    for name in (base, CJK, HANGUL):
        if code in _coverage(name):
            return name
    return base


def runs(text: str, base: str = BASE) -> list[tuple[str, str]]:
    """`text` as (font name, text) runs; spaces and punctuation join the run before them if they can."""
    out: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char, base)
        if out:
            previous_font, previous_text = out[-1]
            neutral = not char.isalnum() and ord(char) in _coverage(previous_font)
            if font == previous_font or neutral:
                out[-1] = (previous_font, previous_text + char)
                continue
        out.append((font, char))
    return out


def markup(text: str, base: str = BASE) -> str:
    """Escaped Paragraph markup for plain `text`: runs outside `base` wrapped in <font name=...>,
    line breaks as <br/>."""
    register_fonts()
    lines = []
    for line in text.split("\n"):
        parts = []
        for font, run in runs(line, base):
            escaped = escape(run)
            parts.append(escaped if font == base else f'<font name="{font}">{escaped}</font>')
        lines.append("".join(parts))
    return "<br/>".join(lines)


def _font_pair(font: str, bold: bool) -> str:
    return BOLD if bold and font == BASE else font


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in points of `text` set run by run."""
    register_fonts()
    return float(sum(pdfmetrics.stringWidth(run, _font_pair(font, bold), size) for font, run in runs(text)))


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False, align: str = "left"
) -> float:
    """Draw one line on a canvas, run by run (left, right or centre aligned at x); returns its width."""
    width = text_width(text, size, bold=bold)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for font, run in runs(text):
        name = _font_pair(font, bold)
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, name, size)
    return width
