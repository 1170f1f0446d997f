"""Jobs the central service records and its job runner carries out (retrainings), and the runner's lease.

The API never trains: when enough new labelled cases have arrived it records one queued retraining (a
unique partial index keeps it to one, however many API workers see the threshold at once) and goes on
receiving. The job runner (`dermdesk-central jobs run`, runner.py) takes the oldest queued job, notes the
newest case it trains on (`up_to_case`), beats a heartbeat while it works, and records the outcome or the
reason it failed. A job left `running` by a runner that stopped is restarted (up to `job_attempts`) or
marked failed with that reason when a runner starts again. Only one runner holds the lease at a time.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, DateTime, Engine, Index, Integer, String, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dermdesk.central import store
from dermdesk.central.store import metadata, utcnow
from dermdesk.i18n import _

RETRAIN = "retrain"
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
RUNNER = "retraining"  # the lease's name: one runner carries out the jobs
STALE_S = 30.0  # a runner silent this long is gone; its lease and its running job may be taken over

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("state", String(20), nullable=False),
    Column("queued_at", DateTime, nullable=False),
    Column("started_at", DateTime),
    Column("finished_at", DateTime),
    Column("heartbeat_at", DateTime),
    Column("attempts", Integer, nullable=False, default=0),
    Column("up_to_case", Integer),  # the newest case this job trains on
    Column("runner", String(200)),  # host and pid of the runner carrying it out
    Column("worker_pid", Integer),  # the process group of its work (killed if its runner died)
    Column("progress", String(400)),
    Column("result", String(4000)),  # the outcome, or the reason it failed
    Index("ix_jobs_kind_state", "kind", "state"),
)
one_queued = Index(
    "ix_jobs_one_queued",
    jobs.c.kind,
    unique=True,
    sqlite_where=jobs.c.state == QUEUED,
    postgresql_where=jobs.c.state == QUEUED,
)

runners = Table(
    "job_runners",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("host", String(200), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("heartbeat_at", DateTime, nullable=False),
    Column("stopped_at", DateTime),
    Column("note", String(2000)),  # why it stopped, or why a runner could not start
)


class RunnerBusyError(RuntimeError):
    """Another job runner holds the lease."""


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    state: str
    attempts: int
    up_to_case: int | None


def open_engine(url: str) -> Engine:
    """The service's database with the job tables (created where missing)."""
    engine = store.open_engine(url)
    one_queued.create(engine, checkfirst=True)
    return engine


def checks_retraining_at(case_number: int, threshold: int) -> bool:
    """Whether the API looks for a due retraining after storing case `case_number`: after every case for a
    threshold under 20, else after every (threshold / 10)th, so a due retraining is queued at most a tenth
    of the threshold late while the look (three small queries) is paid once per that many uploads."""
    return case_number % max(1, threshold // 10) == 0


def record_retraining_due(engine: Engine, threshold: int) -> bool:
    """Queue one retraining when `threshold` labelled cases newer than the last retraining's have arrived
    and none is queued; True if this call queued it. Reads at most `threshold` index entries."""
    with engine.connect() as conn:
        queued = conn.execute(
            select(jobs.c.id).where(jobs.c.kind == RETRAIN, jobs.c.state == QUEUED).limit(1)
        ).first()
        if queued is not None:
            return False
        last = conn.execute(
            select(jobs.c.up_to_case)
            .where(jobs.c.kind == RETRAIN, jobs.c.up_to_case.is_not(None))
            .order_by(jobs.c.id.desc())
            .limit(1)
        ).first()
    after = int(last.up_to_case) if last is not None else 0  # a failed one's cases wait for new ones
    if store.new_labelled_cases(engine, after=after, at_most=threshold) < threshold:
        return False
    try:
        with engine.begin() as conn:
            conn.execute(insert(jobs).values(kind=RETRAIN, state=QUEUED, queued_at=utcnow(), attempts=0))
    except IntegrityError:  # another API worker queued it at the same moment
        return False
    return True


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next(engine: Engine) -> Job | None:
    """Take the oldest queued job (running from now, by this process), or None. One UPDATE: on SQLite a
    read followed by a write in one transaction could fail at once instead of waiting for the lock."""
    me = runner_name()
    oldest = select(func.min(jobs.c.id)).where(jobs.c.state == QUEUED).scalar_subquery()
    newest_case = select(func.coalesce(func.max(store.cases.c.id), 0)).scalar_subquery()
    now = utcnow()
    with engine.begin() as conn:
        taken = conn.execute(
            update(jobs)
            .where(jobs.c.id == oldest, jobs.c.state == QUEUED)
            .values(
                state=RUNNING,
                started_at=now,
                heartbeat_at=now,
                attempts=jobs.c.attempts + 1,
                up_to_case=newest_case,
                runner=me,
                progress="starting",
            )
        )
        if taken.rowcount != 1:
            return None
        row = conn.execute(
            select(jobs.c.id)
            .where(jobs.c.state == RUNNING, jobs.c.runner == me, jobs.c.started_at == now)
            .order_by(jobs.c.id.desc())
            .limit(1)
        ).one()
    return get(engine, int(row.id))


def get(engine: Engine, job_id: int) -> Job | None:
    with engine.connect() as conn:
        row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
    if row is None:
        return None
    return Job(int(row.id), row.kind, row.state, int(row.attempts), row.up_to_case)


def set_progress(engine: Engine, job_id: int, progress: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(progress=progress[:400]))


def beat(engine: Engine, job_id: int | None, worker_pid: int | None = None) -> None:
    """The runner is alive (and so is its job)."""
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(update(runners).where(runners.c.name == RUNNER).values(heartbeat_at=now))
        if job_id is not None:
            values: dict[str, Any] = {"heartbeat_at": now}
            if worker_pid is not None:
                values["worker_pid"] = worker_pid
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


def finish(engine: Engine, job_id: int, ok: bool, result: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                state=DONE if ok else FAILED,
                finished_at=utcnow(),
                result=result[-4000:],
                progress="finished" if ok else "failed",
            )
        )


def interrupted(engine: Engine, max_attempts: int, why: str) -> list[tuple[int, int | None, str]]:
    """Jobs left running by a runner that is gone: queued again while attempts remain, else failed with
    `why`. Returns (job id, its worker's process group, new state) so the caller can end the work."""
    found: list[tuple[int, int | None, str]] = []
    with engine.connect() as conn:
        rows = conn.execute(select(jobs).where(jobs.c.state == RUNNING).order_by(jobs.c.id)).all()
    for row in rows:
        retry = int(row.attempts) < max_attempts
        state = QUEUED if retry else FAILED
        note = f"{why} (attempt {row.attempts} of {max_attempts})" + (
            "; restarted" if retry else "; not restarted"
        )
        values: dict[str, Any] = {"state": state, "result": note, "progress": "interrupted"}
        if not retry:
            values["finished_at"] = utcnow()
        try:
            with engine.begin() as conn:
                conn.execute(
                    update(jobs).where(jobs.c.id == row.id, jobs.c.state == RUNNING).values(**values)
                )
        except IntegrityError:  # a newer retraining is already queued: it takes these cases too
            values.update(state=FAILED, finished_at=utcnow(), result=f"{why}; a newer retraining is queued")
            with engine.begin() as conn:
                conn.execute(update(jobs).where(jobs.c.id == row.id).values(**values))
            state = FAILED
        found.append((int(row.id), row.worker_pid, state))
    return found


def take_lease(engine: Engine, *, stale_s: float = STALE_S) -> None:
    """Become the one job runner, unless another has beaten its heartbeat within `stale_s` seconds."""
    host, pid, now = socket.gethostname(), os.getpid(), utcnow()
    values = {
        "host": host,
        "pid": pid,
        "started_at": now,
        "heartbeat_at": now,
        "stopped_at": None,
        "note": None,
    }
    try:
        with engine.begin() as conn:
            conn.execute(insert(runners).values(name=RUNNER, **values))
        return
    except IntegrityError:
        pass
    with engine.begin() as conn:
        row = conn.execute(select(runners).where(runners.c.name == RUNNER)).one()
        free = (
            (row.host == host and row.pid == pid)
            or row.stopped_at is not None
            or row.heartbeat_at < now - timedelta(seconds=stale_s)
            or (row.host == host and not _alive(int(row.pid)))
        )
        if not free:
            raise RunnerBusyError(
                _("another job runner is running (pid {pid} on {host}, seen {seconds} s ago)").format(
                    pid=row.pid, host=row.host, seconds=f"{(now - row.heartbeat_at).total_seconds():.0f}"
                )
            )
        taken = conn.execute(
            update(runners)
            .where(runners.c.name == RUNNER, runners.c.heartbeat_at == row.heartbeat_at)
            .values(**values)
        )
        if taken.rowcount != 1:
            raise RunnerBusyError(_("another job runner started at the same moment"))


def release_lease(engine: Engine, note: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(runners)
            .where(runners.c.name == RUNNER, runners.c.pid == os.getpid())
            .values(stopped_at=utcnow(), note=note[:2000])
        )


def note_runner_problem(engine: Engine, note: str) -> None:
    """A runner that could not start says why where admins look (the lease row keeps its holder)."""
    now = utcnow()
    with engine.begin() as conn:
        found = conn.execute(
            update(runners)
            .where(runners.c.name == RUNNER)
            .values(note=f"{now:%Y-%m-%d %H:%M:%S} {note}"[:2000])
        )
        if found.rowcount == 0:
            conn.execute(
                insert(runners).values(
                    name=RUNNER,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    started_at=now,
                    heartbeat_at=now,
                    stopped_at=now,
                    note=note[:2000],
                )
            )


def runner_status(engine: Engine, *, stale_s: float = STALE_S) -> dict[str, Any]:
    """What admins see: whether a runner is working, and why not."""
    with engine.connect() as conn:
        row = conn.execute(select(runners).where(runners.c.name == RUNNER)).first()
        waiting = conn.execute(
            select(jobs.c.queued_at).where(jobs.c.state == QUEUED).order_by(jobs.c.id)
        ).first()
    now = utcnow()
    if row is None:
        state, detail = "never started", _("no job runner has ever run: start `dermdesk-central jobs run`")
    elif row.stopped_at is not None:
        state, detail = "stopped", row.note or "stopped"
    elif row.heartbeat_at < now - timedelta(seconds=stale_s):
        state, detail = (
            "not responding",
            _("last seen {seconds} s ago (pid {pid} on {host})").format(
                seconds=f"{(now - row.heartbeat_at).total_seconds():.0f}", pid=row.pid, host=row.host
            ),
        )
    else:
        state, detail = "running", _("pid {pid} on {host}").format(pid=row.pid, host=row.host)
        if row.note:
            detail += f"; {row.note}"
    status: dict[str, Any] = {"state": state, "detail": detail}
    if waiting is not None and state != "running":
        status["warning"] = _("a job has waited since {when} UTC with no runner to take it").format(
            when=f"{waiting.queued_at:%Y-%m-%d %H:%M}"
        )
    return status


def recent(engine: Engine, limit: int = 20) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(jobs).order_by(jobs.c.id.desc()).limit(limit)).mappings().all()
    return [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()} for row in rows]


def describe(engine: Engine, job_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
    return (
        None
        if row is None
        else {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
