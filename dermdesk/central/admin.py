"""What the service's administrators see over HTTP: the job runner and the retraining jobs.

    GET /v1/admin/jobs              the runner's state (and why it is not running), the recent jobs
    GET /v1/admin/jobs/{id}/log     the end of one job's log

Administrators hold their own tokens (`dermdesk-central admins add NAME`), stored as sha256 digests like the
devices'; a device token does not open these pages. The same facts are on the command line:
`dermdesk-central jobs list` and `jobs show ID`.
"""

# no `from __future__ import annotations`: FastAPI reads the local dependencies from the annotations

import hashlib
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException
from fastapi.responses import PlainTextResponse
from sqlalchemy import Boolean, Column, DateTime, Engine, Integer, String, Table, insert, select

from dermdesk.central import jobs
from dermdesk.central.config import CentralConfig
from dermdesk.central.store import metadata, utcnow

LOG_TAIL = 8000

admins = Table(
    "admins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), unique=True, nullable=False),
    Column("token_sha256", String(64), unique=True, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)


def add_admin(engine: Engine, name: str) -> str:
    """Register an administrator; return the token (shown once: only its digest is kept)."""
    token = secrets.token_urlsafe(32)
    metadata.create_all(engine, tables=[admins])
    with engine.begin() as conn:
        conn.execute(
            insert(admins).values(name=name, token_sha256=_digest(token), active=True, created_at=utcnow())
        )
    return token


def log_tail(config: CentralConfig, job_id: int, size: int = LOG_TAIL) -> str:
    from dermdesk.central.runner import job_log

    path = job_log(config, job_id)
    if not path.is_file():
        return ""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read().decode("utf-8", "replace")


def overview(engine: Engine, config: CentralConfig) -> dict[str, Any]:
    recent = jobs.recent(engine)
    running = next((job for job in recent if job["state"] == jobs.RUNNING), None)
    return {
        "runner": jobs.runner_status(engine),
        "jobs": recent,
        "running_log_tail": log_tail(config, int(running["id"]), 2000) if running else None,
    }


def router(engine: Engine, config: CentralConfig) -> APIRouter:
    routes = APIRouter(prefix="/v1/admin")

    def administrator(authorization: Annotated[str | None, Header()] = None) -> int:
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip() if scheme == "Bearer" else ""
        if token:
            with engine.connect() as conn:
                row = conn.execute(
                    select(admins.c.id).where(admins.c.token_sha256 == _digest(token), admins.c.active)
                ).first()
            if row is not None:
                return int(row.id)
        raise HTTPException(401, "an administrator's token is required", {"WWW-Authenticate": "Bearer"})

    @routes.get("/jobs")
    def list_jobs(admin_id: Annotated[int, Depends(administrator)]) -> dict[str, Any]:
        return overview(engine, config)

    @routes.get("/jobs/{job_id}/log")
    def job_log(job_id: int, admin_id: Annotated[int, Depends(administrator)]) -> PlainTextResponse:
        if jobs.get(engine, job_id) is None:
            raise HTTPException(404, "no such job")
        return PlainTextResponse(log_tail(config, job_id))

    return routes


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
