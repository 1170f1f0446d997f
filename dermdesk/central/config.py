"""Where the central service keeps its data and how it behaves; `DERMDESK_CENTRAL_*` overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HOME_ENV = "DERMDESK_CENTRAL_HOME"


@dataclass(frozen=True)
class CentralConfig:
    """The service's folder (database, images, published models) and its limits."""

    home: Path
    database_url: str | None = None  # None: SQLite in `home`; PostgreSQL via a URL
    signing_key: Path | None = None  # PEM of the Ed25519 signing key; None: <home>/keys/signing-key.pem
    retrain_threshold: int = 200  # new labelled cases since the current model that start a retraining
    max_body_bytes: int = 16 * 1024 * 1024
    training_processes: int = 1  # torchrun processes of a retraining: one per core or GPU it may use
    job_nice: int = 10  # the job runner's children (training) run at this lower CPU priority
    job_memory_mib: int | None = None  # address-space limit of a job's processes (None: none)
    job_attempts: int = 2  # a job whose runner stopped mid-way is started again until this many tries
    device_rate_per_minute: float = 120.0  # cases one device may send per minute (429 beyond)
    device_burst: int = 60  # cases a device may send at once before the rate applies
    max_in_flight: int = 64  # uploads one API worker handles at once; beyond: 503 with Retry-After
    upload_threads: int = 8  # of those, checked and stored at once (the rest wait their turn in order)
    web_idle_minutes: int = 30  # a web session unused this long ends (the draft stays in the browser)
    differential_after_impression: bool = True  # the pages show the model's differential only then
    escalation_hours: float = 4.0  # urgent consults unanswered this long: escalated (as at the station)

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'central.sqlite'}"

    @property
    def images_dir(self) -> Path:
        return self.home / "images"

    @property
    def consult_media_dir(self) -> Path:
        """Consults' stills (PNG) and clips (WebM), content-addressed."""
        return self.home / "consult-media"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def signing_key_path(self) -> Path:
        return self.signing_key or self.home / "keys" / "signing-key.pem"

    @classmethod
    def from_environment(cls, home: Path | None = None) -> CentralConfig:
        root = home or Path(
            os.environ.get(HOME_ENV) or platformdirs.user_data_dir("DermDeskCentral", appauthor=False)
        )
        key = os.environ.get("DERMDESK_CENTRAL_SIGNING_KEY")
        return cls(
            home=root,
            database_url=os.environ.get("DERMDESK_CENTRAL_DATABASE_URL") or None,
            signing_key=Path(key) if key else None,
            retrain_threshold=int(os.environ.get("DERMDESK_CENTRAL_RETRAIN_THRESHOLD", "200")),
            max_body_bytes=int(os.environ.get("DERMDESK_CENTRAL_MAX_BODY_BYTES", str(16 * 1024 * 1024))),
            training_processes=int(os.environ.get("DERMDESK_CENTRAL_TRAINING_PROCESSES", "1")),
            job_nice=int(os.environ.get("DERMDESK_CENTRAL_JOB_NICE", "10")),
            job_memory_mib=int(memory)
            if (memory := os.environ.get("DERMDESK_CENTRAL_JOB_MEMORY_MIB"))
            else None,
            job_attempts=int(os.environ.get("DERMDESK_CENTRAL_JOB_ATTEMPTS", "2")),
            device_rate_per_minute=float(os.environ.get("DERMDESK_CENTRAL_DEVICE_RATE_PER_MINUTE", "120")),
            device_burst=int(os.environ.get("DERMDESK_CENTRAL_DEVICE_BURST", "60")),
            max_in_flight=int(os.environ.get("DERMDESK_CENTRAL_MAX_IN_FLIGHT", "64")),
            upload_threads=int(os.environ.get("DERMDESK_CENTRAL_UPLOAD_THREADS", "8")),
            web_idle_minutes=int(os.environ.get("DERMDESK_CENTRAL_WEB_IDLE_MINUTES", "30")),
            differential_after_impression=os.environ.get(
                "DERMDESK_CENTRAL_DIFFERENTIAL_AFTER_IMPRESSION", "1"
            ).lower()
            not in ("0", "false", "no"),
            escalation_hours=float(os.environ.get("DERMDESK_CENTRAL_ESCALATION_HOURS", "4")),
        )
