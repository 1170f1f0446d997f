"""What reports and letters share on the page: paper, styles, letterhead, pictures, bars, footer, DRAFT.

Every page gets its footer and, for drafts, the DRAFT watermark after the whole document is laid out
(`PagedCanvas` keeps the pages until it knows how many there are), so "page x of y" is right on every
page without laying the document out twice. Rendering holds one process-wide lock: reportlab keeps
per-document font state in shared font objects.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from dermdesk.i18n import N_
from dermdesk.i18n.names import is_syllable
from dermdesk.reports.data import Clinic, ModelOpinion, ModelRef
from dermdesk.reports.fonts import BASE, BOLD, HANGUL, draw_text, markup, register_fonts, text_width
from dermdesk.reports.language import _, percent
from dermdesk.reports.pictures import Picture, scale_bar_mm
from dermdesk.settings import PaperSize

PAGE_SIZES: dict[PaperSize, tuple[float, float]] = {PaperSize.A4: A4, PaperSize.LETTER: LETTER}
MARGIN_X = 18 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 26 * mm
DISCLAIMER = N_("The model's output is decision support, not a diagnosis.")
FOOTER_SIZE = 7.5
FOOTER_MIN_SIZE = 4.5  # the identity line shrinks to fit down to this size, then is shortened
INK = colors.HexColor("#1d2b36")
MUTED = colors.HexColor("#5b6770")
RULE = colors.HexColor("#c9d2d9")
SHADE = colors.HexColor("#eef3f6")
ACCENT = colors.HexColor("#1f5f8b")
REFER_RED = colors.HexColor("#a61b1b")
TRIAGE_COLOURS = {
    "malignant": colors.HexColor("#c62828"),
    "benign_other": colors.HexColor("#e0a100"),
    "benign_mole": colors.HexColor("#2e7d32"),
}
MALIGNANT = {"mel", "bcc", "akiec"}

_render_lock = threading.Lock()


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=BASE, fontSize=9, leading=12, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED),
        "label": ParagraphStyle("label", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED),
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=15, leading=19, textColor=ACCENT
        ),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=10.5, leading=14),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=9, leading=12),
        "clinic": ParagraphStyle(
            "clinic", parent=body, fontName=BOLD, fontSize=12, leading=15, alignment=TA_RIGHT
        ),
        "address": ParagraphStyle(
            "address", parent=body, fontSize=8, leading=10, alignment=TA_RIGHT, textColor=MUTED
        ),
        "caption": ParagraphStyle("caption", parent=body, fontSize=7, leading=8.5, textColor=MUTED),
    }


def table_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose default font is embedded (reportlab's default, Helvetica, is not)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), BASE, 9), *commands])


def para(text: str, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped, fonts switched per script)."""
    body = markup(text)
    return Paragraph(f"<b>{body}</b>" if bold else body, style)


def local(moment: datetime) -> str:
    """A time as the clinic reads it: local date, hour and minute, and the UTC offset."""
    value = moment.astimezone()
    offset = value.strftime("%z")
    return f"{value:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


# --- letterhead -----------------------------------------------------------------------------------


def picture_image(picture: Picture, max_width: float, max_height: float) -> Image:
    assert picture.jpeg is not None
    scale = min(max_width / picture.width, max_height / picture.height)
    return Image(io.BytesIO(picture.jpeg), width=picture.width * scale, height=picture.height * scale)


def letterhead(clinic: Clinic, width: float) -> Table | None:
    """Logo on the left, clinic name, address and phone on the right; None when nothing is configured."""
    if not (clinic.name or clinic.address or clinic.logo or clinic.phone):
        return None
    s = styles()
    text: list[Flowable] = []
    if clinic.name:
        text.append(para(clinic.name, s["clinic"]))
    for line in clinic.address:
        text.append(para(line, s["address"]))
    if clinic.phone:
        text.append(para(_("Tel. {phone}").format(phone=clinic.phone), s["address"]))
    logo: Flowable | str = picture_image(clinic.logo, 45 * mm, 20 * mm) if clinic.logo else ""
    table = Table([[logo, text]], colWidths=[50 * mm, width - 50 * mm])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (0, 0), "LEFT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def facts_table(rows: Sequence[tuple[str, str]], widths: Sequence[float]) -> Table:
    """Label/value pairs laid out in as many column pairs as `widths` has pairs."""
    s = styles()
    per_row = len(widths) // 2
    cells: list[list[Flowable | str]] = []
    for start in range(0, len(rows), per_row):
        line: list[Flowable | str] = []
        for label, value in rows[start : start + per_row]:
            line += [para(label, s["label"]), para(value, s["body"])]
        line += [""] * (len(widths) - len(line))
        cells.append(line)
    table = Table(cells, colWidths=list(widths))
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


# --- pictures -------------------------------------------------------------------------------------


class PictureBox(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """A picture fitted into a box, with a millimetre scale bar when calibrated; a notice when missing."""

    def __init__(self, picture: Picture, width: float, height: float, missing_text: str) -> None:
        super().__init__()
        self.picture, self.box_w, self.box_h, self.missing_text = picture, width, height, missing_text

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.box_w, self.box_h

    def draw(self) -> None:
        canvas = self.canv
        picture = self.picture
        if picture.jpeg is None:
            self._draw_missing()
            return
        scale = min(self.box_w / picture.width, self.box_h / picture.height)
        w, h = picture.width * scale, picture.height * scale
        x, y = (self.box_w - w) / 2, self.box_h - h
        canvas.drawImage(ImageReader(io.BytesIO(picture.jpeg)), x, y, w, h)
        if picture.mm_per_px:
            self._draw_scale_bar(x, y, scale, picture.mm_per_px)

    def _draw_scale_bar(self, x: float, y: float, scale: float, mm_per_px: float) -> None:
        canvas = self.canv
        length_mm = scale_bar_mm(mm_per_px, self.picture.width)
        length = length_mm / mm_per_px * scale
        label = f"{length_mm:g} mm"
        left, bottom = x + 5, y + 5
        canvas.saveState()
        canvas.setFillColor(colors.white)
        canvas.setFillAlpha(0.75)
        canvas.rect(left - 3, bottom - 3, max(length, 24) + 6, 16, stroke=0, fill=1)
        canvas.setFillAlpha(1)
        canvas.setFillColor(colors.black)
        canvas.rect(left, bottom, length, 2.2, stroke=0, fill=1)
        for edge in (left, left + length):
            canvas.rect(edge - 0.4, bottom, 0.8, 4.5, stroke=0, fill=1)
        draw_text(canvas, left, bottom + 5.5, label, 6.5, bold=True)
        canvas.restoreState()

    def _draw_missing(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#f7f0f0"))
        canvas.setStrokeColor(REFER_RED)
        canvas.setDash(3, 2)
        canvas.rect(0, 0, self.box_w, self.box_h, stroke=1, fill=1)
        canvas.restoreState()
        title = markup(_("Picture not shown"))
        notice = Paragraph(
            f'<font color="#a61b1b"><b>{title}</b></font><br/>{markup(self.missing_text)}',
            ParagraphStyle("missing", fontName=BASE, fontSize=7, leading=9, textColor=INK),
        )
        height = notice.wrap(self.box_w - 8, self.box_h - 8)[1]
        notice.drawOn(canvas, 4, max(4, (self.box_h - height) / 2))


# --- the model's differential ---------------------------------------------------------------------


def differential_bars(opinion: ModelOpinion, width: float) -> Drawing:
    """One row per diagnosis: name, a bar of its probability, the percentage."""
    row, name_w, pct_w = 12.5, min(62 * mm, width * 0.5), 11 * mm
    bar_w = width - name_w - pct_w - 4
    drawing = Drawing(width, row * len(opinion.ranked), initialFontName=BASE)
    for index, (code, name, probability) in enumerate(opinion.ranked):
        y = (len(opinion.ranked) - index - 1) * row
        font = HANGUL if any(is_syllable(c) for c in name) else BOLD if index == 0 else BASE
        label = fitted(name, font, 8, name_w - 4)
        drawing.add(String(0, y + 3.5, label, fontName=font, fontSize=8, fillColor=INK))
        drawing.add(Rect(name_w, y + 2.5, bar_w, 7, fillColor=SHADE, strokeColor=None))
        fill = REFER_RED if code in MALIGNANT else ACCENT
        drawing.add(Rect(name_w, y + 2.5, max(0.5, bar_w * probability), 7, fillColor=fill, strokeColor=None))
        drawing.add(
            String(
                width,
                y + 3.5,
                percent(probability),
                fontName=BASE,
                fontSize=8,
                fillColor=INK,
                textAnchor="end",
            )
        )
    return drawing


def fitted(text: str, font: str, size: float, width: float) -> str:
    """`text`, shortened with an ellipsis until it fits `width` points in `font` (one font: class names)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip(" /,") + "…"


def fit_line(text: str, size: float, width: float) -> tuple[str, float]:
    """`text` and a font size at which it fits `width` on one line: smaller down to FOOTER_MIN_SIZE,
    then shortened with an ellipsis (a very long name never runs off the page)."""
    natural = text_width(text, size)
    if natural <= width:
        return text, size
    smaller = max(FOOTER_MIN_SIZE, size * width / natural)
    if text_width(text, smaller) <= width:
        return text, smaller
    while text and text_width(text + "…", smaller) > width:
        text = text[:-1]
    return text.rstrip() + "…", smaller


def triage_colour(code: str) -> colors.Color:
    return TRIAGE_COLOURS.get(code, colors.HexColor("#757575"))


# --- footer, page numbers and the DRAFT watermark -------------------------------------------------


@dataclass(frozen=True)
class PageDecor:
    """What every page carries at the bottom, and whether it says DRAFT across it."""

    identity: str  # "Lovelace, Ada · DD-000001 · visit report of 2026-11-21"
    models: tuple[ModelRef, ...]
    draft: bool
    page_size: tuple[float, float]

    def model_lines(self) -> list[str]:
        if not self.models:
            return [_("Model: no model output is shown in this document.")]
        lines = [
            _("Model: {name}, version {version}, manifest sha256 {sha256}").format(
                name=m.name, version=m.version, sha256=m.sha256
            )
            for m in self.models[:2]
        ]
        if len(self.models) > 2:
            lines[-1] += _(" (+{count} more, named with each lesion)").format(count=len(self.models) - 2)
        return lines

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        width = self.page_size[0]
        canvas.saveState()
        if self.draft:
            self._watermark(canvas)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        top = MARGIN_BOTTOM - 7 * mm
        canvas.line(MARGIN_X, top, width - MARGIN_X, top)
        canvas.setFillColor(INK)
        y = top - 9
        page_text = _("Page {page} of {total}").format(page=page, total=total)
        page_w = draw_text(canvas, width - MARGIN_X, y, page_text, FOOTER_SIZE, bold=True, align="right")
        identity, size = fit_line(self.identity, FOOTER_SIZE, width - 2 * MARGIN_X - page_w - 4 * mm)
        draw_text(canvas, MARGIN_X, y, identity, size)
        canvas.setFillColor(MUTED)
        for line in self.model_lines():
            y -= 8.5
            draw_text(canvas, MARGIN_X, y, line, 6.3)
        y -= 8.5
        draw_text(canvas, MARGIN_X, y, _(DISCLAIMER), 6.8, bold=True)
        canvas.restoreState()

    def _watermark(self, canvas: Canvas) -> None:
        width, height = self.page_size
        canvas.saveState()
        canvas.translate(width / 2, height / 2)
        canvas.rotate(52)
        canvas.setFillColor(colors.HexColor("#c62828"))
        canvas.setFillAlpha(0.13)
        word = _("DRAFT")
        font = HANGUL if any(is_syllable(c) for c in word) else BOLD
        canvas.setFont(font, 150)
        canvas.drawCentredString(0, -50, word)
        canvas.restoreState()


class PagedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """Keeps each page until the end, then draws the footer (with the page count) and watermark."""

    def __init__(self, *args: Any, decor: PageDecor, **kwargs: Any) -> None:
        # An embedded font from the start: reportlab's default, Helvetica, would be named (not embedded).
        kwargs.update(initialFontName=BASE, initialFontSize=9)
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            self._decor.draw(self, number, total)
            super().showPage()
        super().save()


def build_pdf(
    story_for: Callable[[float], list[Flowable]],
    *,
    paper: PaperSize,
    decor: Callable[[tuple[float, float]], PageDecor],
    title: str,
    author: str,
) -> bytes:
    """Lay out `story_for(content width)` on `paper` with the footer of `decor`; the PDF's bytes."""
    register_fonts()
    page_size = PAGE_SIZES[paper]
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=page_size,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        creator="DermDesk",
        subject=_(DISCLAIMER),
    )
    # No frame padding: text and full-width tables then share the same left and right edges.
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    with _render_lock:
        story = story_for(document.width)
        document.build(story, canvasmaker=partial(PagedCanvas, decor=decor(page_size)))
    return buffer.getvalue()
