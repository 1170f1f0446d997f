"""One lesion on paper, shared by the visit report and the referral letter.

A shaded heading (label, body site, status), the body map with the lesion's marker beside the first
three pictures (the previous visit's first, then this visit's, each labelled by its lighting and by who
took it), below them the model's differential with triage and referral advice on the left and the
doctor's diagnosis and notes on the right, and then any further pictures in a grid that flows across
pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from dermdesk.reports.body_figure import body_map
from dermdesk.reports.data import DoctorOpinion, ImageEntry, LesionSection, ModelOpinion
from dermdesk.reports.fonts import markup
from dermdesk.reports.language import _, clinical, day, moment
from dermdesk.reports.layout import (
    ACCENT,
    REFER_RED,
    RULE,
    SHADE,
    PictureBox,
    differential_bars,
    para,
    styles,
    table_style,
    triage_colour,
)

FIGURE_COLUMN = 37 * mm
PICTURE_GAP = 3 * mm
PICTURES_PER_ROW = 3  # beside the body map
MORE_PER_ROW = 4  # full width, below the findings
PICTURE_ASPECT = 0.75

NO_PLAIN_STYLE = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def heading(section: LesionSection, width: float) -> Table:
    s = styles()
    lesion = markup(_("Lesion {label}").format(label=section.label))
    left = Paragraph(f"<b>{lesion}</b>  ·  {markup(section.where)}", s["h2"])
    right = para(
        _("{status} · first seen {day}").format(status=section.status, day=day(section.first_seen)),
        s["small"],
    )
    table = Table([[left, right]], colWidths=[width * 0.68, width * 0.32])
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def caption(entry: ImageEntry) -> str:
    when = _("Previous visit {day}").format(day=day(entry.visit_date)) if entry.previous else _("This visit")
    number = _(" · picture {number}").format(number=entry.number) if entry.number else ""
    kept = _(" · kept despite the quality check") if entry.overridden else ""
    return f"{when} · {entry.lighting}{number}{kept}"


def picture_cell(entry: ImageEntry, width: float) -> list[Flowable]:
    s = styles()
    where = f"{entry.lighting}, {day(entry.visit_date)}"
    which = _("Picture {number}").format(number=entry.number or entry.image_id)
    problem = f"{which} ({where}) {entry.picture.problem}."
    box = PictureBox(entry.picture, width, width * PICTURE_ASPECT, problem)
    cell: list[Flowable] = [box, Spacer(1, 1.5), para(caption(entry), s["caption"], bold=not entry.previous)]
    if entry.taken_by:
        cell.append(para(_("Taken by {person}").format(person=entry.taken_by), s["caption"]))
    return cell


def picture_rows(
    images: Sequence[ImageEntry], width: float, per_row: int
) -> tuple[list[list[list[Flowable] | str]], list[float]]:
    """Rows of `per_row` picture cells filling `width`, and the column widths."""
    cell_w = (width - (per_row - 1) * PICTURE_GAP) / per_row
    rows: list[list[list[Flowable] | str]] = []
    for start in range(0, len(images), per_row):
        row: list[list[Flowable] | str] = [
            picture_cell(entry, cell_w) for entry in images[start : start + per_row]
        ]
        rows.append(row + [""] * (per_row - len(row)))
    return rows, [cell_w + PICTURE_GAP] * (per_row - 1) + [cell_w]


def pictures_grid(images: Sequence[ImageEntry], width: float) -> Flowable:
    """At most one row of pictures (beside the body map); the rest go to `more_pictures`."""
    s = styles()
    if not images:
        return para(_("No pictures of this lesion were taken at this visit."), s["small"])
    rows, widths = picture_rows(images[:PICTURES_PER_ROW], width, PICTURES_PER_ROW)
    table = Table(rows, colWidths=widths)
    table.setStyle(table_style([*NO_PLAIN_STYLE, ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


def more_pictures(section: LesionSection, width: float) -> Table | None:
    """The pictures that did not fit beside the body map, in a grid of rows that flows across pages.

    Its first row names the lesion and is repeated at the top of every page the grid continues on,
    so a page of pictures always says whose they are; the table splits between rows, never inside one,
    so any number of pictures fits (one lighting sequence alone is up to six stills)."""
    rest = section.images[PICTURES_PER_ROW:]
    if not rest:
        return None
    s = styles()
    rows, widths = picture_rows(rest, width, MORE_PER_ROW)
    title = para(
        _("Lesion {label} · {where} · further pictures ({more} more, {total} in all)").format(
            label=section.label, where=section.where, more=len(rest), total=len(section.images)
        ),
        s["h3"],
    )
    header: list[list[Flowable] | str] = [[title], *([""] * (MORE_PER_ROW - 1))]
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        table_style(
            [
                *NO_PLAIN_STYLE,
                ("SPAN", (0, 0), (-1, 0)),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
                ("TOPPADDING", (0, 1), (-1, 1), 3),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
            ]
        )
    )
    return table


def model_block(opinion: ModelOpinion | None, width: float) -> list[Flowable]:
    s = styles()
    if opinion is None:
        return [
            para(_("Model's differential"), s["h3"]),
            para(_("No model output was filed for this lesion at this visit."), s["small"]),
        ]
    colour = triage_colour(opinion.triage).hexval()[2:]
    referral = markup(_("Referral: "))
    if opinion.refer:
        advised = markup(clinical("referral.advised"))
        referral += f'<font color="#{REFER_RED.hexval()[2:]}"><b>{advised}.</b></font> '
    out: list[Flowable] = [
        para(_("Model's differential"), s["h3"]),
        para(
            _("{model}, from the picture in {picture}").format(
                model=opinion.model.text, picture=opinion.image_of
            ),
            s["small"],
        ),
        Spacer(1, 2),
        differential_bars(opinion, width),
        Spacer(1, 3),
        Paragraph(
            markup(_("Triage group: "))
            + f'<font color="#{colour}"><b>{markup(opinion.triage_name)}</b></font>',
            s["body"],
        ),
        Paragraph(referral + markup(opinion.guidance), s["body"]),
    ]
    if opinion.reasons:
        out.append(para(_("Why: {reasons}.").format(reasons="; ".join(opinion.reasons)), s["small"]))
    if opinion.readings:
        out.append(
            para(
                _("The stills disagree: {readings}.").format(readings="; ".join(opinion.readings)), s["small"]
            )
        )
        out.append(para(_("Rule: {rule}").format(rule=opinion.rule), s["small"]))
    return out


def doctor_block(opinion: DoctorOpinion | None, *, title: str | None = None) -> list[Flowable]:
    s = styles()
    title = title or _("Doctor's diagnosis")
    if opinion is None:
        return [para(title, s["h3"]), para(_("No diagnosis was recorded at this visit."), s["small"])]
    code = f" ({opinion.code})" if opinion.code else ""
    if opinion.signed_at is not None:
        signed = _("signed off by {name} on {time}").format(
            name=opinion.signed_by, time=moment(opinion.signed_at)
        )
    else:
        signed = _("not signed off")
    out: list[Flowable] = [
        para(title, s["h3"]),
        para(opinion.diagnosis + code, s["body"], bold=True),
        para(_("Confirmed by: {how}").format(how=opinion.confirmation), s["body"]),
        para(f"{opinion.doctor}, {day(opinion.visit_date)}; {signed}", s["small"]),
    ]
    if opinion.notes:
        out += [Spacer(1, 3), para(_("Notes"), s["h3"]), para(opinion.notes, s["body"])]
    return out


def lesion_block(
    section: LesionSection,
    width: float,
    *,
    doctor_title: str | None = None,
    space_after: float = 5 * mm,
    lead: Sequence[Flowable] = (),
) -> list[Flowable]:
    """The lesion as a list of flowables that may break between pages, but never leave a heading alone.

    The lesion's heading (and any `lead`, such as a letter's "Findings") is kept on one page with the
    body map and the first row of pictures; the model's and the doctor's findings follow as one piece;
    further pictures flow across as many pages as they need. Nothing here is taller than a page, so a
    lesion with hundreds of pictures lays out instead of failing, and nothing pushes a whole lesion to
    the next page leaving most of a page blank."""
    figure = body_map(section.label, section.map_x, section.map_y, section.map_view, height=40 * mm)
    if section.map_view is None:
        figure_cell: list[Flowable] = [figure, para(_("No body-map position recorded."), styles()["caption"])]
    else:
        figure_cell = [figure]
    pictures_w = width - FIGURE_COLUMN
    top = Table(
        [[figure_cell, pictures_grid(section.images, pictures_w)]], colWidths=[FIGURE_COLUMN, pictures_w]
    )
    top.setStyle(table_style(NO_PLAIN_STYLE))
    left_w = width * 0.56
    gap = 6 * mm
    findings = Table(
        [[model_block(section.model, left_w - gap), doctor_block(section.doctor, title=doctor_title)]],
        colWidths=[left_w, width - left_w],
    )
    findings.setStyle(
        table_style(
            [
                *NO_PLAIN_STYLE,
                ("RIGHTPADDING", (0, 0), (0, 0), gap),
                ("LEFTPADDING", (1, 0), (1, 0), 3 * mm),
                ("LINEBEFORE", (1, 0), (1, 0), 0.5, RULE),
            ]
        )
    )
    out: list[Flowable] = [
        KeepTogether([*lead, heading(section, width), Spacer(1, 2.5 * mm), top]),
        Spacer(1, 2 * mm),
        findings,
        *specialist_block(section.specialist),
    ]
    more = more_pictures(section, width)
    if more is not None:
        out += [Spacer(1, 3 * mm), more]
    out.append(Spacer(1, space_after))
    return out


def specialist_block(lines: tuple[str, ...]) -> list[Flowable]:
    """The dermatologist's teleconsultation answer(s), when there are any."""
    if not lines:
        return []
    s = styles()
    out: list[Flowable] = [Spacer(1, 2 * mm), para(_("Dermatologist's opinion (teledermatology)"), s["h3"])]
    for line in lines:
        bold = line.startswith(("Answer", "Amendment"))
        out.append(para(line, s["body"], bold=bold))
    return out
