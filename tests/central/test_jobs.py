"""The job runner, a process of its own: it carries out a queued retraining or says why it failed, one
runner at a time; administrators see its state (and that none runs) over an authenticated endpoint and
on the command line; a job left running by a runner that stopped is restarted or marked failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from sync.servers import LiveServer

from dermdesk.central import admin, jobs, store
from dermdesk.central.app import create_app
from dermdesk.central.cli import main
from dermdesk.central.config import CentralConfig


@pytest.fixture
def config(tmp_path: Path) -> CentralConfig:
    return CentralConfig(home=tmp_path / "central", retrain_threshold=1)


def queue_retraining(config: CentralConfig) -> None:
    with jobs.open_engine(config.url).begin() as conn:
        conn.execute(
            jobs.jobs.insert().values(kind=jobs.RETRAIN, state=jobs.QUEUED, queued_at=store.utcnow())
        )


def start_runner(config: CentralConfig, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dermdesk.central.cli", "--home", str(config.home), "jobs", "run"],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def latest(config: CentralConfig) -> dict[str, object]:
    return jobs.recent(jobs.open_engine(config.url), 1)[0]


@pytest.fixture
def runner_stopper() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(30)


def test_a_retraining_that_cannot_run_is_failed_with_its_reason_and_admins_see_it(
    config: CentralConfig, runner_stopper: list[subprocess.Popen[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    queue_retraining(config)
    app = create_app(config)
    admin_token = admin.add_admin(app.state.engine, "ops")
    device_token = store.add_device(app.state.engine, "station")
    server = LiveServer(app).start()
    try:
        url = server.url + "/v1/admin/jobs"
        seen = requests.get(url, headers={"Authorization": f"Bearer {admin_token}"}, timeout=5).json()
        assert seen["runner"]["state"] == "never started"  # the API says no runner runs, and a job waits
        assert "no runner to take it" in seen["runner"]["warning"]
        assert (
            requests.get(url, headers={"Authorization": f"Bearer {device_token}"}, timeout=5).status_code
            == 401
        )
        assert requests.get(url, timeout=5).status_code == 401

        runner_stopper.append(start_runner(config))  # no base data configured where the runner runs
        wait_until(lambda: latest(config)["state"] == jobs.FAILED)
        failed = latest(config)
        assert "retraining is off" in str(failed["result"]) and "DERMDESK_CENTRAL_BASE_DATA" in str(
            failed["result"]
        )
        seen = requests.get(url, headers={"Authorization": f"Bearer {admin_token}"}, timeout=5).json()
        assert seen["runner"]["state"] == "running" and seen["jobs"][0]["state"] == jobs.FAILED
        log = requests.get(
            server.url + f"/v1/admin/jobs/{failed['id']}/log",
            headers={"Authorization": f"Bearer {admin_token}"},
            timeout=5,
        )
        assert log.status_code == 200 and "retraining is off" in log.text  # the traceback, in its log

        second = start_runner(config)  # one runner at a time: a second one is refused, and says so
        out, _ = second.communicate(timeout=60)
        assert second.returncode == 1 and "another job runner is running" in out
        seen = requests.get(url, headers={"Authorization": f"Bearer {admin_token}"}, timeout=5).json()
        assert "a second job runner was refused" in seen["runner"]["detail"]

        runner_stopper[0].terminate()
        assert runner_stopper[0].wait(30) == 0
        seen = requests.get(url, headers={"Authorization": f"Bearer {admin_token}"}, timeout=5).json()
        assert seen["runner"]["state"] == "stopped"
    finally:
        server.stop()
    assert main(["--home", str(config.home), "jobs", "list"]) == 0
    listed = capsys.readouterr().out
    assert "job runner: stopped" in listed and "failed" in listed and "retraining is off" in listed


def test_a_job_over_its_memory_limit_fails_with_the_limit_named(
    config: CentralConfig, runner_stopper: list[subprocess.Popen[str]]
) -> None:
    queue_retraining(config)
    runner_stopper.append(start_runner(config, DERMDESK_CENTRAL_JOB_MEMORY_MIB="64"))
    wait_until(lambda: latest(config)["state"] == jobs.FAILED)
    assert "memory limit of 64 MiB" in str(latest(config)["result"])


def test_a_job_left_running_by_a_stopped_runner_is_restarted_then_failed(config: CentralConfig) -> None:
    engine = jobs.open_engine(config.url)
    queue_retraining(config)
    job = jobs.claim_next(engine)
    assert job is not None and job.attempts == 1
    sleeper = subprocess.Popen(["sleep", "600"], start_new_session=True)  # the "training" it left behind
    jobs.beat(engine, job.id, worker_pid=sleeper.pid)
    # a runner that was killed: its lease is stale, so the next one takes over and settles the job
    with engine.begin() as conn:
        conn.execute(
            jobs.runners.insert().values(
                name=jobs.RUNNER,
                host="elsewhere",
                pid=1,
                started_at=store.utcnow(),
                heartbeat_at=store.utcnow(),
            )
        )
    from dermdesk.central.runner import JobRunner

    with pytest.raises(jobs.RunnerBusyError):
        JobRunner(config).start()  # its heartbeat is fresh: not taken over
    with engine.begin() as conn:
        conn.execute(jobs.runners.update().values(heartbeat_at=store.utcnow().replace(year=2000)))
    JobRunner(config).start()
    assert sleeper.wait(10) < 0  # the work it left behind was ended
    again = jobs.describe(engine, job.id)
    assert again is not None and again["state"] == jobs.QUEUED and "restarted" in again["result"]
    retaken = jobs.claim_next(engine)
    assert retaken is not None and retaken.id == job.id and retaken.attempts == 2
    JobRunner(config).start()  # the same process again: its own lease; the job is on its last attempt
    final = jobs.describe(engine, job.id)
    assert final is not None and final["state"] == jobs.FAILED
    assert "stopped while this job ran (attempt 2 of 2); not restarted" in final["result"]
    assert json.loads(json.dumps(final))["finished_at"]
