"""The job runner: a process of its own that carries out the retrainings the API records, one at a time.

    dermdesk-central jobs run          run until stopped (SIGTERM/SIGINT); systemd or a container restarts it

Each job runs in a child process (`python -m dermdesk.central.runner work JOB`) in its own process group,
at a lower CPU priority (`job_nice`) and, where set, under an address-space limit (`job_memory_mib`,
`resource.setrlimit`); the child launches training through `torchrun` (dermdesk.training.launch), whose
processes inherit both limits. So the API's processes keep their memory and cores while a model trains
(for a hard memory cap on resident memory use `systemd-run --scope -p MemoryMax=16G dermdesk-central
jobs run`, see docs/central-at-scale.md). The child writes its progress into the job's row and its log to
`<home>/jobs/<id>.log`; the runner beats the heartbeat and records the outcome. When a runner starts it
first ends the work of any job a previous runner left running, and restarts it or marks it failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from dermdesk.central import jobs
from dermdesk.central.config import CentralConfig

log = logging.getLogger(__name__)

BEAT_S = 2.0
MARKER = "DERMDESK_CENTRAL_JOB"  # in every process of a job: "<home>#<job id>"
OUT_OF_MEMORY = (
    "MemoryError",
    "Cannot allocate memory",
    "failed to map segment",
    "bad_alloc",
    "out of memory",
)


def job_log(config: CentralConfig, job_id: int) -> Path:
    return config.home / "jobs" / f"{job_id}.log"


def _outcome_path(config: CentralConfig, job_id: int) -> Path:
    return config.home / "jobs" / f"{job_id}.outcome.json"


class JobRunner:
    """Takes queued jobs one at a time and carries each out in a limited child process."""

    def __init__(self, config: CentralConfig, *, poll_s: float = 2.0) -> None:
        self.config = config
        self.poll_s = poll_s
        self.stop = threading.Event()
        self.engine: Engine = jobs.open_engine(config.url)

    def start(self) -> None:
        """Take the lease and settle the jobs a previous runner left behind (raises RunnerBusyError)."""
        try:
            jobs.take_lease(self.engine)
        except jobs.RunnerBusyError as exc:
            jobs.note_runner_problem(self.engine, f"a second job runner was refused: {exc}")
            raise
        for job_id, group, state in jobs.interrupted(
            self.engine, self.config.job_attempts, "the job runner stopped while this job ran"
        ):
            _end_group(group, _marker(self.config, job_id))
            log.warning("Job %d was interrupted by a stopped runner: now %s", job_id, state)

    def run(self) -> None:
        note = "stopped"
        try:
            while not self.stop.is_set():
                try:
                    job = jobs.claim_next(self.engine)
                    if job is None:
                        jobs.beat(self.engine, None)
                except OperationalError as exc:  # the database busy or away for a moment: try again
                    log.warning(
                        "Job runner: the database is busy or unreachable (%s)", exc.__class__.__name__
                    )
                    job = None
                if job is None:
                    self.stop.wait(self.poll_s)
                    continue
                self._carry_out(job)
        except BaseException as exc:
            note = f"stopped by an error: {exc.__class__.__name__}: {exc}"
            raise
        finally:
            if self.stop.is_set():  # a job cut short by the stop request goes back to the queue
                jobs.interrupted(self.engine, self.config.job_attempts + 1, "the job runner was stopped")
            jobs.release_lease(self.engine, note)

    def _carry_out(self, job: jobs.Job) -> None:
        log_path = job_log(self.config, job.id)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        outcome = _outcome_path(self.config, job.id)
        outcome.unlink(missing_ok=True)
        log.info("Job %d (%s, attempt %d) starts; log %s", job.id, job.kind, job.attempts, log_path)
        with log_path.open("ab") as handle:
            child = subprocess.Popen(
                [sys.executable, "-m", "dermdesk.central.runner", "work", str(job.id)],
                stdout=handle,
                stderr=subprocess.STDOUT,
                env={
                    **os.environ,
                    "DERMDESK_CENTRAL_HOME": str(self.config.home),
                    MARKER: _marker(self.config, job.id),
                },
                preexec_fn=_limits(self.config),  # limits applied in the child before exec
                start_new_session=True,  # its own process group: torchrun's processes end with it
            )
        jobs.beat(self.engine, job.id, worker_pid=child.pid)
        while child.poll() is None:
            if self.stop.wait(BEAT_S):
                _end_group(child.pid, _marker(self.config, job.id))
                child.wait()
                return  # run()'s finally puts it back in the queue
            jobs.beat(self.engine, job.id)
        ok, message = _read_outcome(outcome, child.returncode, log_path, self.config)
        jobs.finish(self.engine, job.id, ok, message)
        log.info(
            "Job %d %s: %s", job.id, "done" if ok else "failed", message.splitlines()[0] if message else ""
        )


def _marker(config: CentralConfig, job_id: int) -> str:
    return f"{config.home.resolve()}#{job_id}"


def _limits(config: CentralConfig):  # type: ignore[no-untyped-def]
    nice, memory = config.job_nice, config.job_memory_mib

    def apply() -> None:
        if nice:
            os.nice(nice)
        if memory:
            limit = memory * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def _read_outcome(outcome: Path, code: int, log_path: Path, config: CentralConfig) -> tuple[bool, str]:
    if outcome.is_file():
        data = json.loads(outcome.read_text(encoding="utf-8"))
        return bool(data["ok"]), str(data["message"])
    tail = log_path.read_text(encoding="utf-8", errors="replace")[-1500:] if log_path.is_file() else ""
    if code < 0:
        why = f"the job's process was killed by signal {-code}"
        if -code == signal.SIGKILL:
            why += " (out of memory?)"
    else:
        why = f"the job's process ended with exit code {code}"
    if config.job_memory_mib and any(sign in tail for sign in OUT_OF_MEMORY):
        limit = config.job_memory_mib
        why += f"; it ran out of its memory limit of {limit} MiB (DERMDESK_CENTRAL_JOB_MEMORY_MIB)"
    return False, f"{why}. The end of its log {log_path}:\n{tail}"


def _end_group(group: int | None, marker: str | None = None) -> None:
    """End a job's child and everything it started: its process group, its descendants (torchrun puts its
    training processes in sessions of their own) and any process that carries the job's marker in its
    environment (one whose parent already died)."""
    import psutil

    doomed: list[psutil.Process] = []
    if group:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(group)
            doomed += [root, *root.children(recursive=True)]
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    if marker:
        for process in psutil.process_iter():
            with contextlib.suppress(psutil.Error):
                if process.environ().get(MARKER) == marker:
                    doomed.append(process)
    for process in doomed:
        with contextlib.suppress(psutil.Error):
            process.kill()


def run_job(config: CentralConfig, job_id: int) -> None:
    """In the child: carry out one job and write its outcome for the runner."""
    from dermdesk.central.retrain import retrain_hook

    engine = jobs.open_engine(config.url)
    job = jobs.get(engine, job_id)
    outcome = _outcome_path(config, job_id)
    try:
        if job is None or job.kind != jobs.RETRAIN:
            raise ValueError(f"job {job_id} is not a retraining this runner knows")
        hook = retrain_hook(config)
        if hook is None:
            raise ValueError(
                "retraining is off: set DERMDESK_CENTRAL_BASE_DATA and DERMDESK_CENTRAL_BASE_SPLITS "
                "where the job runner runs"
            )
        decision = hook(up_to=job.up_to_case, progress=lambda text: jobs.set_progress(engine, job_id, text))
        result = {"ok": True, "message": decision.reason}
    except Exception as exc:  # every failure becomes the job's reason; the traceback goes to its log
        traceback.print_exc()
        result = {"ok": False, "message": f"{exc.__class__.__name__}: {exc}"[-4000:]}
    outcome.write_text(json.dumps(result), encoding="utf-8")
    sys.stdout.flush()


def run_forever(config: CentralConfig) -> int:
    """Run jobs until a signal stops the runner; jobs.RunnerBusyError when another runner holds the lock
    (the CLI says so to the person)."""
    runner = JobRunner(config)
    runner.start()

    def stop(signum: int, _frame: object) -> None:
        log.info("Job runner stopping (signal %d)", signum)
        runner.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("Job runner started (pid %d)", os.getpid())
    runner.run()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dermdesk.central.runner")
    parser.add_argument("action", choices=["work"])
    parser.add_argument("job", type=int)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_job(CentralConfig.from_environment(), args.job)
    return 0


if __name__ == "__main__":
    sys.exit(main())
