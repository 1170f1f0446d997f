"""Done when: a test kills the job runner mid-training, the service keeps accepting cases, and the job is
restarted or marked failed with its reason. Real processes throughout: `dermdesk-central serve`, `jobs run`,
and a `--quick` retraining under torchrun on HAM10000 plus the uploaded cases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests
from sync.packages import HAM
from sync.servers import free_port

from central.test_bookkeeping import upload
from dermdesk.central import jobs, store
from dermdesk.central.config import CentralConfig
from dermdesk.inference.package import default_package_dir

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
SPLITS = Path(__file__).resolve().parents[2] / "splits"


def training_processes(home: Path, *, workers_only: bool = False) -> list[psutil.Process]:
    """This test's training processes: torchrun's agent and its workers (in sessions of their own)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        ours = "dermdesk.training.make_model" in cmdline and any(str(home) in word for word in cmdline)
        if ours and not (workers_only and "torch.distributed.run" in cmdline):
            found.append(process)
    return found


def test_killing_the_job_runner_mid_training_leaves_the_api_accepting_and_the_job_failed_with_its_reason(
    tmp_path: Path,
) -> None:
    home = tmp_path / "central"
    config = CentralConfig(home=home)
    engine = jobs.open_engine(config.url)
    token = store.add_device(engine, "station")
    env = {
        **os.environ,
        "DERMDESK_CENTRAL_HOME": str(home),
        "DERMDESK_CENTRAL_RETRAIN_THRESHOLD": "3",
        "DERMDESK_CENTRAL_BASE_DATA": str(HAM),
        "DERMDESK_CENTRAL_BASE_SPLITS": str(SPLITS),
        "DERMDESK_CENTRAL_BASE_MODEL": str(default_package_dir()),
        "DERMDESK_CENTRAL_QUICK": "1",
        "DERMDESK_CENTRAL_JOB_ATTEMPTS": "1",
    }
    cli = [sys.executable, "-m", "dermdesk.central.cli"]
    port = free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    runner = subprocess.Popen([*cli, "jobs", "run"], env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url + "/v1/models/latest", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.3)
        assert [upload(url, token, n).status_code for n in range(3)] == [201] * 3  # the threshold

        deadline = time.monotonic() + 600
        while not training_processes(home, workers_only=True):  # a torchrun worker trains
            assert time.monotonic() < deadline, "the retraining did not start"
            assert runner.poll() is None, "the job runner stopped"
            time.sleep(1)
        job = jobs.recent(engine, 1)[0]
        assert job["state"] == jobs.RUNNING and str(job["progress"]).startswith("training")
        time.sleep(5)
        ours = training_processes(home)
        assert len(ours) >= 2  # torchrun's agent and at least one worker

        runner.send_signal(signal.SIGKILL)  # the runner dies mid-training
        runner.wait(10)
        answers = [upload(url, token, n).status_code for n in range(3, 8)]
        assert answers == [201] * 5  # the service keeps accepting cases
        assert jobs.describe(engine, int(job["id"]))["state"] == jobs.RUNNING  # type: ignore[index]
        assert [j["state"] for j in jobs.recent(engine)] == [jobs.QUEUED, jobs.RUNNING]  # 5 new: due, once

        runner = subprocess.Popen([*cli, "jobs", "run"], env=env, stderr=subprocess.DEVNULL)  # restarted
        deadline = time.monotonic() + 60
        while jobs.describe(engine, int(job["id"]))["state"] == jobs.RUNNING:  # type: ignore[index]
            assert time.monotonic() < deadline, "the restarted runner did not settle the job"
            time.sleep(0.5)
        settled = jobs.describe(engine, int(job["id"]))
        assert settled is not None and settled["state"] == jobs.FAILED
        assert (
            "the job runner stopped while this job ran (attempt 1 of 1); not restarted" in settled["result"]
        )
        _gone, alive = psutil.wait_procs(ours, timeout=30)
        assert not alive, "the killed runner's training was left running"
        runner.terminate()  # it took the newer retraining: stopping it ends that training too
        assert runner.wait(60) == 0
        deadline = time.monotonic() + 30
        while training_processes(home):
            assert time.monotonic() < deadline, "a stopped runner left its training running"
            time.sleep(0.5)
        assert store.new_labelled_cases(engine) == 8  # nothing was marked used by the failed job
    finally:
        for process in (runner, server):
            if process.poll() is None:
                process.terminate()
                process.wait(30)
