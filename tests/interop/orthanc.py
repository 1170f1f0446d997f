"""A private Orthanc for the PACS and worklist tests: Debian's `orthanc` with its DICOMweb and
ModalityWorklists plugins, run from a configuration written here, on free ports, with its own storage
and worklist folders, and stopped, killed or restarted by the test (never the system service).

Orthanc 1.10 listens on every interface; its HTTP side refuses other machines
(`RemoteAccessAllowed: false`) and its DICOM side only stores and answers for the one modality declared
here, on 127.0.0.1 (`DicomAlwaysAllowStore: false`, `DicomCheckModalityHost: true`).
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ORTHANC = "/usr/sbin/Orthanc"
PLUGINS = Path("/usr/share/orthanc/plugins")
PACS_AE = "TESTPACS"
STATION_AE = "DERMDESK"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Orthanc:
    """One Orthanc process under `folder`; `start`, `stop`, `kill` and `restart` (same ports, same data)."""

    folder: Path
    http_port: int = field(default_factory=free_port)
    dicom_port: int = field(default_factory=free_port)
    encoding: str = "Utf8"  # Orthanc's DefaultEncoding: the character set its answers are written in
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def dicomweb_url(self) -> str:
        return f"{self.url}/dicom-web"

    @property
    def worklists(self) -> Path:
        return self.folder / "worklists"

    @property
    def log_file(self) -> Path:
        return self.folder / "orthanc.log"

    def configure(self) -> Path:
        (self.folder / "storage").mkdir(parents=True, exist_ok=True)
        self.worklists.mkdir(parents=True, exist_ok=True)
        config = {
            "Name": "dermdesk-test",
            "StorageDirectory": str(self.folder / "storage"),
            "IndexDirectory": str(self.folder / "storage"),
            "HttpPort": self.http_port,
            "DicomPort": self.dicom_port,
            "DicomAet": PACS_AE,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False,
            "Plugins": [
                str(PLUGINS / "libOrthancDicomWeb.so"),
                str(PLUGINS / "libModalityWorklists.so"),
            ],
            "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
            "Worklists": {"Enable": True, "Database": str(self.worklists)},
            "DicomCheckCalledAet": True,
            "DicomAlwaysAllowStore": False,
            "DicomAlwaysAllowFind": False,
            "DicomAlwaysAllowEcho": False,
            "DicomCheckModalityHost": True,
            "DicomModalities": {"station": [STATION_AE, "127.0.0.1", free_port()]},
            "StorageCompression": False,
            "DefaultEncoding": self.encoding,
            "HttpTimeout": 30,
        }
        path = self.folder / "orthanc.json"
        path.write_text(json.dumps(config, indent=1), encoding="utf-8")
        return path

    def start(self, timeout: float = 60.0) -> None:
        config = self.configure()
        log = self.log_file.open("ab")
        self.process = subprocess.Popen(
            [ORTHANC, "--logdir=" + str(self.folder), str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Orthanc ended at start (code {self.process.returncode}):\n{self.tail()}")
            try:
                plugins = requests.get(f"{self.url}/plugins", timeout=2).json()
            except (requests.RequestException, ValueError):
                time.sleep(0.2)
                continue
            if {"dicom-web", "worklists"} <= set(plugins) and self._dicom_listening():
                return
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"Orthanc did not answer within {timeout:.0f} s:\n{self.tail()}")

    def _dicom_listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.dicom_port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """As a power cut would: SIGKILL, no clean shut-down."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def tail(self, lines: int = 30) -> str:
        texts = [p.read_text(errors="replace") for p in self.folder.glob("*.log*") if p.is_file()]
        return "\n".join("\n".join(text.splitlines()[-lines:]) for text in texts)

    # --- what the tests read back, through Orthanc's own REST API ----------------------------------

    def instance_uids(self) -> list[str]:
        """The SOP Instance UID of every stored instance."""
        ids = requests.get(f"{self.url}/instances", timeout=10).json()
        return [
            requests.get(f"{self.url}/instances/{i}/simplified-tags", timeout=10).json()["SOPInstanceUID"]
            for i in ids
        ]

    def add_worklist(self, name: str, data: bytes) -> Path:
        path = self.worklists / name
        path.write_bytes(data)
        return path
