"""Small real servers on 127.0.0.1 for the answers a working Orthanc never gives: a DICOMweb endpoint
that answers STOW-RS with a chosen HTTP status and failure reason, and a DICOM storage SCP (pynetdicom)
that supports only some SOP classes or answers C-STORE with a chosen status (a full disk)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from interop.orthanc import free_port

STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1"


@dataclass
class StowAnswer:
    status: int
    failure_reason: int | None = None  # put in a FailedSOPSequence when set
    received: list[int] = field(default_factory=list)  # sizes of the bodies that came


@contextmanager
def stow_server(answer: StowAnswer) -> Iterator[str]:
    """A DICOMweb root URL whose STOW-RS always answers `answer` (and reads the whole body first)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0") or 0)
            if length:
                body = self.rfile.read(length)
            else:  # chunked
                body = b""
                while True:
                    size = int(self.rfile.readline().strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    body += self.rfile.read(size)
                    self.rfile.readline()
            answer.received.append(len(body))
            payload: dict[str, Any] = {}
            if answer.failure_reason is not None:
                payload = {
                    "00081198": {
                        "vr": "SQ",
                        "Value": [{"00081197": {"vr": "US", "Value": [answer.failure_reason]}}],
                    }
                }
            data = json.dumps(payload).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/dicom+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="fake-stow", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/dicom-web"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def storage_scp(sop_classes: list[str], status: int = 0x0000) -> Iterator[tuple[int, list[str]]]:
    """A DICOM storage SCP for `sop_classes` only, answering every C-STORE with `status`; yields its port
    and the SOP Instance UIDs it was sent."""
    from pynetdicom import AE, evt

    received: list[str] = []

    def on_store(event: Any) -> int:
        received.append(str(event.request.AffectedSOPInstanceUID))
        return status

    def on_find(event: Any) -> Iterator[tuple[int, Any]]:
        from pydicom import Dataset

        for uid in received if status == 0x0000 else []:
            answer = Dataset()
            answer.QueryRetrieveLevel = "IMAGE"
            answer.SOPInstanceUID = uid
            yield 0xFF00, answer

    ae = AE(ae_title="TESTPACS")
    for uid in sop_classes:
        ae.add_supported_context(uid)
    ae.add_supported_context(STUDY_ROOT_FIND)
    port = free_port()
    handlers = [(evt.EVT_C_STORE, on_store), (evt.EVT_C_FIND, on_find)]
    server = ae.start_server(("127.0.0.1", port), block=False, evt_handlers=handlers)
    try:
        yield port, received
    finally:
        server.shutdown()
