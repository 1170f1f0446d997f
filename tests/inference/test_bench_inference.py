"""`dermdesk bench inference` measures the model the station uses, not only the newest shipped one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dermdesk.inference.package import default_package_dir, load_package, write_manifest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # the whole test split: `make test`, not the quick lane
def test_the_inference_benchmark_measures_the_model_in_use(tmp_path: Path) -> None:
    shipped = default_package_dir()
    installed = tmp_path / "models" / "dermdesk-lesion-0.0.9"  # as an update would be installed
    installed.mkdir(parents=True)
    for item in shipped.iterdir():
        if item.name != "manifest.json":
            (installed / item.name).symlink_to(item)
    manifest = load_package(shipped).manifest.to_dict()
    manifest["version"] = "0.0.9"
    write_manifest(installed, manifest)

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DERMDESK_MODEL_DIR": str(installed)}
    command = ["bench", "inference", "--seconds", "0.2", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "dermdesk", "--data-dir", str(tmp_path / "data"), *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)["inference"]
    assert figures["model"]["version"] == "0.0.9"
    assert figures["runtimes_batch1"]["openvino_int8"]["p50_ms"] > 0
