"""The V4L2 LED driver, on the command lines it runs: a fake `v4l2-ctl` on PATH logs its arguments.

We have no UVC dermatoscope with LED controls here, so the test plays `v4l2-ctl`: a small script that
records each argv, prints a control listing and fails, hangs or succeeds as the test asks.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from dermdesk.capture.lighting import LightingError, LightingMode, open_lighting
from dermdesk.capture.lighting.v4l2 import V4l2Lighting, mode_controls_from_settings, parse_control_names

LISTING = """
User Controls

                     brightness 0x00980900 (int)    : min=-64 max=64 step=1 default=0 value=0
                      led_white 0x0a046d05 (bool)   : default=1 value=1
                         led_uv 0x0a046d06 (bool)   : default=0 value=0
                       led_mode 0x0a046d07 (menu)   : min=0 max=3 default=1 value=1
"""

FAKE = """#!{python}
import json, os, sys, time
with open(os.environ["FAKE_V4L2_LOG"], "a") as log:
    # argv[0] arrives as the full path PATH resolved; log the name the driver ran
    log.write(json.dumps([os.path.basename(sys.argv[0])] + sys.argv[1:]) + "\\n")
if os.environ.get("FAKE_V4L2_HANG"):
    time.sleep(10)
if "--list-ctrls" in sys.argv:
    sys.stdout.write(os.environ["FAKE_V4L2_LISTING"])
code = int(os.environ.get("FAKE_V4L2_EXIT", "0"))
if code:
    sys.stderr.write("VIDIOC_S_EXT_CTRLS: failed: Invalid argument\\n")
sys.exit(code)
"""


@pytest.fixture
def fake_v4l2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Puts a fake v4l2-ctl first on PATH; returns the file its argv lines are logged to."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "v4l2-ctl"
    script.write_text(FAKE.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "v4l2.log"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_V4L2_LOG", str(log))
    monkeypatch.setenv("FAKE_V4L2_LISTING", LISTING)
    return log


def calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def separate_leds() -> dict[LightingMode, dict[str, int]]:
    return {
        LightingMode.OFF: {"led_white": 0, "led_uv": 0},
        LightingMode.WHITE: {"led_white": 1, "led_uv": 0},
        LightingMode.UV_365: {"led_white": 0, "led_uv": 1},
        LightingMode.NB_450: {"led_blue": 1},  # this camera has no such control
    }


def test_switching_runs_exactly_one_set_ctrl_command_per_mode(fake_v4l2: Path) -> None:
    leds = V4l2Lighting("/dev/video2", separate_leds())
    leds.open()
    assert leds.available_modes() == (LightingMode.OFF, LightingMode.WHITE, LightingMode.UV_365)
    leds.set_mode(LightingMode.UV_365)
    leds.set_mode(LightingMode.OFF)
    assert leds.current_mode is LightingMode.OFF
    assert calls(fake_v4l2) == [
        ["v4l2-ctl", "-d", "/dev/video2", "--list-ctrls"],
        ["v4l2-ctl", "-d", "/dev/video2", "--set-ctrl=led_white=0,led_uv=1"],
        ["v4l2-ctl", "-d", "/dev/video2", "--set-ctrl=led_white=0,led_uv=0"],
    ]
    assert leds.set_ctrl_argv(LightingMode.WHITE) == [
        "v4l2-ctl",
        "-d",
        "/dev/video2",
        "--set-ctrl=led_white=1,led_uv=0",
    ]


def test_the_default_layout_from_a_v4l2_spec(fake_v4l2: Path) -> None:
    leds = open_lighting("v4l2:/dev/video0")
    leds.set_mode(LightingMode.WHITE_POLARISED)
    assert calls(fake_v4l2)[-1] == ["v4l2-ctl", "-d", "/dev/video0", "--set-ctrl=led_mode=2"]


def test_control_names_come_from_the_settings_per_device(fake_v4l2: Path) -> None:
    controls = {"white": {"led_white": 1}, "uv_365": {"led_uv": 1, "led_white": 0}}
    leds = open_lighting("v4l2:/dev/video4", v4l2_controls=controls)
    leds.set_mode(LightingMode.UV_365)
    assert calls(fake_v4l2)[-1] == ["v4l2-ctl", "-d", "/dev/video4", "--set-ctrl=led_uv=1,led_white=0"]
    with pytest.raises(LightingError, match="unknown lighting mode 'infrared'"):
        mode_controls_from_settings({"infrared": {"led_ir": 1}})


def test_a_mode_the_camera_lacks_is_refused_without_running_anything(fake_v4l2: Path) -> None:
    leds = V4l2Lighting("/dev/video2", separate_leds())
    leds.open()
    with pytest.raises(LightingError, match=r"has no Narrow band 450 nm \(blue\) — it offers"):
        leds.set_mode(LightingMode.NB_450)
    assert len(calls(fake_v4l2)) == 1  # only the listing


def test_a_camera_without_any_configured_control_is_refused(fake_v4l2: Path) -> None:
    with pytest.raises(LightingError, match=r"has none of the configured LED controls \(led_red\)"):
        V4l2Lighting("/dev/video2", {LightingMode.NB_630: {"led_red": 1}}).open()


def test_missing_v4l2_ctl_says_which_package_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nowhere to find v4l2-ctl
    leds = V4l2Lighting("/dev/video2", separate_leds())
    with pytest.raises(LightingError, match=r"v4l2-ctl was not found.*install the v4l-utils package"):
        leds.open()


def test_a_failing_command_reports_its_error_line(fake_v4l2: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    leds = V4l2Lighting("/dev/video2", separate_leds())
    leds.open()
    monkeypatch.setenv("FAKE_V4L2_EXIT", "255")
    with pytest.raises(
        LightingError, match=r"Could not switch to UV 365 nm .* on /dev/video2: VIDIOC_S_EXT_CTRLS: failed"
    ):
        leds.set_mode(LightingMode.UV_365)
    assert leds.current_mode is None  # nothing claimed that did not happen


def test_a_hanging_command_times_out(fake_v4l2: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_V4L2_HANG", "1")
    leds = V4l2Lighting("/dev/video2", separate_leds(), timeout_s=0.5)
    with pytest.raises(LightingError, match=r"did not finish within 0\.5 s trying to list its controls"):
        leds.open()


def test_control_listing_parser() -> None:
    assert parse_control_names(LISTING) == ["brightness", "led_white", "led_uv", "led_mode"]
