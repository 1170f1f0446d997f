"""The central service's HTTP API (FastAPI).

    POST /v1/cases                     a case from a clinic (Bearer device token, Idempotency-Key)
    GET  /v1/models/latest             the newest published model: name, version, files and sizes
    GET  /v1/models/{name}/{version}/{file}   one file of a published, signed package
    /v1/consults..., /v1/review/consults...   teledermatology (`consult_api`)

Refusals carry a reason: 401 unknown device, 400 missing key, 413 too large, 422 schema or picture,
409 a key reused for another case, 507 the server's disk is full (the clinic keeps the case and retries).
"""

# no `from __future__ import annotations`: FastAPI reads the local dependencies from the annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from dermdesk.central import store
from dermdesk.central.config import CentralConfig
from dermdesk.central.consult_api import add_consult_routes
from dermdesk.central.schema import CaseRejectedError, check_key, parse_case

log = logging.getLogger(__name__)

RetrainHook = Callable[[], None]
SAFE_WORD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")


def create_app(config: CentralConfig, *, on_threshold: RetrainHook | None = None) -> FastAPI:
    """The API over `config`'s folder; `on_threshold` runs (in a thread, one at a time) when enough new
    labelled cases have arrived since the current model."""
    config.home.mkdir(parents=True, exist_ok=True)
    engine = store.open_engine(config.url)
    # no /docs, /redoc or /openapi.json: the API's description is for clinic devices, not for anyone
    app = FastAPI(title="DermDesk central service", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    retrain_lock = threading.Lock()

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
        declared = int(request.headers.get("content-length") or 0)
        if declared > config.max_body_bytes:
            raise HTTPException(413, f"the case is larger than {config.max_body_bytes} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > config.max_body_bytes:
                raise HTTPException(413, f"the case is larger than {config.max_body_bytes} bytes")
        return await run_in_threadpool(
            _store_case, config, engine, device_id, idempotency_key, bytes(body), start_retrain
        )

    def start_retrain() -> None:
        if on_threshold is None or not retrain_lock.acquire(blocking=False):
            return

        def run() -> None:
            try:
                on_threshold()
            except Exception:  # the service keeps receiving; the log says why the retraining failed
                log.exception("Retraining failed")
            finally:
                retrain_lock.release()

        threading.Thread(target=run, name="retrain", daemon=True).start()

    add_consult_routes(app, config, engine, device)

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


def _store_case(
    config: CentralConfig,
    engine: Any,
    device_id: int,
    key: str | None,
    body: bytes,
    start_retrain: Callable[[], None],
) -> JSONResponse:
    try:
        key = check_key(key)
        meta, png = parse_case(body)
    except CaseRejectedError as exc:
        status = 400 if "Idempotency-Key" in str(exc) else 422
        raise HTTPException(status, str(exc)) from exc
    try:
        store.put_image(config.images_dir, png)
    except OSError as exc:
        log.error("Cannot store an uploaded picture: %s", exc)
        raise HTTPException(
            507, "the central service cannot store the case now (storage); retry later"
        ) from exc
    try:
        receipt = store.record_case(engine, device_id, key, hashlib.sha256(body).hexdigest(), meta)
    except store.IdempotencyConflictError as exc:
        store.forget_image(engine, config.images_dir, meta["image_sha256"])  # no orphan picture is kept
        raise HTTPException(409, str(exc)) from exc
    if not receipt.replayed and store.new_labelled_cases(engine) >= config.retrain_threshold:
        start_retrain()
    return JSONResponse(
        {"case_id": receipt.case_id, "replayed": receipt.replayed},
        status_code=200 if receipt.replayed else 201,
    )


def image_file(config: CentralConfig, digest: str) -> Path:
    return store.image_path(config.images_dir, digest)
