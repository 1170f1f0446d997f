"""The body map: front and back silhouettes to place a new lesion or pick a followed one.

A position is stored as the records core wants it: x and y from 0 to 1 across the figure's box, and
the view (front or back). The figures are drawn from simple shapes (QPainterPath) in a 100 × 220 unit
box, each shape named with the ISIC body site it belongs to, so a click also suggests the site and a
description ("right forearm") that staff can correct. On the front the patient faces the viewer:
the figure's right side is on the left of the picture; on the back it is on the right.

Clicking a marker emits `sig_lesion_picked(label)`; clicking elsewhere on the body emits
`sig_position_picked(BodyPoint)`. Clicks beside the body are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from dermdesk.records import AnatomSite, LesionInfo
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

UNIT_W, UNIT_H = 100.0, 220.0
VIEWS = ("front", "back")
MARKER_RADIUS = 7.0
CAPTION_HEIGHT = 18.0
MARGIN = 8.0
BODY_FILL = QColor("#e9dccf")
BODY_LINE = QColor("#8a7460")
MARKER_FILL = QColor("#c0392b")
SELECTED_FILL = QColor("#1f6fb2")


@dataclass(frozen=True)
class BodyPoint:
    """A place on the body map: x, y in 0..1 across the figure's box, and the view."""

    x: float
    y: float
    view: str


@dataclass(frozen=True)
class BodyPart:
    name: str  # "forearm", "head"; the side is added from the position
    sided: bool
    front_site: AnatomSite
    back_site: AnatomSite
    outline: QPainterPath

    def site(self, view: str) -> AnatomSite:
        return self.front_site if view == "front" else self.back_site


def _polygon(*points: tuple[float, float]) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(QPointF(cx, cy), rx, ry)
    return path


def _mirrored(path: QPainterPath) -> QPainterPath:
    out = QPainterPath()
    polygon = path.toFillPolygon()  # iterable at runtime, but not in PySide6's stubs
    points = [polygon.at(i) for i in range(polygon.size())]
    out.addPolygon(QPolygonF([QPointF(UNIT_W - p.x(), p.y()) for p in points]))
    out.closeSubpath()
    return out


def _parts() -> tuple[BodyPart, ...]:
    upper, lower = AnatomSite.UPPER_EXTREMITY, AnatomSite.LOWER_EXTREMITY
    head, palms = AnatomSite.HEAD_NECK, AnatomSite.PALMS_SOLES
    one_side = [
        (
            "upper arm",
            upper,
            upper,
            _polygon((31, 35), (22, 38), (12, 78), (20, 80), (27.5, 52)),
        ),
        ("forearm", upper, upper, _polygon((12, 78), (20, 80), (14, 117), (6, 116))),
        ("hand", palms, upper, _ellipse(10, 125, 5.5, 9)),
        ("thigh", lower, lower, _polygon((30, 104), (48.5, 106), (46.5, 158), (35, 158), (30, 130))),
        (
            "lower leg",
            lower,
            lower,
            _polygon((35, 158), (46.5, 158), (45, 200), (38, 200)),
        ),
        ("foot", lower, palms, _ellipse(41.5, 205, 7, 5)),
    ]
    parts = [
        BodyPart("head", False, head, head, _ellipse(50, 14, 10, 12.5)),
        BodyPart("neck", False, head, head, _polygon((45, 24), (55, 24), (56, 33), (44, 33))),
        BodyPart(
            "trunk",
            False,
            AnatomSite.ANTERIOR_TORSO,
            AnatomSite.POSTERIOR_TORSO,
            _polygon((36, 32), (64, 32), (71, 37), (70, 70), (70, 108), (30, 108), (30, 70), (29, 37)),
        ),
    ]
    for name, front, back, outline in one_side:
        parts.append(BodyPart(name, True, front, back, outline))
        parts.append(BodyPart(name, True, front, back, _mirrored(outline)))
    return tuple(parts)


PARTS = _parts()
_WORDS = (  # for lupdate: describe() and the captions translate these when they are shown
    QT_TRANSLATE_NOOP("body_map", "head"),
    QT_TRANSLATE_NOOP("body_map", "neck"),
    QT_TRANSLATE_NOOP("body_map", "trunk"),
    QT_TRANSLATE_NOOP("body_map", "upper arm"),
    QT_TRANSLATE_NOOP("body_map", "forearm"),
    QT_TRANSLATE_NOOP("body_map", "hand"),
    QT_TRANSLATE_NOOP("body_map", "thigh"),
    QT_TRANSLATE_NOOP("body_map", "lower leg"),
    QT_TRANSLATE_NOOP("body_map", "foot"),
    QT_TRANSLATE_NOOP("body_map", "front"),
    QT_TRANSLATE_NOOP("body_map", "back"),
    QT_TRANSLATE_NOOP("body_map", "Front"),
    QT_TRANSLATE_NOOP("body_map", "Back"),
)


def part_at(x: float, y: float) -> BodyPart | None:
    """The body part under a point given in 0..1 figure coordinates, or None beside the body."""
    unit = QPointF(x * UNIT_W, y * UNIT_H)
    return next((part for part in PARTS if part.outline.contains(unit)), None)


def describe(point: BodyPoint) -> tuple[AnatomSite, str] | None:
    """The suggested ISIC site and a description such as "right forearm (back)" for a point."""
    part = part_at(point.x, point.y)
    if part is None:
        return None
    name = QCoreApplication.translate("body_map", part.name)
    if part.sided:
        left_of_picture = point.x < 0.5
        patients_right = left_of_picture if point.view == "front" else not left_of_picture
        side = "right" if patients_right else "left"
        name = (
            QCoreApplication.translate("body_map", "right {part}")
            if side == "right"
            else QCoreApplication.translate("body_map", "left {part}")
        ).format(part=name)
    view = QCoreApplication.translate("body_map", point.view)
    return part.site(point.view), QCoreApplication.translate("body_map", "{part} ({view})").format(
        part=name, view=view
    )


class BodyMap(QWidget):
    """Front and back figures side by side, with a marker for every lesion that has a position."""

    sig_position_picked = Signal(object)
    """A BodyPoint on the body where no marker is: place a new lesion there."""
    sig_lesion_picked = Signal(str)
    """The label of the lesion whose marker was clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(200, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("Click the body to place a new lesion; click a marker to pick a lesion."))
        self._lesions: tuple[LesionInfo, ...] = ()
        self._selected: str | None = None
        self._outline = QPainterPath()
        for part in PARTS:
            self._outline = self._outline.united(part.outline)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(320, 360)

    # --- state -----------------------------------------------------------------------------------

    def set_lesions(self, lesions: tuple[LesionInfo, ...]) -> None:
        self._lesions = tuple(lesion for lesion in lesions if lesion.map_view in VIEWS)
        self.update()

    def set_selected(self, label: str | None) -> None:
        self._selected = label
        self.update()

    def clear(self) -> None:
        self._lesions, self._selected = (), None
        self.update()

    @property
    def markers(self) -> list[str]:
        return [lesion.label for lesion in self._lesions]

    # --- geometry --------------------------------------------------------------------------------

    def figure_box(self, view: str) -> QRectF:
        """Where the figure of `view` is drawn, in widget pixels (aspect UNIT_W:UNIT_H)."""
        half = self.width() / 2
        height = max(
            10.0, min(self.height() - CAPTION_HEIGHT - 2 * MARGIN, (half - 2 * MARGIN) * UNIT_H / UNIT_W)
        )
        width = height * UNIT_W / UNIT_H
        left = (VIEWS.index(view)) * half + (half - width) / 2
        return QRectF(left, MARGIN + CAPTION_HEIGHT, width, height)

    def widget_point(self, point: BodyPoint) -> QPointF:
        """Where a body-map point is in widget pixels (tests click there)."""
        box = self.figure_box(point.view)
        return QPointF(box.left() + point.x * box.width(), box.top() + point.y * box.height())

    def body_point(self, position: QPointF) -> BodyPoint | None:
        """The point on a figure under a widget position, or None outside both figures' boxes."""
        for view in VIEWS:
            box = self.figure_box(view)
            if box.contains(position):
                x = (position.x() - box.left()) / box.width()
                y = (position.y() - box.top()) / box.height()
                return BodyPoint(round(min(1.0, max(0.0, x)), 4), round(min(1.0, max(0.0, y)), 4), view)
        return None

    def _marker_at(self, position: QPointF) -> str | None:
        for lesion in reversed(self._lesions):
            assert lesion.map_x is not None and lesion.map_y is not None and lesion.map_view is not None
            centre = self.widget_point(BodyPoint(lesion.map_x, lesion.map_y, lesion.map_view))
            if (centre - position).manhattanLength() <= 2 * MARKER_RADIUS:
                return lesion.label
        return None

    # --- input -----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        position = event.position()
        label = self._marker_at(position)
        if label is not None:
            self.sig_lesion_picked.emit(label)
            return
        point = self.body_point(position)
        if point is not None and part_at(point.x, point.y) is not None:
            self.sig_position_picked.emit(point)

    # --- painting --------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        caption_font = QFont(self.font())
        caption_font.setBold(True)
        for view in VIEWS:
            box = self.figure_box(view)
            painter.setFont(caption_font)
            painter.setPen(self.palette().windowText().color())
            caption = QRectF(box.left() - 20, MARGIN, box.width() + 40, CAPTION_HEIGHT)
            painter.drawText(
                caption,
                Qt.AlignmentFlag.AlignCenter,
                QCoreApplication.translate("body_map", view.capitalize()),
            )
            painter.save()
            painter.translate(box.topLeft())
            painter.scale(box.width() / UNIT_W, box.height() / UNIT_H)
            painter.setPen(QPen(BODY_LINE, 0))  # cosmetic: one pixel whatever the scale
            painter.setBrush(BODY_FILL)
            painter.drawPath(self._outline)
            painter.restore()
        painter.setFont(self.font())
        for lesion in self._lesions:
            assert lesion.map_x is not None and lesion.map_y is not None and lesion.map_view is not None
            centre = self.widget_point(BodyPoint(lesion.map_x, lesion.map_y, lesion.map_view))
            selected = lesion.label == self._selected
            painter.setPen(QPen(QColor("white"), 2))
            painter.setBrush(SELECTED_FILL if selected else MARKER_FILL)
            radius = MARKER_RADIUS + (2 if selected else 0)
            painter.drawEllipse(centre, radius, radius)
            painter.setPen(SELECTED_FILL if selected else QColor("#5a1a12"))
            painter.drawText(centre + QPointF(radius + 2, 4), lesion.label)
        painter.end()
