"""The capture desk's device work as plain task functions run on a worker: the light, the camera's controls.

Switching a serial LED ring may wait up to its timeout and probing a camera's controls can take a
second on some drivers, so none of it runs on the GUI thread.
"""

from __future__ import annotations

from dermdesk.capture.controls import (
    CameraControls,
    ControlName,
    ControlRange,
    ControlState,
    apply_remembered,
    remembered_state,
)
from dermdesk.capture.frames import FrameSource
from dermdesk.capture.lighting import LightingController, LightingMode, VirtualLighting, open_lighting
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from dermdesk.i18n import _
from dermdesk.settings import CameraProfile
from dermdesk.tasks import TaskState

ControlsProbe = tuple[dict[ControlName, ControlRange], dict[ControlName, ControlState], list[str]]


def open_controller(
    state: TaskState, source: FrameSource, profile: CameraProfile, preferred: LightingMode | None
) -> LightingController | None:
    """The lighting controller for ``source`` (worker thread): the virtual dermatoscope's own light, the
    device named in the camera profile, or None when the light is not under software control."""
    state.set_progress(0.1, _("Connecting to the light"))
    controller: LightingController
    if isinstance(source, VirtualDermatoscope):
        controller = VirtualLighting(source)
    elif profile.lighting_device:
        controller = open_lighting(profile.lighting_device, v4l2_controls=profile.v4l2_lighting_controls)
    else:
        return None
    if preferred in controller.available_modes() and controller.current_mode is not preferred:
        controller.set_mode(preferred)
    return controller


def switch_light(state: TaskState, controller: LightingController, mode: LightingMode) -> LightingMode:
    state.set_progress(0.5, _("Switching to {label}").format(label=mode.label))
    controller.set_mode(mode)
    return mode


def close_controller(state: TaskState, controller: LightingController) -> None:
    controller.close()


def probe_controls(
    state: TaskState, controls: CameraControls, remembered: dict[str, object]
) -> ControlsProbe:
    """Which controls the device has, with the remembered values applied (worker thread)."""
    state.set_progress(0.2, _("Looking at the camera's controls"))
    supported = controls.probe()
    notices = apply_remembered(controls, supported, remembered)
    return supported, {name: controls.get(name) for name in supported}, notices


def change_control(
    state: TaskState, controls: CameraControls, name: ControlName, value: float | None, auto: bool | None
) -> tuple[ControlName, ControlState, dict[str, float | bool]]:
    """Set a value or an automatic mode; returns what the device reads back and all values to remember."""
    if auto is not None:
        controls.set_auto(name, auto)
    if value is not None:
        controls.set_value(name, value)
    supported = controls.probe()
    return name, controls.get(name), remembered_state(controls, supported)
