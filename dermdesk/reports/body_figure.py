"""The small body map printed beside each lesion: front and back figures with the lesion's marker.

The outlines are those of the station's body map (`dermdesk/ui/records/body_map.py`, a 100 × 220 unit box
with y growing downwards; a test keeps the two in step), drawn here with reportlab graphics so the
report stays Qt-free. On the front the patient faces the reader: the patient's right is on the left.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Group, Polygon, String
from reportlab.lib import colors

from dermdesk.i18n import N_
from dermdesk.i18n.names import is_syllable
from dermdesk.reports.fonts import BASE, BOLD, HANGUL, register_fonts
from dermdesk.reports.language import _

UNIT_W, UNIT_H = 100.0, 220.0
VIEWS = ("front", "back")
VIEW_NAMES = {"front": N_("Front"), "back": N_("Back")}
BODY_FILL = colors.HexColor("#e9dccf")
BODY_LINE = colors.HexColor("#8a7460")
MARKER_FILL = colors.HexColor("#c0392b")

Point = tuple[float, float]

# (kind, coordinates): polygons as points, ellipses as (cx, cy, rx, ry); the figure's right side only
# for the limbs, mirrored for the left. Same numbers as dermdesk/ui/records/body_map.py.
CENTRE_PARTS: tuple[tuple[str, tuple[float, ...]], ...] = (
    ("ellipse", (50, 14, 10, 12.5)),
    ("polygon", (45, 24, 55, 24, 56, 33, 44, 33)),
    ("polygon", (36, 32, 64, 32, 71, 37, 70, 70, 70, 108, 30, 108, 30, 70, 29, 37)),
)
SIDE_PARTS: tuple[tuple[str, tuple[float, ...]], ...] = (
    ("polygon", (31, 35, 22, 38, 12, 78, 20, 80, 27.5, 52)),
    ("polygon", (12, 78, 20, 80, 14, 117, 6, 116)),
    ("ellipse", (10, 125, 5.5, 9)),
    ("polygon", (30, 104, 48.5, 106, 46.5, 158, 35, 158, 30, 130)),
    ("polygon", (35, 158, 46.5, 158, 45, 200, 38, 200)),
    ("ellipse", (41.5, 205, 7, 5)),
)


def _mirror(kind: str, values: tuple[float, ...]) -> tuple[str, tuple[float, ...]]:
    if kind == "ellipse":
        cx, cy, rx, ry = values
        return kind, (UNIT_W - cx, cy, rx, ry)
    return kind, tuple(UNIT_W - v if i % 2 == 0 else v for i, v in enumerate(values))


def parts() -> list[tuple[str, tuple[float, ...]]]:
    """Every outline of one figure, in unit coordinates (y down)."""
    return [*CENTRE_PARTS, *SIDE_PARTS, *(_mirror(kind, values) for kind, values in SIDE_PARTS)]


def _figure(scale: float, left: float, bottom: float) -> Group:
    group = Group()
    for kind, values in parts():
        if kind == "ellipse":
            cx, cy, rx, ry = values
            shape: Ellipse | Polygon = Ellipse(
                left + cx * scale, bottom + (UNIT_H - cy) * scale, rx * scale, ry * scale
            )
        else:
            points = [
                left + v * scale if i % 2 == 0 else bottom + (UNIT_H - v) * scale
                for i, v in enumerate(values)
            ]
            shape = Polygon(points)
        shape.fillColor = BODY_FILL
        shape.strokeColor = BODY_LINE
        shape.strokeWidth = 0.4
        group.add(shape)
    return group


def body_map(
    label: str, x: float | None, y: float | None, view: str | None, *, height: float = 120.0
) -> Drawing:
    """Front and back figures `height` points tall; a marker at (x, y) of `view` when it is known."""
    register_fonts()
    caption = 9.0
    scale = (height - caption) / UNIT_H
    figure_w = UNIT_W * scale
    gap = 4.0
    drawing = Drawing(2 * figure_w + gap, height, initialFontName=BASE)
    for index, name in enumerate(VIEWS):
        left = index * (figure_w + gap)
        drawing.add(_figure(scale, left, 0))
        view_name = _(VIEW_NAMES[name])
        drawing.add(
            String(
                left + figure_w / 2,
                height - 7,
                view_name,
                fontName=HANGUL if any(is_syllable(c) for c in view_name) else BASE,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=colors.HexColor("#555555"),
            )
        )
    if x is not None and y is not None and view in VIEWS:
        left = VIEWS.index(view) * (figure_w + gap)
        cx, cy = left + x * figure_w, (1 - y) * (height - caption)
        marker = Circle(cx, cy, 3.2, fillColor=MARKER_FILL, strokeColor=colors.white, strokeWidth=0.8)
        drawing.add(marker)
        anchor = "start" if x < 0.6 else "end"
        dx = 4.5 if anchor == "start" else -4.5
        drawing.add(
            String(
                cx + dx,
                cy - 2.2,
                label,
                fontName=BOLD,
                fontSize=6.5,
                textAnchor=anchor,
                fillColor=colors.HexColor("#5a1a12"),
            )
        )
    return drawing
