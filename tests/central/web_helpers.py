"""A central service on 127.0.0.1 with two clinics, their stations, two dermatologists (one per clinic)
with web accounts, an administrator, and a small client that signs in to the web pages like a browser
(cookies by hand: the session cookie is Secure, and `requests` keeps those for https only)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import requests
from sync.servers import LiveServer

from central.consult_helpers import key, request_body
from dermdesk.central import admin, clinics, store
from dermdesk.central.app import create_app
from dermdesk.central.config import CentralConfig
from dermdesk.central.web import accounts

PASSWORD = "correct horse battery staple"


@dataclass
class WebCentre:
    url: str
    config: CentralConfig
    engine: Any
    server: LiveServer
    station_a: str  # device tokens
    station_b: str
    secrets: dict[str, str]  # login -> TOTP secret

    def send(self, token: str | None = None, **changes: Any) -> str:
        """A consult as a station sends it (device API); its id."""
        response = requests.post(
            self.url + "/v1/consults",
            data=request_body(**changes),
            headers={
                "Authorization": f"Bearer {token or self.station_a}",
                "Content-Type": "application/json",
                "Idempotency-Key": key(),
            },
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["consult_id"])

    def station_post(self, path: str, body: dict[str, Any], token: str | None = None) -> requests.Response:
        return requests.post(
            self.url + path,
            json=body,
            headers={"Authorization": f"Bearer {token or self.station_a}", "Idempotency-Key": key()},
            timeout=10,
        )

    def code(self, login: str, steps_ahead: int = 0) -> str:
        """The login's TOTP code now (or of a later 30 s step: the service accepts one step ahead)."""
        return pyotp.TOTP(self.secrets[login]).at(time.time() + 30 * steps_ahead)


def start_centre(home: Path, database_url: str | None = None, **config: Any) -> WebCentre:
    settings = CentralConfig(home=home, database_url=database_url, **config)
    server = LiveServer(create_app(settings)).start()
    engine = store.open_engine(settings.url)
    tokens = {}
    for name in ("Clinic A", "Clinic B"):
        clinic = clinics.add_clinic(engine, name)
        tokens[name] = store.add_device(engine, f"{name}-station")
        device = store.device_for_token(engine, tokens[name])
        assert device is not None
        clinics.attach_device(engine, device, clinic)
    clinics.add_dermatologist(engine, "Dr Hana Seo", "KMA-12345")
    clinics.assign(engine, "KMA-12345", "Clinic A")
    clinics.add_dermatologist(engine, "Dr Out Sider", "KMA-99999")
    clinics.assign(engine, "KMA-99999", "Clinic B")
    admin.add_admin(engine, "ops")
    secrets = {
        who: accounts.enrol(engine, role, who, PASSWORD).secret  # type: ignore[arg-type]
        for role, who in (("dermatologist", "KMA-12345"), ("dermatologist", "KMA-99999"), ("admin", "ops"))
    }
    return WebCentre(server.url, settings, engine, server, tokens["Clinic A"], tokens["Clinic B"], secrets)


CSRF = re.compile(r'name="csrf" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([0-9a-f]{32})"')


class WebClient:
    """Signs in and posts forms as a browser does; keeps the session cookie by hand."""

    def __init__(self, centre: WebCentre) -> None:
        self.centre = centre
        self.cookie: str | None = None
        self.language: str | None = None  # the dd_language cookie of the header's switch
        self.accept_language: str | None = None
        self.last_html = ""

    def _headers(self) -> dict[str, str]:
        cookies = [f"dd_session={self.cookie}"] if self.cookie else []
        cookies += [f"dd_language={self.language}"] if self.language else []
        headers = {"Cookie": "; ".join(cookies)} if cookies else {}
        if self.accept_language:
            headers["Accept-Language"] = self.accept_language
        return headers

    def _keep(self, response: requests.Response) -> requests.Response:
        found = re.search(r"dd_session=([^;]+)", response.headers.get("set-cookie", ""))
        if found:
            self.cookie = found.group(1)
        chosen = re.search(r"dd_language=([^;]+)", response.headers.get("set-cookie", ""))
        if chosen:
            self.language = chosen.group(1)
        if "text/html" in response.headers.get("content-type", ""):
            self.last_html = response.text
        return response

    def get(self, path: str) -> requests.Response:
        return self._keep(
            requests.get(self.centre.url + path, headers=self._headers(), allow_redirects=False, timeout=10)
        )

    def post(self, path: str, form: dict[str, str], *, csrf: str | None = "page") -> requests.Response:
        """POST `form`; csrf="page" adds the token of the last page read, None sends none."""
        data = dict(form)
        if csrf == "page":
            data["csrf"] = self.csrf()
        elif csrf is not None:
            data["csrf"] = csrf
        return self._keep(
            requests.post(
                self.centre.url + path, data=data, headers=self._headers(), allow_redirects=False, timeout=10
            )
        )

    def csrf(self) -> str:
        found = CSRF.search(self.last_html)
        assert found, "no CSRF token on the last page"
        return found.group(1)

    def form_key(self) -> str:
        found = KEY.search(self.last_html)
        assert found, "no submission key on the last page"
        return found.group(1)

    def sign_in(self, login: str, code: str | None = None, password: str = PASSWORD) -> requests.Response:
        self.get("/web/sign-in")
        return self.post(
            "/web/sign-in",
            {"login": login, "password": password, "code": code or self.centre.code(login)},
        )
