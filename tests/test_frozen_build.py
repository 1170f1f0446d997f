"""The PyInstaller one-folder build (installer/dermdesk.spec): built, checked, and its self-test run.

FROZEN BUILD TEST: the session builds dist/dermdesk once with installer/build.py (about 40 s of
PyInstaller on 2 cores), or reuses the folder when it was built from exactly these sources and installed
packages (key in build/pyinstaller/dermdesk.key), then runs the frozen executable offscreen.
`make dist` builds the same folder, so either one warms the other.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dist" / "dermdesk"
EXE = APP / ("dermdesk.exe" if sys.platform == "win32" else "dermdesk")

pytestmark = pytest.mark.frozen

sys.path.insert(0, str(ROOT / "installer"))
from check_dist import findings, module_findings  # noqa: E402


@pytest.fixture(scope="session")
def frozen_app() -> Path:
    """dist/dermdesk, built for this session unless already up to date with the sources."""
    built = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=840,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert EXE.is_file()
    return APP


def frozen_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DERMDESK_", "PYTHON", "VIRTUAL_ENV"))}
    env["DERMDESK_CONFIG_DIR"] = str(tmp_path / "config")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_the_folder_ships_the_runtime_and_none_of_the_training_or_central_dependencies(frozen_app) -> None:
    internal = frozen_app / "_internal"
    libs = {p.name.split(".")[0] for p in (internal / "openvino" / "libs").iterdir()}
    assert {"libopenvino", "libopenvino_intel_cpu_plugin", "libopenvino_ir_frontend"} <= libs
    platforms = {p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    assert {"libqoffscreen.so", "libqxcb.so"} <= platforms
    from dermdesk.inference.package import default_package_dir

    assert (internal / "resources" / "models" / default_package_dir().name / "manifest.json").is_file()
    assert (internal / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    assert (internal / "dermdesk" / "records" / "migrations" / "env.py").is_file()
    assert findings(frozen_app) == []
    assert module_findings(frozen_app) == []


def test_the_frozen_selftest_passes_offscreen(frozen_app, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(EXE), "--data-dir", str(tmp_path / "data"), "selftest", "--json"],
        env=frozen_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert [c["name"] for c in result["checks"]] == ["model", "classify", "records", "report", "window"]
    assert all(c["status"] == "pass" for c in result["checks"]), result
    assert "_internal/resources/models/" in result["checks"][0]["detail"]  # the bundled model, not ours
    assert "'offscreen' platform plugin" in result["checks"][4]["detail"]


def test_the_frozen_selftest_fails_on_a_damaged_model(frozen_app, tmp_path: Path) -> None:
    damaged = tmp_path / "model"
    package = next((frozen_app / "_internal" / "resources" / "models").iterdir())
    damaged.mkdir()
    for file in package.iterdir():
        (damaged / file.name).write_bytes(file.read_bytes())
    xml = next(damaged.glob("*int8.xml"))
    xml.write_bytes(xml.read_bytes().replace(b"<net ", b"<net  ", 1))
    env = frozen_env(tmp_path) | {"DERMDESK_MODEL_DIR": str(damaged)}
    done = subprocess.run(
        [str(EXE), "selftest", "--no-window"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    assert "FAIL    model:" in done.stdout and done.stdout.rstrip().endswith(
        "Self-test FAILED: 4 of 4 checks."
    )


def test_bench_startup_measures_the_frozen_window(frozen_app, tmp_path: Path, capsys) -> None:
    from dermdesk.cli import main

    assert (
        main(
            [
                "--data-dir",
                str(tmp_path),
                "bench",
                "startup",
                "--frozen",
                str(EXE),
                "--seconds",
                "1",
                "--json",
            ]
        )
        == 0
    )
    figures = json.loads(capsys.readouterr().out)["startup"]
    assert figures["launched"] == f"frozen {EXE}"
    assert figures["median_process_to_shown_s"] > 0
