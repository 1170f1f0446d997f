"""The lesion timeline: one lesion's pictures from every visit side by side, zoomed and panned together.

What doctors compare is the same spot of the lesion over time, so every picture shows the same part:
each scene is scaled to one common width, all views share one transform (zoom) and their scroll bars
follow each other (pan, by dragging or scrolling). The mouse wheel zooms all views around the point
under the mouse in the view it turned in.

The pictures are read from the image store and decoded into QImages on a worker (QImage may be made
off the GUI thread; pixmaps are made here). Reading them is covered by the patient view the core
audited when the record was opened.

Under each picture (when the window is given the records session) staff can leave the picture out of
reports or move it to another lesion of the same patient (`picture_actions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap, QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import ImageInfo, LesionInfo, RecordsError
from dermdesk.records.image_store import ImageStore
from dermdesk.station import PatientInView
from dermdesk.tasks import TaskState
from dermdesk.ui.common.patient_banner import PatientBanner
from dermdesk.ui.common.record_wording import lesion_site_text, pictures_text, visits_text
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.terms import stored_light_name
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.records.picture_actions import PictureActions

SCENE_WIDTH = 1000.0  # every picture is scaled to this many scene units across
ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.05, 40.0
VIEW_BACKGROUND = "#1e1e1e"  # dark around the picture, as in clinical image viewers


@dataclass(frozen=True)
class LoadedPicture:
    info: ImageInfo
    image: QImage | None
    problem: str | None


def load_pictures(state: TaskState, store: ImageStore, images: tuple[ImageInfo, ...]) -> list[LoadedPicture]:
    """Read and decode each picture (worker thread); a missing or unreadable file is reported, not fatal."""
    loaded: list[LoadedPicture] = []
    for index, info in enumerate(images):
        state.raise_if_cancelled()
        state.set_progress(
            index / max(1, len(images)), QCoreApplication.translate("lesion_timeline", "Reading the pictures")
        )
        try:
            image = QImage.fromData(store.read(info.relative_path))
        except RecordsError as exc:  # a missing file or an unreachable share: say so, show the rest
            loaded.append(LoadedPicture(info, None, str(exc)))
            continue
        if image.isNull():
            loaded.append(
                LoadedPicture(
                    info,
                    None,
                    QCoreApplication.translate("lesion_timeline", "Image {id} could not be decoded.").format(
                        id=info.id
                    ),
                )
            )
        else:
            loaded.append(LoadedPicture(info, image, None))
    return loaded


def caption(info: ImageInfo) -> str:
    how = [
        QCoreApplication.translate("lesion_timeline", "picture {number}").format(number=info.number)
        if info.number
        else None,
        stored_light_name(info.lighting_mode),
    ]
    how.append(f"{info.magnification:g}×" if info.magnification else None)
    how.append(
        QCoreApplication.translate("lesion_timeline", "kept despite the quality check")
        if info.quality_gate_overridden
        else None
    )
    how.append(
        QCoreApplication.translate("lesion_timeline", "left out of reports") if not info.for_report else None
    )
    details = ", ".join(part for part in how if part)
    local = info.captured_at.astimezone()
    return QCoreApplication.translate(
        "lesion_timeline", "<b>Visit {isoformat}</b> · {local:%H:%M} · by {captured_by}"
    ).format(isoformat=info.visit_date.isoformat(), local=local, captured_by=info.captured_by) + (
        f"<br>{details}" if details else ""
    )


class TimelineView(QGraphicsView):
    """One picture; the wheel asks the shared zoom to change instead of scrolling."""

    sig_wheel_zoom = Signal(object, float)
    """(this view, factor) from a wheel turn."""
    sig_resized = Signal()
    """The view's size changed (a fitted timeline fits again)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setMinimumSize(260, 260)
        self.setBackgroundBrush(QColor(VIEW_BACKGROUND))
        self.item: QGraphicsPixmapItem | None = None

    def show_image(self, image: QImage) -> None:
        item = self.scene().addPixmap(QPixmap.fromImage(image))
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setScale(SCENE_WIDTH / max(1, image.width()))
        self.item = item
        self.scene().setSceneRect(item.sceneBoundingRect())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.sig_resized.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        steps = event.angleDelta().y() / 120
        if steps:
            self.sig_wheel_zoom.emit(self, ZOOM_STEP**steps)
        event.accept()


class SyncedViews(QObject):
    """Keeps the views' zoom (one transform) and scroll positions the same."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views: list[TimelineView] = []
        self.fitted = True  # until the user zooms, the pictures fit their views, also after resizing
        self._syncing = False

    def add(self, view: TimelineView) -> None:
        self.views.append(view)
        view.horizontalScrollBar().valueChanged.connect(
            lambda value, v=view: self._on_scrolled(v, value, True)
        )
        view.verticalScrollBar().valueChanged.connect(
            lambda value, v=view: self._on_scrolled(v, value, False)
        )
        view.sig_wheel_zoom.connect(self.zoom_by)
        view.sig_resized.connect(self._on_resized)
        if len(self.views) > 1:
            view.setTransform(self.views[0].transform())

    @property
    def scale(self) -> float:
        return self.views[0].transform().m11() if self.views else 1.0

    def zoom_by(self, source: TimelineView | None, factor: float) -> None:
        """Zoom every view by `factor` (around the mouse in `source`, else around the centre)."""
        if not self.views:
            return
        scale = min(MAX_SCALE, max(MIN_SCALE, self.scale * factor))
        self.fitted = False
        self.set_scale(scale, source)

    def set_scale(self, scale: float, source: TimelineView | None = None) -> None:
        leader = source or self.views[0]
        self._syncing = True
        try:
            leader.setTransform(QTransform.fromScale(scale, scale))
            for view in self.views:
                if view is not leader:
                    view.setTransform(QTransform.fromScale(scale, scale))
        finally:
            self._syncing = False
        self.follow(leader)

    def fit(self) -> None:
        """The whole of the first picture in its view, and the same zoom for all."""
        if not self.views or self.views[0].item is None:
            return
        leader = self.views[0]
        leader.fitInView(leader.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.fitted = True
        self.set_scale(leader.transform().m11(), leader)

    def _on_resized(self) -> None:
        if self.fitted and not self._syncing:
            self.fit()

    def follow(self, leader: TimelineView) -> None:
        """Give every view the leader's scroll position."""
        self._on_scrolled(leader, leader.horizontalScrollBar().value(), True)
        self._on_scrolled(leader, leader.verticalScrollBar().value(), False)

    def _on_scrolled(self, source: TimelineView, value: int, horizontal: bool) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            for view in self.views:
                if view is not source:
                    bar = view.horizontalScrollBar() if horizontal else view.verticalScrollBar()
                    bar.setValue(value)
        finally:
            self._syncing = False


class LesionTimeline(QWidget):
    """A window with one column per picture of a lesion, oldest visit on the left."""

    sig_loaded = Signal()
    """Every picture was read (or reported missing) and is shown."""

    def __init__(
        self,
        record_number: str,
        lesion: LesionInfo,
        store: ImageStore,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        patient: PatientInView | None = None,
        specialist: tuple[str, ...] = (),
        session: RecordsSession | None = None,
        other_labels: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._session = session
        self._other_labels = other_labels
        self.picture_actions: list[PictureActions] = []
        self.patient_banner = PatientBanner(patient=patient, parent=self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(
            self.tr("DermDesk — {record_number} {label} timeline").format(
                record_number=record_number, label=lesion.label
            )
        )
        fit_window(self, 1100, 560)
        self.record_number = record_number
        self.lesion = lesion
        self.sync = SyncedViews(self)
        self.loaded = False
        visits = len({image.visit_date for image in lesion.images})
        pictures = len(lesion.images)
        title = QLabel(
            self.tr(
                "<b>{label}</b> — {lesion_site} · first seen {isoformat} · {plural} "
                "from {plural2}. Wheel: zoom all · drag: pan all."
            ).format(
                label=lesion.label,
                lesion_site=lesion_site_text(lesion),
                isoformat=lesion.first_seen.isoformat(),
                plural=pictures_text(pictures),
                plural2=visits_text(visits),
            ),
            self,
        )
        title.setWordWrap(True)
        self.fit_button = QPushButton(self.tr("Fit"), self)
        self.zoom_out_button = QPushButton("−", self)
        self.zoom_in_button = QPushButton("+", self)
        self.fit_button.clicked.connect(self.sync.fit)
        self.zoom_out_button.clicked.connect(lambda: self.sync.zoom_by(None, 1 / ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.sync.zoom_by(None, ZOOM_STEP))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.close)
        bar = QHBoxLayout()
        bar.addWidget(title, 1)
        for button in (self.fit_button, self.zoom_out_button, self.zoom_in_button, self.close_button):
            bar.addWidget(button)
        self.columns = QHBoxLayout()
        strip = QWidget(self)
        strip.setLayout(self.columns)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(strip)
        self.status = QLabel(
            self.tr("Reading the pictures…") if lesion.images else self.tr("No pictures of this lesion yet.")
        )
        column = QVBoxLayout(self)
        column.addWidget(self.patient_banner)
        column.addLayout(bar)
        self.specialist = QLabel(
            "<br>".join(["<b>Dermatologist's opinion (teledermatology)</b>", *specialist]), self
        )
        self.specialist.setWordWrap(True)
        self.specialist.setTextFormat(Qt.TextFormat.RichText)
        self.specialist.setVisible(bool(specialist))
        column.addWidget(self.specialist)
        column.addWidget(scroll, 1)
        column.addWidget(self.status)
        if lesion.images:
            tasks.start(load_pictures, store, lesion.images, name="timeline", on_done=self._on_loaded)
        else:
            self.loaded = True

    def _on_loaded(self, pictures: list[LoadedPicture] | None, error: BaseException | None) -> None:
        if error is not None or pictures is None:
            self.status.setText(self.tr("The pictures could not be read: {error}").format(error=error))
            return
        problems = []
        for picture in pictures:
            self.columns.addWidget(self._column(picture), 1)
            if picture.problem:
                problems.append(picture.problem)
        self.status.setText(" ".join(problems) if problems else "")
        self.loaded = True
        self.sync.fit()
        self.sig_loaded.emit()

    def _column(self, picture: LoadedPicture) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        label = QLabel(caption(picture.info), box)
        label.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(label)
        if self._session is not None:
            actions = PictureActions(self._session, self.record_number, picture.info, self._other_labels, box)
            actions.sig_changed.connect(self.status.setText)
            self.picture_actions.append(actions)
            column.addWidget(actions)
        if picture.image is None:
            missing = QLabel(picture.problem or self.tr("Missing picture"), box)
            missing.setWordWrap(True)
            missing.setMinimumSize(260, 260)
            missing.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(missing, 1)
            return box
        view = TimelineView(box)
        view.show_image(picture.image)
        self.sync.add(view)
        column.addWidget(view, 1)
        return box

    @property
    def views(self) -> list[TimelineView]:
        return self.sync.views

    def visit_dates(self) -> list[str]:
        return [view_info.visit_date.isoformat() for view_info in self.lesion.images]
