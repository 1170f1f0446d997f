"""The dermatologists' web pages, mounted on the central service's app under /web.

    GET  /web/sign-in, POST /web/sign-in        name, password and TOTP code
    POST /web/sign-out
    GET  /web/queue?clinic=ID&state=S           the consults of the dermatologist's clinics
    GET  /web/consults/{id}                     the case page (audited view)
    GET  /web/consults/{id}/media/{sha}         one still or clip of it
    POST /web/consults/{id}/impression          the first impression (then the model's differential)
    POST /web/consults/{id}/reply               an answer, a request for more information, an amendment
    GET  /web/admin                             administrators: open consults, time to answer, escalated
    GET  /web/language?to=ko&next=/web/queue    the header's English/한국어 switch (a cookie), then back

Why a second front end and not a second implementation: every read and reply goes through part 1's
consult store (`consult_store.open_for_review`, `submit_answer`), so the rules (answers once, amendments
as versions, nothing to a cancelled consult, ids of other clinics unknown) and the audit are the same as
the API's. Every POST carries the session's CSRF token; a session that expired mid-answer sends the
dermatologist to sign in again and the draft waits in the browser (localStorage, web.js), never on the
server without a session.
"""

# no `from __future__ import annotations`: FastAPI reads the route parameters from the annotations

import inspect
import logging
import urllib.parse
import uuid
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from dermdesk.central import clinics, consult_store
from dermdesk.central.audit import audit
from dermdesk.central.config import CentralConfig
from dermdesk.central.web import accounts, fonts, review, sessions, statistics
from dermdesk.central.web.render import LANGUAGE_COOKIE, language_of, render, static_dir
from dermdesk.i18n import N_, SUPPORTED_LANGUAGES, translations
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.sync.consult_payload import AnswerSubmission

log = logging.getLogger(__name__)

COOKIE = "dd_session"
MAX_FORM_BYTES = 64 * 1024  # far above the longest allowed text; a bigger paste is refused before parsing
MAX_OPINION = 4000  # AnswerSubmission's limit, named on the page
STATIC_FILES = {"web.css": "text/css", "web.js": "text/javascript", "NanumGothic.ttf": "font/ttf"}
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; media-src 'self'; style-src 'self'; "
    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class FormTooLargeError(ValueError):
    """A posted form is bigger than MAX_FORM_BYTES (a huge paste)."""


class Context:
    """One request's language, session and signed-in account (if any)."""

    def __init__(self, request: Request, session: sessions.Session | None, account: accounts.Account | None):
        self.request = request
        self.language = language_of(
            request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE)
        )
        self.session = session
        self.account = account
        self.new_cookie: str | None = None

    def _(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def page(self, template: str, status: int = 200, **values: Any) -> Response:
        html = render(
            self.language,
            template,
            account=self.account,
            csrf=self.session.csrf if self.session else "",
            here=self.here(),
            **values,
        )
        return self.finish(HTMLResponse(html, status_code=status))

    def here(self) -> str:
        """This page's address, for the language switch to come back to (a form's target is not a page)."""
        url = self.request.url
        if self.request.method != "GET":
            return "/web/"
        return url.path + (f"?{url.query}" if url.query else "")

    def message(self, status: int, title: str, text: str, back: str | None = None) -> Response:
        return self.page("message.html", status, title=title, text=text, back=back)

    def redirect(self, url: str) -> Response:
        return self.finish(RedirectResponse(url, status_code=303))

    def finish(self, response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        response.headers["Cache-Control"] = "no-store"
        if self.new_cookie is not None:
            # Secure always (http://127.0.0.1 is a secure context to browsers, so the tests need no
            # exception); HttpOnly (no script reads it); SameSite=Strict (no other site sends it)
            response.set_cookie(
                COOKIE, self.new_cookie, httponly=True, secure=True, samesite="strict", path="/web"
            )
        return response


def add_web_routes(app: FastAPI, config: CentralConfig, engine: Engine) -> None:
    """Mount the pages on `app`."""
    routes = APIRouter(prefix="/web")
    idle = config.web_idle_minutes

    def context(request: Request) -> Context:
        session = sessions.find(engine, request.cookies.get(COOKIE), idle)
        account = (
            accounts.account(engine, session.login_id) if session and session.login_id is not None else None
        )
        return Context(request, session, account)

    def sign_in_first(ctx: Context, back_to: str) -> Response:
        expired = "&expired=1" if ctx.request.cookies.get(COOKIE) else ""
        return ctx.redirect(f"/web/sign-in?next={urllib.parse.quote(back_to, safe='')}{expired}")

    def as_dermatologist(ctx: Context) -> clinics.Dermatologist | None:
        if ctx.account is None or ctx.account.role != "dermatologist":
            return None
        return clinics.dermatologist(engine, ctx.account.person_id)  # assignments read afresh each time

    def dermatologist_or_refusal(ctx: Context, back_to: str) -> clinics.Dermatologist | Response:
        """The signed-in dermatologist, or the answer for anyone else: sign in first when nobody is
        signed in (coming back to `back_to`), not found for an administrator."""
        person = as_dermatologist(ctx)
        if person is not None:
            return person
        return sign_in_first(ctx, back_to) if ctx.account is None else not_found(ctx)

    def not_found(ctx: Context) -> Response:
        return ctx.message(
            404,
            ctx._("Not found"),
            ctx._("There is no such consult among the clinics assigned to you."),
            "/web/queue",
        )

    def forged(ctx: Context) -> Response:
        log.warning("A web form without its session's CSRF token was refused")
        return ctx.message(
            403,
            ctx._("Form refused"),
            ctx._(
                "This form was not sent by this page (its security token is missing or wrong). "
                "Nothing was saved. Reload the page and try again."
            ),
            "/web/queue",
        )

    async def form_of(request: Request) -> dict[str, str]:
        if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
            raise FormTooLargeError
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_FORM_BYTES:
                raise FormTooLargeError
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return {}
        pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        return {k: v for k, v in pairs}

    async def posted(ctx: Context) -> dict[str, str] | Response:
        """The form if it is small enough and carries the session's CSRF token; else the refusal."""
        try:
            form = await form_of(ctx.request)
        except FormTooLargeError:
            return ctx.message(
                413,
                ctx._("Text too long"),
                ctx._(
                    "What you sent is far longer than any answer may be (an opinion holds at most "
                    "4000 characters). Nothing was saved; your draft is kept in this browser. "
                    "Go back and shorten it."
                ),
                ctx.request.url.path.rsplit("/", 1)[0],
            )
        if ctx.session is None or not sessions.csrf_ok(ctx.session, form.get("csrf")):
            return forged(ctx)
        return form

    @routes.get("")
    @routes.get("/")
    def home(request: Request) -> Response:
        ctx = context(request)
        return ctx.redirect("/web/admin" if ctx.account and ctx.account.role == "admin" else "/web/queue")

    @routes.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            return Response(status_code=404)
        if name == fonts.FONT:  # Hangul for the Korean pages, in a form browsers accept
            return Response(
                fonts.web_font(),
                media_type=STATIC_FILES[name],
                headers={"Cache-Control": "public, max-age=86400"},
            )
        return FileResponse(f"{static_dir()}/{name}", media_type=STATIC_FILES[name])

    @routes.get("/language")
    def choose_language(request: Request, to: str = "", next: str = "") -> Response:
        """The header's switch: the choice is kept in a cookie (it outlives sign-outs and sessions)."""
        ctx = context(request)
        response = ctx.redirect(_safe_next(next) or "/web/")
        if to in SUPPORTED_LANGUAGES:
            response.set_cookie(
                LANGUAGE_COOKIE,
                to,
                max_age=LANGUAGE_COOKIE_SECONDS,
                httponly=True,
                secure=True,
                samesite="strict",
                path="/web",
            )
        return response

    @routes.get("/sign-in")
    def sign_in_page(request: Request, next: str = "", expired: int = 0) -> Response:
        ctx = context(request)
        if ctx.account is not None:
            return ctx.redirect(_safe_next(next) or _home(ctx.account))
        if ctx.session is None:
            ctx.session = sessions.start(engine, idle)
            ctx.new_cookie = ctx.session.token
        note = (
            ctx._("Your session ended. Sign in again; an unsent draft is kept in this browser.")
            if expired
            else None
        )
        return ctx.page("sign_in.html", next=_safe_next(next), note=note, login="")

    @routes.post("/sign-in")
    async def sign_in(request: Request) -> Response:
        ctx = context(request)
        if ctx.session is None:  # the sign-in page itself expired: a fresh one, nothing lost
            ctx.session = sessions.start(engine, idle)
            ctx.new_cookie = ctx.session.token
            return ctx.page(
                "sign_in.html",
                400,
                next="",
                login="",
                error=ctx._("The sign-in page had expired. Please sign in again."),
            )
        form = await posted(ctx)
        if isinstance(form, Response):
            return form
        target = _safe_next(form.get("next", ""))
        try:
            account = await run_in_threadpool(
                accounts.sign_in,
                engine,
                form.get("login", "").strip(),
                form.get("password", ""),
                form.get("code", ""),
            )
        except accounts.SignInError as exc:
            return ctx.page(
                "sign_in.html",
                423 if exc.locked else 401,
                next=target,
                login=form.get("login", "")[:80],
                error=exc.translated(ctx._),
            )
        sessions.end(engine, ctx.session.token)  # a new id once signed in (no session fixation)
        ctx.session = sessions.start(engine, idle, account.id)
        ctx.new_cookie = ctx.session.token
        return ctx.redirect(target or _home(account))

    @routes.post("/sign-out")
    async def sign_out(request: Request) -> Response:
        ctx = context(request)
        form = await posted(ctx)
        if isinstance(form, Response):
            return form
        assert ctx.session is not None
        sessions.end(engine, ctx.session.token)
        return ctx.redirect("/web/sign-in")

    @routes.get("/queue")
    def queue(request: Request, clinic: str = "", state: str = "awaiting") -> Response:
        ctx = context(request)
        person = dermatologist_or_refusal(ctx, str(request.url.path))
        if isinstance(person, Response):
            return person
        chosen = int(clinic) if clinic.isdigit() else None
        states = (
            review.AWAITING
            if state == "awaiting"
            else review.STATES
            if state == "all"
            else (state,)
            if state in review.STATES
            else review.AWAITING
        )
        rows = review.queue(
            engine, person.clinic_ids, clinic=chosen, states=states, escalation_hours=config.escalation_hours
        )
        with engine.begin() as conn:
            audit(conn, "queue viewed", "dermatologist", person.id, detail={"consults": len(rows)})
        return ctx.page(
            "queue.html",
            rows=rows,
            clinics=review.clinics_of(engine, person.clinic_ids),
            chosen_clinic=chosen,
            chosen_state=state if state in (*review.STATES, "all") else "awaiting",
            states=review.STATES,
        )

    def case_page(
        ctx: Context, person: clinics.Dermatologist, name: str, status: int = 200, **values: Any
    ) -> Response:
        try:
            seen = consult_store.open_for_review(engine, person, name)  # audited: "consult viewed"
            row = consult_store.owned(engine, person.clinic_ids, name)
        except consult_store.ConsultNotFoundError:
            return not_found(ctx)
        first = review.impression(engine, person, int(row["id"]))
        prediction = seen["request"].get("prediction")
        show_differential = prediction is not None and (
            first is not None or not config.differential_after_impression
        )
        ranked = sorted((prediction or {}).get("probabilities", {}).items(), key=lambda kv: -kv[1])
        answered = [a for a in seen["answers"] if a["kind"] != "more information"]
        clinic = next(
            c["name"] for c in review.clinics_of(engine, person.clinic_ids) if c["id"] == row["clinic_id"]
        )
        values.setdefault("draft", {})
        return ctx.page(
            "case.html",
            status,
            consult=seen,
            name=name,
            clinic=clinic,
            urgency=row["urgency"],
            created_at=row["created_at"],
            stills=[m for m in seen["media"] if m["kind"] == "dermoscopic"],
            overviews=[m for m in seen["media"] if m["kind"] == "overview"],
            clips=[m for m in seen["media"] if m["kind"] == "clip"],
            impression=first,
            ask_impression=config.differential_after_impression and first is None and prediction is not None,
            differential=ranked if show_differential else None,
            refer=(prediction or {}).get("refer"),
            model=prediction,
            amendable=[a["version"] for a in answered],
            answer_key=uuid.uuid4().hex,
            more_key=uuid.uuid4().hex,
            sent=ctx.request.query_params.get("sent"),
            max_opinion=MAX_OPINION,
            **values,
        )

    @routes.get("/consults/{name}")
    def case(request: Request, name: str) -> Response:
        ctx = context(request)
        person = dermatologist_or_refusal(ctx, f"/web/consults/{name}")
        if isinstance(person, Response):
            return person
        return case_page(ctx, person, name)

    @routes.get("/consults/{name}/media/{digest}")
    def media(request: Request, name: str, digest: str) -> Response:
        ctx = context(request)
        person = as_dermatologist(ctx)
        if person is None:
            return Response(status_code=404)
        try:
            suffix, media_type = consult_store.media_item(engine, person.clinic_ids, name, digest)
        except consult_store.ConsultNotFoundError:
            return Response(status_code=404)
        path = consult_store.media_path(config.consult_media_dir, digest, suffix)
        response = FileResponse(path, media_type=media_type)
        response.headers.update(SECURITY_HEADERS)
        response.headers["Cache-Control"] = "private, max-age=600"
        return response

    @routes.post("/consults/{name}/impression")
    async def impression(request: Request, name: str) -> Response:
        ctx = context(request)
        person = dermatologist_or_refusal(ctx, f"/web/consults/{name}")
        if isinstance(person, Response):
            return person
        form = await posted(ctx)
        if isinstance(form, Response):
            return form
        try:
            review.record_impression(engine, person, name, form.get("diagnosis", ""))
        except consult_store.ConsultNotFoundError:
            return not_found(ctx)
        except review.ImpressionRefusedError:
            return case_page(
                ctx, person, name, 422, error=ctx._("Choose a diagnosis as your first impression.")
            )
        return ctx.redirect(f"/web/consults/{name}?sent=impression#differential")

    @routes.post("/consults/{name}/reply")
    async def reply(request: Request, name: str) -> Response:
        ctx = context(request)
        person = dermatologist_or_refusal(ctx, f"/web/consults/{name}")
        if isinstance(person, Response):
            return person
        form = await posted(ctx)
        if isinstance(form, Response):
            return form
        draft = {
            k: form.get(k, "")
            for k in ("kind", "opinion", "diagnosis", "management", "follow_up_months", "amends")
        }
        opinion = form.get("opinion", "").strip()
        if len(opinion) > MAX_OPINION:
            error = ctx._("The text has %(n)d characters; the limit is %(limit)d. Shorten it and send again.")
            error %= {"n": len(opinion), "limit": MAX_OPINION}
            return case_page(ctx, person, name, 422, error=error, draft=draft)
        try:
            submission = _submission(form, opinion)
        except ValidationError as exc:
            return case_page(ctx, person, name, 422, error=_first_error(ctx, exc), draft=draft)
        key = form.get("key", "")
        if not (len(key) == 32 and all(c in "0123456789abcdef" for c in key)):
            return forged(ctx)
        try:
            receipt = await run_in_threadpool(
                consult_store.submit_answer,
                engine,
                config.images_dir,
                config.consult_media_dir,
                person,
                name,
                key,
                submission,
            )
        except consult_store.ConsultNotFoundError:
            return not_found(ctx)
        except consult_store.ConsultConflictError as exc:
            return ctx.message(409, ctx._("Not sent"), exc.translated(ctx._), f"/web/consults/{name}")
        sent = urllib.parse.quote(submission.kind)
        return ctx.redirect(f"/web/consults/{name}?sent={sent}&version={receipt.version}")

    @routes.get("/admin")
    def admin_page(request: Request) -> Response:
        ctx = context(request)
        if ctx.account is None:
            return sign_in_first(ctx, "/web/admin")
        if ctx.account.role != "admin":
            return not_found(ctx)
        figures = statistics.overview(engine, config.escalation_hours)
        with engine.begin() as conn:
            audit(conn, "statistics viewed", "admin", ctx.account.person_id)
        return ctx.page("admin.html", figures=figures, escalation_hours=config.escalation_hours)

    app.include_router(routes)
    add_page_failures(app)


# What a dermatologist reads on /web for an HTTP failure (0: any other status)
FAILURE_WORDS: dict[int, tuple[str, str]] = {
    404: (N_("Not found"), N_("There is no such page.")),
    405: (
        N_("Not possible here"),
        N_("This page cannot be opened that way. Nothing was saved. Start again from the queue."),
    ),
    429: (
        N_("Too many requests"),
        N_("Too many requests came in a short time. Wait a minute and try again."),
    ),
    0: (
        N_("Something went wrong"),
        N_(
            "The page could not be shown. Nothing was saved. Try again; if it keeps failing, tell "
            "the service's administrator."
        ),
    ),
}


def add_page_failures(app: FastAPI) -> None:
    """Failures met outside a page's own code (an unknown address under /web, a wrong method, a bad query,
    the database busy) answered on /web as a page in the reader's language, like the pages' own refusals;
    everywhere else the handler already installed answers (the API's JSON stays as it is, protocol)."""
    http_before = app.exception_handlers.get(StarletteHTTPException, http_exception_handler)
    query_before = app.exception_handlers.get(RequestValidationError, request_validation_exception_handler)
    database_before = {
        kind: app.exception_handlers.get(kind) for kind in (OperationalError, PoolTimeoutError)
    }

    def on_pages(request: Request) -> bool:
        return request.url.path == "/web" or request.url.path.startswith("/web/")

    def failure_page(request: Request, status: int, title: str, text: str) -> Response:
        ctx = Context(request, None, None)  # no database read: it may be what failed
        return ctx.message(status, ctx._(title), ctx._(text), "/web/")

    async def http_failure(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not on_pages(request):
            return await _answer(http_before, request, exc)
        title, text = FAILURE_WORDS.get(exc.status_code, FAILURE_WORDS[0])
        return failure_page(request, exc.status_code, title, text)

    async def query_failure(request: Request, exc: Exception) -> Response:
        if not on_pages(request):
            return await _answer(query_before, request, exc)
        return failure_page(
            request,
            400,
            N_("Address not understood"),
            N_("This address holds a value the page cannot read. Start again from the queue."),
        )

    async def database_failure(request: Request, exc: Exception) -> Response:
        if not on_pages(request):
            before = next((h for kind, h in database_before.items() if isinstance(exc, kind)), None)
            return await _answer(before, request, exc)
        log.warning("A web page met a busy or unreachable database: %s", exc.__class__.__name__)
        return failure_page(
            request,
            503,
            N_("Service busy"),
            N_(
                "The service's database is busy or cannot be reached just now. Nothing was saved. Wait "
                "a moment and try again; an unsent draft is kept in this browser."
            ),
        )

    app.add_exception_handler(StarletteHTTPException, http_failure)
    app.add_exception_handler(RequestValidationError, query_failure)
    for kind in (OperationalError, PoolTimeoutError):
        app.add_exception_handler(kind, database_failure)


async def _answer(handler: Any, request: Request, exc: Exception) -> Response:
    """What the handler installed before the pages' own would have answered (sync or async)."""
    if handler is None:
        raise exc
    response = handler(request, exc)
    if inspect.isawaitable(response):
        response = await response
    assert isinstance(response, Response)
    return response


def _home(account: accounts.Account) -> str:
    return "/web/admin" if account.role == "admin" else "/web/queue"


def _safe_next(target: str) -> str:
    """Only this site's own pages (no //host, no scheme): an open redirect would help phishing."""
    if target.startswith("/web/") and not target.startswith("//") and "\\" not in target:
        return target[:300]
    return ""


def _submission(form: dict[str, str], opinion: str) -> AnswerSubmission:
    """The reply as part 1's typed submission; fields that do not belong to its kind are left out."""
    kind = form.get("kind", "")
    values: dict[str, Any] = {"kind": kind, "opinion": opinion}
    if kind != "more information":
        values["diagnosis"] = form.get("diagnosis") or None
        values["management"] = form.get("management") or None
        if form.get("management") == "follow-up":
            values["follow_up_months"] = _number(form.get("follow_up_months"))
    if kind == "amendment":
        values["amends"] = _number(form.get("amends"))
    return AnswerSubmission.model_validate(values)


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 6 else None


def _first_error(ctx: Context, exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = str(first.get("loc", ("",))[0] if first.get("loc") else "")
    message = str(first.get("msg", "")).removeprefix("Value error, ")
    if message.startswith("the diagnosis must be one of"):
        return ctx._("the diagnosis must be one of {codes}").format(codes=", ".join(CLASS_CODES))
    if where == "opinion":
        return ctx._("Write your opinion (at most 4000 characters).")
    if where == "kind":
        return ctx._("Choose whether this is an answer, a request for more information or an amendment.")
    return ctx._(message)
