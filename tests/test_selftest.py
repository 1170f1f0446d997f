"""`dermdesk selftest` from the source checkout, and the resource lookup the frozen build relies on.

The frozen build runs the same self-test in tests/test_frozen_build.py.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from dermdesk.cli import main
from dermdesk.inference.package import default_package_dir
from dermdesk.resources import resource_path, resources_root

CORE = ["model", "classify", "records", "report"]


def test_selftest_passes_from_source_and_leaves_the_station_data_alone(station_dirs, capsys) -> None:
    assert main(["selftest", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["passed"] is True
    assert [c["name"] for c in result["checks"]] == [*CORE, "window"]
    assert all(c["status"] == "pass" for c in result["checks"]), result
    classify = result["checks"][1]["detail"]
    assert classify.startswith("36 sample pictures classified")
    # the scratch database lived in a temporary folder: the station's data folder holds only the log
    left = sorted(p.relative_to(station_dirs.data_dir).as_posix() for p in station_dirs.data_dir.rglob("*"))
    assert all(name.startswith("logs") for name in left), left


def test_a_damaged_model_fails_the_selftest_and_skips_what_depends_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    damaged = tmp_path / "model"
    shutil.copytree(default_package_dir(), damaged)
    weights = next(damaged.glob("*.bin"))
    weights.write_bytes(weights.read_bytes()[:-16] + b"\0" * 16)
    monkeypatch.setenv("DERMDESK_MODEL_DIR", str(damaged))
    assert main(["selftest", "--no-window"]) == 1
    out = capsys.readouterr().out
    assert "FAIL    model:" in out and "checksum" in out
    for name in CORE[1:]:
        assert f"SKIPPED {name}: not run: the model check failed" in out
    assert out.strip().splitlines()[-1] == "Self-test FAILED: 4 of 4 checks."


def test_resources_are_found_beside_the_bundle_when_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = resources_root()
    assert checkout == Path(__file__).resolve().parents[1] / "resources"
    assert (checkout / "CREDITS.md").is_file()
    package = tmp_path / "resources" / "models" / "dermdesk-lesion-9.9.9"
    package.mkdir(parents=True)
    (package / "manifest.json").write_text("{}")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("fonts", "DejaVuSans.ttf") == tmp_path / "resources" / "fonts" / "DejaVuSans.ttf"
    assert default_package_dir() == package
