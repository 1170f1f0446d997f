"""The capture screen's controls behind the main window: light, camera controls, gated stills, sequences.

The window hands the desk each new picture source (`source_started`) and the user's capture requests;
the desk owns the lighting controller and the camera-control probing for that source, runs every
device call and every piece of image work on a TaskRunner (switching a serial LED ring may wait up to
its timeout; a burst waits for frames), and reports back through signals. Saved stills leave through
`sig_still_captured`, which the window turns into thumbnails.

Per-camera state — remembered control values, contact/non-contact, lighting device, white balance,
ruler scales — lives in the settings' camera profile, keyed by the source (`virtual`, `camera:0`, ...).
Calibration and measuring live in `calibration_desk.CalibrationDesk`, which shares this desk's source.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget

from dermdesk.capture.controls import (
    CameraControls,
    ControlError,
    ControlName,
    ControlState,
    HasCameraControls,
)
from dermdesk.capture.frames import FrameSource
from dermdesk.capture.grabber import StatusEvent, StatusKind
from dermdesk.capture.lighting import (
    LightingController,
    LightingMode,
)
from dermdesk.capture.session_stills import (
    CapturedStill,
    SequenceOutcome,
    SequenceStoppedError,
    SessionStills,
    StillCandidate,
    save_candidate,
    take_candidate,
    take_sequence,
)
from dermdesk.capture.station_tasks import (
    ControlsProbe,
    change_control,
    close_controller,
    open_controller,
    probe_controls,
    switch_light,
)
from dermdesk.settings import CameraProfile
from dermdesk.source_spec import SourceSpec
from dermdesk.station import StationModel
from dermdesk.tasks import TaskCancelledError
from dermdesk.ui.capture.camera_controls import CameraControlsPanel
from dermdesk.ui.capture.grabber_bridge import GrabberBridge
from dermdesk.ui.capture.lighting_panel import LightingPanel
from dermdesk.ui.capture.quality_dialog import QualityDialog
from dermdesk.ui.capture.virtual_lesion_chooser import VirtualLesionChooser
from dermdesk.ui.common.terms import light_name
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)


class CaptureDesk(QObject):
    """Lighting, camera controls, quality-gated stills and lighting sequences for one station window."""

    sig_still_captured = Signal(object)
    """A CapturedStill now on disk (single still or one of a sequence)."""
    sig_lighting_changed = Signal(object)
    """The LightingMode the device confirmed."""
    sig_lighting_ready = Signal(object)
    """The modes on offer for the new source (an empty tuple when the light is not controllable)."""
    sig_controls_shown = Signal(object)
    """The ControlNames the controls panel shows for the current source."""
    sig_quality_dialog = Signal(object)
    """A QualityDialog was opened for a still that failed the gate."""
    sig_sequence_finished = Signal(object)
    """A SequenceOutcome, or the SequenceStoppedError of a sequence that stopped early."""

    def __init__(
        self, model: StationModel, session: SessionStills, still_tasks: TaskRunner, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._session = session
        self._parent = parent
        self._still_tasks = still_tasks
        self._lighting_tasks = TaskRunner(parent, max_threads=1)  # switches happen in the order asked
        self._control_tasks = TaskRunner(parent, max_threads=1)
        self.lighting_panel = LightingPanel(parent)
        self.controls_panel = CameraControlsPanel(parent)
        self.controls_dock = QDockWidget(self.tr("Camera"), parent)
        self.controls_dock.setObjectName("camera-dock")
        self.controls_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.lesion_chooser = VirtualLesionChooser(parent)
        dock_content = QWidget(parent)
        dock_column = QVBoxLayout(dock_content)
        dock_column.setContentsMargins(0, 0, 0, 0)
        dock_column.addWidget(self.lesion_chooser)
        dock_column.addWidget(self.controls_panel, 1)
        self.controls_dock.setWidget(dock_content)
        self.controller: LightingController | None = None
        self._source: FrameSource | None = None
        self._bridge: GrabberBridge | None = None
        self._generation = 0
        self._busy = False
        self._closed = False
        self.quality_dialog: QualityDialog | None = None
        self.lighting_panel.sig_mode_chosen.connect(self._on_mode_chosen)
        self.lighting_panel.sig_sequence_requested.connect(self._on_sequence_requested)
        self.controls_panel.sig_value_changed.connect(self._on_control_value)
        self.controls_panel.sig_auto_changed.connect(self._on_control_auto)
        self.controls_panel.sig_contact_changed.connect(self._on_contact_changed)

    # --- the source ------------------------------------------------------------------------------

    @property
    def camera_key(self) -> str:
        return str(self._model.source)

    @property
    def profile(self) -> CameraProfile:
        return self._model.settings.camera_profile(self.camera_key)

    def update_profile(self, **changes: object) -> None:
        """Remember ``changes`` in the current camera's profile (saved with the settings at close)."""
        self._model.settings = self._model.settings.with_camera_profile(self.camera_key, **changes)

    @property
    def bridge(self) -> GrabberBridge | None:
        """The grabber of the source now streaming (None before the first source)."""
        return self._bridge

    @property
    def busy(self) -> bool:
        return self._busy

    def source_started(self, spec: SourceSpec, bridge: GrabberBridge) -> None:
        """A new source streams: find its light and (once connected) its controls."""
        self._generation += 1
        self._release_controller()
        self._bridge, self._source = bridge, bridge.source
        self.lesion_chooser.show_source(bridge.source)
        self.lighting_panel.set_modes((), None, note=self.tr("Connecting…"))
        self.controls_panel.show_controls({}, {}, note=self.tr("Connecting…"))
        self.controls_panel.set_contact(self.profile.contact)
        bridge.sig_status.connect(self._on_camera_status)
        generation = self._generation
        self._lighting_tasks.start(
            open_controller,
            bridge.source,
            self.profile,
            self._preferred_mode(),
            name="open-lighting",
            on_done=lambda controller, error: self._on_controller(generation, controller, error),
        )

    def _preferred_mode(self) -> LightingMode | None:
        try:
            return LightingMode(self._model.settings.lighting_mode)
        except ValueError:
            return None

    def _release_controller(self) -> None:
        controller, self.controller = self.controller, None
        if controller is not None:
            self._lighting_tasks.start(close_controller, controller, name="close-lighting")

    def _on_controller(
        self, generation: int, controller: LightingController | None, error: BaseException | None
    ) -> None:
        if generation != self._generation or self._closed:
            if controller is not None:
                self._lighting_tasks.start(close_controller, controller, name="close-lighting")
            return
        if error is not None:
            self.lighting_panel.set_modes((), None, note=self.tr("Light not available"))
            self._warn(self.tr("Light not available"), str(error))
            self.sig_lighting_ready.emit(())
            return
        self.controller = controller
        if controller is None:
            self.lighting_panel.set_modes(
                (), None, note=self.tr("not under software control for this source")
            )
            self._model.set_lighting(None)
            self.sig_lighting_ready.emit(())
            return
        self.lighting_panel.set_modes(controller.available_modes(), controller.current_mode)
        self._model.set_lighting(controller.current_mode)
        remembered = [m for m in _modes(self.profile.sequence_modes) if m in controller.available_modes()]
        if remembered:
            self.lighting_panel.set_sequence_modes(remembered)
        self.sig_lighting_ready.emit(controller.available_modes())

    def _on_camera_status(self, event: StatusEvent) -> None:
        bridge = self._bridge
        if (
            bridge is None
            or event.source_name != bridge.source.name
            or event.kind is not StatusKind.CONNECTED
        ):
            return
        source = bridge.source
        if not isinstance(source, HasCameraControls):
            self.controls_panel.show_controls({}, {})
            self.sig_controls_shown.emit([])
            return
        generation = self._generation
        self._control_tasks.start(
            probe_controls,
            source.camera_controls(),
            dict(self.profile.controls),
            name="probe-controls",
            on_done=lambda probe, error: self._on_controls_probed(generation, probe, error),
        )

    def _on_controls_probed(
        self, generation: int, probe: ControlsProbe | None, error: BaseException | None
    ) -> None:
        if generation != self._generation or self._closed:
            return
        if error is not None or probe is None:
            self.controls_panel.show_controls(
                {}, {}, note=self.tr("The camera's controls could not be read: {error}").format(error=error)
            )
            self.sig_controls_shown.emit([])
            return
        supported, states, notices = probe
        self.controls_panel.show_controls(supported, states)
        for notice in notices:
            self._model.notify(notice, 8000)
        self.sig_controls_shown.emit(self.controls_panel.visible_controls())

    # --- lighting --------------------------------------------------------------------------------

    @property
    def lighting(self) -> LightingMode | None:
        """The mode the device last confirmed (None when the light is not under software control)."""
        return self.lighting_panel.current

    def _on_mode_chosen(self, mode: LightingMode) -> None:
        controller = self.controller
        if controller is None or self._busy:
            self.lighting_panel.set_current(self.lighting)
            return
        self._lighting_tasks.start(
            switch_light, controller, mode, name="switch-light", on_done=self._on_light_switched
        )

    def _on_light_switched(self, mode: LightingMode | None, error: BaseException | None) -> None:
        if self._closed:
            return
        controller = self.controller
        if error is not None or mode is None:
            self.lighting_panel.set_current(controller.current_mode if controller is not None else None)
            self._warn(self.tr("Light not switched"), str(error))
            return
        self.lighting_panel.set_current(mode)
        self._model.settings = self._model.settings.model_copy(update={"lighting_mode": mode.value})
        self._model.set_lighting(mode)
        logger.info("Lighting set to %s", mode.value)
        self.sig_lighting_changed.emit(mode)

    # --- camera controls ------------------------------------------------------------------------

    def _controls(self) -> CameraControls | None:
        source = self._source
        return source.camera_controls() if isinstance(source, HasCameraControls) else None

    def _on_control_value(self, name: ControlName, value: float) -> None:
        self._change_control(name, value, None)

    def _on_control_auto(self, name: ControlName, auto: bool) -> None:
        self._change_control(name, None, auto)

    def _change_control(self, name: ControlName, value: float | None, auto: bool | None) -> None:
        controls = self._controls()
        if controls is None:
            return
        self._control_tasks.start(
            change_control,
            controls,
            name,
            value,
            auto,
            name="camera-control",
            on_done=self._on_control_changed,
        )

    def _on_control_changed(
        self,
        changed: tuple[ControlName, ControlState, dict[str, float | bool]] | None,
        error: BaseException | None,
    ) -> None:
        if self._closed:
            return
        if error is not None or changed is None:
            message = (
                str(error)
                if isinstance(error, ValueError | ControlError)
                else self.tr("Camera control: {error}").format(error=error)
            )
            self._model.notify(message, 8000)
            return
        name, state, remembered = changed
        self.controls_panel.show_state(name, state)
        self.update_profile(controls=remembered)

    def _on_contact_changed(self, contact: bool) -> None:
        self.update_profile(contact=contact)

    # --- stills ----------------------------------------------------------------------------------

    def still_extra(self) -> dict[str, object]:
        """What every still of this camera records besides the picture: device, contact, controls, scale."""
        profile = self.profile
        extra: dict[str, object] = {"device": self.camera_key, "contact": profile.contact}
        if profile.controls:
            extra["camera_controls"] = dict(profile.controls)  # the values chosen on the Camera panel
        scale = profile.scale
        if scale is not None:
            extra["scale"] = {
                "mm_per_pixel": scale.mm_per_pixel,
                "width": scale.width,
                "height": scale.height,
                "magnification": profile.magnification,
            }
        return extra

    def capture(self) -> None:
        """Take a burst, keep the sharpest frame, check it; save it or ask about it."""
        bridge = self._bridge
        refusal = self._model.capture_refusal()
        if refusal is not None:
            self._warn(self.tr("No still taken"), refusal)
            return
        if self._busy:
            self._model.notify(self.tr("Still busy with the previous still…"), 3000)
            return
        if self.quality_dialog is not None:
            self._model.notify(
                self.tr("Answer the quality check first: Keep anyway, Retake or Discard."), 5000
            )
            self.quality_dialog.raise_()
            return
        if bridge is None or not bridge.grabber.running:
            self._model.notify(self.tr("No picture to capture yet."), 4000)
            return
        self._busy = True
        self._model.notify(self.tr("Taking the still…"))
        self._still_tasks.start(
            take_candidate, bridge.grabber, self.lighting, name="take-still", on_done=self._on_candidate
        )

    def _on_candidate(self, candidate: StillCandidate | None, error: BaseException | None) -> None:
        if self._closed:
            return
        if error is not None or candidate is None:
            self._busy = False
            if not isinstance(error, TaskCancelledError):
                self._warn(self.tr("Still not taken"), str(error))
            return
        if candidate.best.report.passed:
            self._save(candidate, overridden=False)
            return
        dialog = QualityDialog(candidate.best.report, candidate.thumbnail, self._parent)
        dialog.sig_keep.connect(lambda: self._save(candidate, overridden=True))
        dialog.sig_retake.connect(self._on_retake)
        dialog.sig_discard.connect(self._on_discard)
        self.quality_dialog = dialog
        self._busy = False  # the light and camera controls stay usable while the question waits
        self._model.notify(" ".join(candidate.best.report.messages), 10_000)
        dialog.show()
        self.sig_quality_dialog.emit(dialog)

    def _on_retake(self) -> None:
        self.quality_dialog = None
        self.capture()  # with the exposure and light set now

    def _on_discard(self) -> None:
        self.quality_dialog = None
        self._model.notify(self.tr("Still discarded."), 4000)

    def _save(self, candidate: StillCandidate, *, overridden: bool) -> None:
        self.quality_dialog = None
        self._busy = True
        self._still_tasks.start(
            save_candidate,
            self._session,
            candidate,
            self.still_extra(),
            overridden,
            name="save-still",
            on_done=self._on_saved,
        )

    def _on_saved(self, captured: CapturedStill | None, error: BaseException | None) -> None:
        self._busy = False
        if self._closed:
            return
        if error is not None or captured is None:
            self._warn(self.tr("Still not saved"), str(error))
            return
        self.sig_still_captured.emit(captured)

    # --- lighting sequences ---------------------------------------------------------------------

    def _on_sequence_requested(self, modes: list[LightingMode]) -> None:
        self.run_sequence(modes)

    def run_sequence(self, modes: list[LightingMode]) -> None:
        """One still per mode in ``modes``, in one go, on a worker."""
        bridge, controller = self._bridge, self.controller
        refusal = self._model.capture_refusal()
        if refusal is not None:
            self._warn(self.tr("No lighting sequence taken"), refusal)
            return
        if self._busy or bridge is None or controller is None or self.quality_dialog is not None:
            self._model.notify(self.tr("The lighting sequence cannot start now."), 4000)
            return
        if not modes:
            self._model.notify(self.tr("Tick at least one mode in the sequence menu."), 4000)
            return
        self._busy = True
        self.lighting_panel.set_busy(True)
        self.update_profile(sequence_modes=[mode.value for mode in modes])
        self._model.notify(self.tr("Lighting sequence: {modes} stills…").format(modes=len(modes)))
        self._still_tasks.start(
            take_sequence,
            self._session,
            controller,
            bridge.grabber,
            list(modes),
            self.still_extra(),
            name="lighting-sequence",
            on_done=self._on_sequence_done,
        )

    def _on_sequence_done(self, outcome: SequenceOutcome | None, error: BaseException | None) -> None:
        self._busy = False
        if self._closed:
            return
        self.lighting_panel.set_busy(False)
        if self.controller is not None:
            self.lighting_panel.set_current(self.controller.current_mode)
        if isinstance(error, SequenceStoppedError):
            for captured in error.captured:
                self.sig_still_captured.emit(captured)
            self._warn(self.tr("Lighting sequence stopped"), str(error))
            self.sig_sequence_finished.emit(error)
            return
        if error is not None or outcome is None:
            if not isinstance(error, TaskCancelledError):
                self._warn(self.tr("Lighting sequence not taken"), str(error))
            return
        kept = [captured for captured in outcome.captured if captured.lighting not in outcome.problems]
        for captured in kept:  # a still the gate refused is not filed without a person's decision
            self.sig_still_captured.emit(captured)
        summary = self.tr("Lighting sequence: {kept} stills saved.").format(kept=len(kept))
        if outcome.problems:
            details = "; ".join(
                f"{light_name(mode)}: {' '.join(msgs)}" for mode, msgs in outcome.problems.items()
            )
            summary += self.tr(
                " Not kept (the quality check refused them; take them one at a time to decide): {details}"
            ).format(details=details)
        self._model.notify(summary, 15_000)
        self.sig_sequence_finished.emit(outcome)

    # --- messages and shutdown ------------------------------------------------------------------

    def _warn(self, title: str, message: str) -> None:
        if not self._closed:
            self._model.warn(title, message)

    def active_task_threads(self) -> int:
        """Pool threads of the desk's own runners still running (lighting, camera controls)."""
        return self._lighting_tasks.active_thread_count() + self._control_tasks.active_thread_count()

    def shutdown(self) -> None:
        """Stop timers and tasks and release the light (the window closes)."""
        self._closed = True
        self.controls_panel.stop()
        if self.quality_dialog is not None:
            self.quality_dialog.close()
        self._lighting_tasks.shutdown()
        self._control_tasks.shutdown()
        controller, self.controller = self.controller, None
        if controller is not None:
            controller.close()


def _modes(values: list[str]) -> list[LightingMode]:
    modes = []
    for value in values:
        try:
            modes.append(LightingMode(value))
        except ValueError:
            logger.warning("Unknown lighting mode %r in the camera profile (ignored)", value)
    return modes
