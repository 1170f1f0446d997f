"""The consult endpoints: stations (device tokens) send and follow consults; dermatologists (their own
tokens) read and answer them until their web pages exist (issue 23).

    POST /v1/consults                          a new consult (Idempotency-Key)
    GET  /v1/consults                          this clinic's consults
    GET  /v1/consults/{id}                     state and replies
    POST /v1/consults/{id}/information         more stills and/or a clip (Idempotency-Key)
    POST /v1/consults/{id}/cancel              withdraw it
    GET  /v1/review/consults                   the consults of the dermatologist's clinics
    GET  /v1/review/consults/{id}              read one (audited; it is then in review)
    GET  /v1/review/consults/{id}/media/{sha}  one still or clip
    POST /v1/review/consults/{id}/replies      answer, ask for more information, or amend (Idempotency-Key)

An id that is not the caller's clinic's gives 404, exactly as an id that does not exist.
"""

# no `from __future__ import annotations`: FastAPI reads the local dependencies from the annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from dermdesk.central import clinics, consult_store
from dermdesk.central.config import CentralConfig
from dermdesk.central.schema import CaseRejectedError, check_key
from dermdesk.sync.consult_payload import AnswerSubmission, ConsultAddition, ConsultRequest

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def add_consult_routes(
    app: FastAPI, config: CentralConfig, engine: Engine, device: Callable[..., int]
) -> None:
    """Mount the consult API on `app`; `device` is the app's device-token dependency."""

    def clinic_device(device_id: Annotated[int, Depends(device)]) -> tuple[int, int]:
        clinic = clinics.clinic_of_device(engine, device_id)
        if clinic is None:
            raise HTTPException(403, "this device belongs to no clinic; ask the centre to attach it to one")
        return clinic, device_id

    def specialist(authorization: Annotated[str | None, Header()] = None) -> clinics.Dermatologist:
        scheme, _, token = (authorization or "").partition(" ")
        person = (
            clinics.dermatologist_for_token(engine, token.strip()) if scheme == "Bearer" and token else None
        )
        if person is None:
            raise HTTPException(
                401, "unknown or disabled dermatologist token", {"WWW-Authenticate": "Bearer"}
            )
        return person

    async def body_of(request: Request) -> bytes:
        if int(request.headers.get("content-length") or 0) > config.max_body_bytes:
            raise HTTPException(413, f"the request is larger than {config.max_body_bytes} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > config.max_body_bytes:
                raise HTTPException(413, f"the request is larger than {config.max_body_bytes} bytes")
        return bytes(body)

    Device = Annotated[tuple[int, int], Depends(clinic_device)]  # noqa: N806
    Specialist = Annotated[clinics.Dermatologist, Depends(specialist)]  # noqa: N806
    Key = Annotated[str | None, Header()]  # noqa: N806

    @app.post("/v1/consults")
    async def create(request: Request, who: Device, idempotency_key: Key = None) -> JSONResponse:
        body = await body_of(request)
        key = _key(idempotency_key)
        consult = _parse(ConsultRequest, body)
        digest = hashlib.sha256(body).hexdigest()
        receipt = await run_in_threadpool(
            _guard,
            consult_store.create,
            engine,
            config.consult_media_dir,
            who[0],
            who[1],
            key,
            digest,
            consult,
        )
        return JSONResponse(
            {"consult_id": receipt.consult_id, "replayed": receipt.replayed},
            status_code=200 if receipt.replayed else 201,
        )

    @app.get("/v1/consults")
    def own_list(who: Device) -> list[dict[str, Any]]:
        return consult_store.consults_of(engine, frozenset({who[0]}))

    @app.get("/v1/consults/{consult_id}")
    def own_status(consult_id: str, who: Device) -> dict[str, Any]:
        return _guard(consult_store.status, engine, who[0], who[1], consult_id).model_dump(mode="json")

    @app.post("/v1/consults/{consult_id}/information")
    async def information(
        consult_id: str, request: Request, who: Device, idempotency_key: Key = None
    ) -> JSONResponse:
        body = await body_of(request)
        key = _key(idempotency_key)
        addition = _parse(ConsultAddition, body)
        digest = hashlib.sha256(body).hexdigest()
        receipt = await run_in_threadpool(
            _guard,
            consult_store.add_information,
            engine,
            config.consult_media_dir,
            who[0],
            who[1],
            consult_id,
            key,
            digest,
            addition,
        )
        return JSONResponse(
            {"consult_id": receipt.consult_id, "replayed": receipt.replayed},
            status_code=200 if receipt.replayed else 201,
        )

    @app.post("/v1/consults/{consult_id}/cancel")
    def cancel(consult_id: str, who: Device) -> dict[str, Any]:
        return _guard(consult_store.cancel, engine, who[0], who[1], consult_id).model_dump(mode="json")

    @app.get("/v1/review/consults")
    def review_list(person: Specialist) -> list[dict[str, Any]]:
        return consult_store.consults_of(engine, person.clinic_ids)

    @app.get("/v1/review/consults/{consult_id}")
    def review(consult_id: str, person: Specialist) -> dict[str, Any]:
        return _guard(consult_store.open_for_review, engine, person, consult_id)

    @app.get("/v1/review/consults/{consult_id}/media/{digest}")
    def review_media(consult_id: str, digest: str, person: Specialist) -> FileResponse:
        seen = _guard(consult_store.open_for_review, engine, person, consult_id)
        for item in seen["media"]:
            if item["sha256"] == digest:
                suffix = "webm" if item["kind"] == "clip" else "png"
                path = consult_store.media_path(config.consult_media_dir, digest, suffix)
                return FileResponse(path, media_type="video/webm" if suffix == "webm" else "image/png")
        raise HTTPException(404, "no such picture or clip in this consult")

    @app.post("/v1/review/consults/{consult_id}/replies")
    async def reply(
        consult_id: str, request: Request, person: Specialist, idempotency_key: Key = None
    ) -> JSONResponse:
        body = await body_of(request)
        key = _key(idempotency_key)
        submission = _parse(AnswerSubmission, body)
        receipt = await run_in_threadpool(
            _guard,
            consult_store.submit_answer,
            engine,
            config.images_dir,
            config.consult_media_dir,
            person,
            consult_id,
            key,
            submission,
        )
        return JSONResponse(
            {"consult_id": receipt.consult_id, "version": receipt.version, "replayed": receipt.replayed},
            status_code=200 if receipt.replayed else 201,
        )


def _key(value: str | None) -> str:
    try:
        return check_key(value)
    except CaseRejectedError as exc:
        raise HTTPException(400, str(exc)) from exc


def _parse(model: type[M], body: bytes) -> M:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise HTTPException(422, f"{where}: {first.get('msg', 'invalid')}"[:300]) from exc


def _guard(function: Callable[..., T], *args: Any) -> T:
    """Run a store function, turning its refusals into HTTP answers with their reasons."""
    try:
        return function(*args)
    except consult_store.ConsultNotFoundError as exc:
        raise HTTPException(404, "no such consult") from exc
    except consult_store.ConsultConflictError as exc:
        raise HTTPException(409, str(exc)) from exc
    except consult_store.ConsultRefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    except OSError as exc:
        raise HTTPException(507, "the central service cannot store this now (storage); retry later") from exc
