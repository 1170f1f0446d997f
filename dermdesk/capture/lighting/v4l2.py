"""Linux UVC cameras whose LEDs are V4L2 controls, switched with ``v4l2-ctl`` (package v4l-utils).

Many USB dermatoscopes and microscopes expose their LEDs as vendor controls of the camera itself
(``v4l2-ctl -d /dev/video2 --list-ctrls`` shows them). Their names differ by vendor, so each lighting
mode maps to a set of control values, configurable per device in the camera's profile
(``v4l2_lighting_controls``)::

    {"off": {"led_mode": 0}, "white": {"led_mode": 1}, "uv_365": {"led_mode": 3}}

Switching to a mode runs exactly one command::

    v4l2-ctl -d /dev/video2 --set-ctrl=led_mode=3

``open()`` lists the device's controls once (``--list-ctrls``) and offers only the modes whose
controls all exist. A missing ``v4l2-ctl``, a command that fails or hangs, and an unconfigured mode
are LightingErrors that say what to do.
"""

from __future__ import annotations

import logging
import re
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dermdesk.capture.lighting.controller import LightingError, check_offered, in_enum_order
from dermdesk.capture.lighting.modes import LightingMode
from dermdesk.i18n import _

log = logging.getLogger(__name__)

EXECUTABLE = "v4l2-ctl"
TIMEOUT_S = 3.0

ModeControls = dict[LightingMode, dict[str, int]]

DEFAULT_MODE_CONTROLS: ModeControls = {
    LightingMode.OFF: {"led_mode": 0},
    LightingMode.WHITE: {"led_mode": 1},
    LightingMode.WHITE_POLARISED: {"led_mode": 2},
    LightingMode.UV_365: {"led_mode": 3},
}
"""An example layout (one menu control); real devices are configured in their camera profile."""

_CONTROL_LINE = re.compile(r"^\s*([A-Za-z0-9_]+)\s+0x[0-9a-fA-F]+\s+\(")

Runner = Callable[..., Any]


def mode_controls_from_settings(raw: Mapping[str, Mapping[str, int]] | None) -> ModeControls:
    """Settings' ``{"uv_365": {"led_uv": 1}}`` as a ModeControls; LightingError for unknown modes."""
    if not raw:
        return {mode: dict(controls) for mode, controls in DEFAULT_MODE_CONTROLS.items()}
    result: ModeControls = {}
    for name, controls in raw.items():
        try:
            mode = LightingMode(name)
        except ValueError as exc:
            raise LightingError(
                _("The V4L2 lighting settings name an unknown lighting mode {name!r}.").format(name=name)
            ) from exc
        result[mode] = {str(control): int(value) for control, value in controls.items()}
    return result


class V4l2Lighting:
    """A LightingController for the LEDs of a V4L2 camera, through the ``v4l2-ctl`` command."""

    def __init__(
        self,
        device: str,
        mode_controls: Mapping[LightingMode, Mapping[str, int]],
        *,
        executable: str = EXECUTABLE,
        timeout_s: float = TIMEOUT_S,
        runner: Runner = subprocess.run,
    ) -> None:
        if not mode_controls:
            raise LightingError(_("No lighting modes are configured for {device}.").format(device=device))
        self.device = device
        self.name = f"Camera LEDs on {device}"
        self.executable = executable
        self.timeout_s = timeout_s
        self._runner = runner
        self._mode_controls = {mode: dict(controls) for mode, controls in mode_controls.items()}
        self._modes = in_enum_order(list(self._mode_controls))
        self._current: LightingMode | None = None
        self._lock = threading.Lock()  # one v4l2-ctl at a time, so switches land in the order asked

    def set_ctrl_argv(self, mode: LightingMode) -> list[str]:
        """The command line that switches to ``mode``."""
        controls = self._mode_controls.get(mode)
        if not controls:
            raise LightingError(
                _("{name}: no V4L2 controls are configured for {label}.").format(
                    name=self.name, label=mode.label
                )
            )
        setting = ",".join(f"{name}={value}" for name, value in controls.items())
        return [self.executable, "-d", self.device, f"--set-ctrl={setting}"]

    def list_ctrls_argv(self) -> list[str]:
        return [self.executable, "-d", self.device, "--list-ctrls"]

    def open(self) -> None:
        """Keep only the modes whose controls the device has; LightingError if none is left."""
        present = set(parse_control_names(self._run(self.list_ctrls_argv(), _("list its controls"))))
        usable = [mode for mode, controls in self._mode_controls.items() if set(controls) <= present]
        for mode in set(self._mode_controls) - set(usable):
            missing = sorted(set(self._mode_controls[mode]) - present)
            log.warning("%s: %s not offered, controls missing: %s", self.name, mode.value, ", ".join(missing))
        self._modes = in_enum_order(usable)
        if not self._modes:
            wanted = sorted({name for controls in self._mode_controls.values() for name in controls})
            raise LightingError(
                _(
                    "{device} has none of the configured LED controls ({value}) — check the camera's "
                    "lighting settings against `v4l2-ctl --list-ctrls`."
                ).format(device=self.device, value=", ".join(wanted))
            )

    def available_modes(self) -> tuple[LightingMode, ...]:
        return self._modes

    @property
    def current_mode(self) -> LightingMode | None:
        return self._current

    def set_mode(self, mode: LightingMode) -> None:
        check_offered(self.name, mode, self._modes)
        with self._lock:
            self._run(self.set_ctrl_argv(mode), _("switch to {light}").format(light=mode.label))
            self._current = mode

    def close(self) -> None:
        """Nothing to release: each switch is a separate command."""

    def _run(self, argv: Sequence[str], doing: str) -> str:
        try:
            done = self._runner(
                list(argv), capture_output=True, text=True, timeout=self.timeout_s, check=False
            )
        except FileNotFoundError as exc:
            raise LightingError(
                _(
                    "{executable} was not found, so the camera's LEDs cannot be switched — install "
                    "the v4l-utils package (e.g. `sudo apt install v4l-utils`)."
                ).format(executable=self.executable)
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise LightingError(
                _("{executable} did not finish within {timeout_s:g} s trying to {doing} on {device}.").format(
                    executable=self.executable, timeout_s=self.timeout_s, doing=doing, device=self.device
                )
            ) from exc
        except OSError as exc:
            raise LightingError(
                _("{executable} could not be run: {exc}").format(executable=self.executable, exc=exc)
            ) from exc
        if done.returncode != 0:
            reason = (done.stderr or done.stdout or "").strip().splitlines()
            detail = reason[0] if reason else _("exit code {code}").format(code=done.returncode)
            raise LightingError(
                _("Could not {doing} on {device}: {detail}").format(
                    doing=doing, device=self.device, detail=detail
                )
            )
        return str(done.stdout)


def parse_control_names(listing: str) -> list[str]:
    """Control names from ``v4l2-ctl --list-ctrls`` output (lines like ``name 0x00980900 (int) : ...``)."""
    return [match.group(1) for line in listing.splitlines() if (match := _CONTROL_LINE.match(line))]
