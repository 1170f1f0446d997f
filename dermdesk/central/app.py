"""The central service's HTTP API (FastAPI).

    POST /v1/cases                     a case from a clinic (Bearer device token, Idempotency-Key)
    GET  /v1/models/latest             the newest published model: name, version, files and sizes
    GET  /v1/models/{name}/{version}/{file}   one file of a published, signed package
    /v1/consults..., /v1/review/consults...   teledermatology (`consult_api`)
    /web/...                           the dermatologists' and administrators' pages (`web.pages`)

Refusals carry a reason: 401 unknown device, 400 missing key, 413 too large, 422 schema or picture,
409 a key reused for another case, 429 a device sending too fast, 503 the database busy or the worker full,
507 the server's disk or database is full (429, 503 and 507 with Retry-After: the clinic keeps the case and
retries). The API never trains: at the threshold it records one queued retraining (jobs.py), which the
job runner, a process of its own, carries out (runner.py).
"""

# no `from __future__ import annotations`: FastAPI reads the local dependencies from the annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse

from dermdesk.central import admin, jobs, limits, store
from dermdesk.central.config import CentralConfig
from dermdesk.central.consult_api import add_consult_routes
from dermdesk.central.schema import CaseRejectedError, check_key, parse_case
from dermdesk.central.web.pages import add_web_routes

log = logging.getLogger(__name__)

SAFE_WORD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")


def create_app(config: CentralConfig) -> FastAPI:
    """The API over `config`'s folder."""
    config.home.mkdir(parents=True, exist_ok=True)
    engine = jobs.open_engine(config.url)
    # no /docs, /redoc or /openapi.json: the API's description is for clinic devices, not for anyone
    app = FastAPI(title="DermDesk central service", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    limits.install_handlers(app)
    app.include_router(admin.router(engine, config))
    rate = limits.DeviceRateLimit(config.device_rate_per_minute, config.device_burst)
    in_flight = [0]  # uploads this worker is handling (the event loop's thread only)
    # Checking a picture is CPU work under the GIL: in the default 40 threads, uploads fought over it and
    # the worker served fewer of them (and the web pages, in the same pool, waited behind them).
    upload_limiter: list[anyio.CapacityLimiter] = []  # made inside the event loop, on first use

    def device(authorization: Annotated[str | None, Header()] = None) -> int:
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip() if scheme == "Bearer" else ""  # a bare token is not accepted
        device_id = store.device_for_token(engine, token) if token else None
        if device_id is None:
            raise HTTPException(401, "unknown or disabled device token", {"WWW-Authenticate": "Bearer"})
        return device_id

    @app.post("/v1/cases")
    async def receive_case(
        request: Request,
        device_id: Annotated[int, Depends(device)],
        idempotency_key: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        wait = rate.wait_for(device_id)
        if wait > 0:
            return limits.too_many(wait)
        if in_flight[0] >= config.max_in_flight:
            return limits.busy("the central service is handling too many cases at once; retry shortly")
        in_flight[0] += 1
        try:
            declared = int(request.headers.get("content-length") or 0)
            if declared > config.max_body_bytes:
                raise HTTPException(413, f"the case is larger than {config.max_body_bytes} bytes")
            body = bytearray()
            async for chunk in request.stream():
                body.extend(chunk)
                if len(body) > config.max_body_bytes:
                    raise HTTPException(413, f"the case is larger than {config.max_body_bytes} bytes")
            if not upload_limiter:
                upload_limiter.append(anyio.CapacityLimiter(max(1, config.upload_threads)))
            return await anyio.to_thread.run_sync(
                _store_case,
                config,
                engine,
                device_id,
                idempotency_key,
                bytes(body),
                limiter=upload_limiter[0],
            )
        finally:
            in_flight[0] -= 1

    add_consult_routes(app, config, engine, device)
    add_web_routes(app, config, engine)

    @app.get("/v1/models/latest")
    def latest(device_id: Annotated[int, Depends(device)]) -> dict[str, Any]:
        row = store.latest_model(engine)
        if row is None:
            raise HTTPException(404, "no model has been published yet")
        folder = config.models_dir / row["folder"]
        files = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
        return {
            "name": row["name"],
            "version": row["version"],
            "manifest_sha256": row["manifest_sha256"],
            "files": files,
            "metrics": row["metrics"],
        }

    @app.get("/v1/models/{name}/{version}/{filename}")
    def model_file(
        name: str, version: str, filename: str, device_id: Annotated[int, Depends(device)]
    ) -> FileResponse:
        if not (SAFE_WORD.match(name) and SAFE_WORD.match(version) and SAFE_WORD.match(filename)):
            raise HTTPException(404, "no such model file")
        row = store.published_model(engine, name, version)  # only published folders are served
        if row is None:
            raise HTTPException(404, "no such model file")
        path = config.models_dir / row["folder"] / filename
        if filename.startswith(".") or not path.is_file():
            raise HTTPException(404, "no such model file")
        return FileResponse(path)

    return app


def app_from_environment() -> FastAPI:
    """The app for `uvicorn --workers N --factory`: each worker builds it from DERMDESK_CENTRAL_*."""
    return create_app(CentralConfig.from_environment())


def _store_case(
    config: CentralConfig, engine: Any, device_id: int, key: str | None, body: bytes
) -> JSONResponse:
    try:
        key = check_key(key)
        meta, png = parse_case(body)
    except CaseRejectedError as exc:
        status = 400 if "Idempotency-Key" in str(exc) else 422
        raise HTTPException(status, str(exc)) from exc
    try:  # the picture is written once the database has accepted the case, before it commits
        receipt = store.record_case(
            engine,
            device_id,
            key,
            hashlib.sha256(body).hexdigest(),
            meta,
            lambda: store.put_image(config.images_dir, png, meta["image_sha256"]),  # checked in parse_case
        )
    except store.IdempotencyConflictError as exc:
        raise HTTPException(409, str(exc)) from exc
    except OSError as exc:
        log.error("Cannot store an uploaded picture: %s", exc)
        raise HTTPException(
            507,
            "the central service cannot store the case now (storage); retry later",
            {"Retry-After": str(limits.FULL_RETRY_S)},
        ) from exc
    if (
        not receipt.replayed
        and jobs.checks_retraining_at(receipt.number, config.retrain_threshold)
        and jobs.record_retraining_due(engine, config.retrain_threshold)
    ):
        log.info("A retraining is due: queued for the job runner (worker %d)", os.getpid())
    return JSONResponse(
        {"case_id": receipt.case_id, "replayed": receipt.replayed},
        status_code=200 if receipt.replayed else 201,
    )


def image_file(config: CentralConfig, digest: str) -> Path:
    return store.image_path(config.images_dir, digest)
