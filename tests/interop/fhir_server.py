"""A small real FHIR endpoint on 127.0.0.1 for the EHR tests: it reads every posted transaction Bundle
with the same R4B models (`fhir.resources`), keeps the resources by type and id (a PUT twice stays one),
and answers a transaction-response Bundle, or an OperationOutcome error when the Bundle is invalid or
when the test asks it to fail."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError


@dataclass
class FhirServer:
    url: str = ""
    stored: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    posts: int = 0
    fail_with: list[tuple[int, str]] = field(default_factory=list)  # (status, diagnostics) answered first

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [resource for (k, _), resource in self.stored.items() if k == kind]


def outcome(diagnostics: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "invalid", "diagnostics": diagnostics}],
    }


@contextmanager
def fhir_server() -> Iterator[FhirServer]:
    state = FhirServer()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
            with lock:
                state.posts += 1
                if state.fail_with:
                    status, words = state.fail_with.pop(0)
                    self._answer(status, outcome(words))
                    return
                try:
                    bundle = Bundle.model_validate_json(body)
                except (ValidationError, ValueError) as exc:
                    self._answer(400, outcome(f"invalid Bundle: {str(exc).splitlines()[0]}"))
                    return
                if bundle.type != "transaction":
                    self._answer(422, outcome("only transaction Bundles are accepted"))
                    return
                answers = []
                for entry in bundle.entry or []:
                    resource = entry.resource
                    kind = resource.get_resource_type()
                    key = (kind, str(resource.id))
                    created = key not in state.stored
                    state.stored[key] = json.loads(resource.model_dump_json(by_alias=True, exclude_none=True))
                    answers.append({"response": {"status": "201 Created" if created else "200 OK"}})
                self._answer(
                    200, {"resourceType": "Bundle", "type": "transaction-response", "entry": answers}
                )

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    thread = threading.Thread(target=server.serve_forever, name="fake-fhir", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
