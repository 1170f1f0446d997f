"""A `torchrun` training whose second process dies mid-epoch stops cleanly, keeps the last whole
checkpoint, and the same command resumes from it and finishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from dermdesk.training.distributed import FAULT_ENV

REPO = Path(__file__).resolve().parents[2]
HAM = REPO.parent / "shared" / "data" / "ham10000"

pytestmark = pytest.mark.slow  # two short trainings under torchrun


def run(out: Path, fault: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault:
        env[FAULT_ENV] = fault
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc-per-node=2",
        "--max-restarts=0",
        "-m",
        "dermdesk.training.train",
        "--quick",
        "--data",
        str(HAM),
        "--splits",
        str(REPO / "splits"),
        "--out",
        str(out),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=REPO, env=env)


def test_a_process_dying_mid_epoch_stops_the_run_and_it_resumes_from_its_checkpoint(tmp_path: Path) -> None:
    out = tmp_path / "train"
    died = run(out, fault="1:1:3")  # process 1 dies at step 3 of the second epoch
    assert died.returncode != 0
    assert "fault injected: process 1 dies in epoch 2, step 3" in died.stderr
    saved = torch.load(out / "checkpoint.pt", weights_only=False)
    assert saved["state"]["epoch"] == 1 and not saved["state"]["finished"]  # the last whole epoch, intact
    assert not (out / "training.json").exists()  # no summary from a run that did not finish

    resumed = run(out, fault=None)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resuming after epoch 1" in resumed.stderr
    summary = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert [h["epoch"] for h in summary["history"]] == [1, 2] and summary["processes"] == 2
