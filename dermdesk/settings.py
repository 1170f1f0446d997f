"""Every DermDesk setting in one typed class, stored as versioned JSON in the user's config folder.

Why it looks like this:
- One class (`DermDeskSettings`) declares every setting with its type and default, so a reader finds
  them all in one place and a typo in the file or the environment is caught on load.
- `DERMDESK_*` environment variables override the file (clinic IT and tests use them); the CLI's
  `--data-dir` overrides both. Precedence: CLI > environment > file > defaults.
- The file carries `schema_version`; older files are upgraded through `MIGRATIONS`, one step per
  version, so a renamed setting keeps its value across an update.
- A station must always start: a corrupt file is kept aside as `settings.json.corrupt-<stamp>` and
  the defaults are used; a file written by a newer DermDesk is left untouched and the defaults are used
  in memory only. Both produce a notice the UI shows to the user.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from dermdesk.files import write_text_atomic
from dermdesk.i18n import _

logger = logging.getLogger(__name__)

APP_NAME = "DermDesk"
SETTINGS_FILE_NAME = "settings.json"
SCHEMA_VERSION = 5
CONFIG_DIR_ENV = "DERMDESK_CONFIG_DIR"


class SettingsError(RuntimeError):
    """The settings file could not be written; the message is for clinic staff."""


class PaperSize(StrEnum):
    """The paper reports and letters are laid out for."""

    A4 = "A4"
    LETTER = "Letter"


class CameraSource(StrEnum):
    """Where the live picture comes from."""

    VIRTUAL = "virtual"
    CAMERA = "camera"
    FILE = "file"


def default_data_dir() -> Path:
    """Clinical data lives in the per-user data folder, never in the installation folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The folder holding settings.json; `DERMDESK_CONFIG_DIR` moves it (tests, portable installs)."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


class ScaleRecord(BaseModel):
    """A ruler calibration: millimetres per pixel at one magnification, for frames of width x height."""

    model_config = ConfigDict(frozen=True)

    mm_per_pixel: float = Field(gt=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    calibrated_at: str = ""  # ISO time, for the record


class CameraProfile(BaseModel):
    """What the station remembers about one camera, keyed in `DermDeskSettings.cameras` by its source
    (`virtual`, `camera:0`, `file:clip.avi`)."""

    model_config = ConfigDict(frozen=True)

    controls: dict[str, float | bool] = Field(default_factory=dict)  # dermdesk.capture.controls names
    contact: bool = True  # a contact dermatoscope (glass plate on the skin) or a non-contact one
    lighting_device: str | None = None  # e.g. "serial:/dev/ttyUSB0", "v4l2:/dev/video2", "dinolite"
    v4l2_lighting_controls: dict[str, dict[str, int]] = Field(default_factory=dict)  # mode -> controls
    white_balance: tuple[float, float, float] | None = None  # BGR gains from a white/grey reference
    magnification: str = "default"  # the magnification in use, the key into `scales`
    scales: dict[str, ScaleRecord] = Field(default_factory=dict)  # magnification -> ruler calibration
    sequence_modes: list[str] = Field(default_factory=list)  # modes last chosen for a lighting sequence

    @property
    def scale(self) -> ScaleRecord | None:
        """The calibration for the magnification in use, if there is one."""
        return self.scales.get(self.magnification)


class DermDeskSettings(BaseSettings):
    """The station's settings. Constructing it validates exactly the values given (plus defaults);
    `load_settings` layers file, `DERMDESK_*` environment and CLI values in one visible place."""

    model_config = SettingsConfigDict(env_prefix="DERMDESK_", extra="ignore", validate_default=True)

    schema_version: int = SCHEMA_VERSION
    data_dir: Path = Field(default_factory=default_data_dir)
    camera_source: CameraSource = CameraSource.VIRTUAL
    camera_index: int = Field(default=0, ge=0)
    video_file: Path | None = None
    resolution: tuple[int, int] = (1280, 720)
    fps: float = Field(default=30.0, gt=0, le=240)
    log_level: str = "INFO"
    lighting_mode: str = "white_polarised"  # a dermdesk.capture.LightingMode value
    database_url: str | None = None  # clinic PostgreSQL shared by stations; None: local SQLite
    image_store: Path | None = None  # image folder shared with that server; None: <data_dir>/images
    image_store_group_access: bool = False  # a shared store: folders 2770 and pictures 0640 (its group)
    model_dir: Path | None = None  # a verified model package folder; None: the newest one shipped
    cameras: dict[str, CameraProfile] = Field(default_factory=dict)  # per camera: controls, calibration
    idle_lock_minutes: int = Field(default=10, ge=1, le=240)  # records lock after this long idle
    standby_after_seconds: int = Field(default=60, ge=0, le=3600)  # live picture slows when idle; 0: never
    clinic_name: str = Field(default="", max_length=120)  # letterhead of reports and referral letters
    clinic_address: str = Field(default="", max_length=400)  # lines separated by newlines
    clinic_phone: str = Field(default="", max_length=60)  # printed under the address on the letterhead
    clinic_logo: Path | None = None  # PNG or JPEG printed at the top left of reports
    paper_size: PaperSize = PaperSize.A4  # A4 or Letter
    upload_url: str | None = None  # the central service, e.g. https://central.example.org; None: no uploads
    device_token: str | None = None  # this station's token from `dermdesk-central devices add`
    upload_ca_bundle: Path | None = None  # a CA bundle for the central service's TLS; None: system CAs
    clinic_secret_file: Path | None = None  # keys the pseudonyms; None: <data_dir>/sync/clinic-secret
    upload_unlabelled: bool = False  # also queue cases no doctor confirmed (when the centre asks)
    upload_interval_minutes: int = Field(default=15, ge=1, le=1440)  # the background uploader's period
    update_public_key: str | None = None  # the centre's Ed25519 public key (PEM or base64); None: shipped
    dicom_uid_root: str | None = None  # the clinic's OID root for DICOM UIDs; None: UUID-derived 2.25.…
    upload_allow_http: bool = False  # let an http:// upload URL name another machine (token in clear!)
    # The clinic's own systems (issue 26): DICOM and FHIR carry names, so they go only where IT points
    pacs_dicomweb_url: str | None = None  # the PACS's DICOMweb root (STOW-RS, QIDO-RS); None: not used
    pacs_host: str | None = None  # the PACS's DICOM (DIMSE) address for C-STORE and C-FIND
    pacs_port: int = Field(default=104, ge=1, le=65535)
    pacs_ae_title: str = Field(default="PACS", max_length=16)  # the PACS's application entity title
    station_ae_title: str = Field(default="DERMDESK", max_length=16)  # this station's, as the PACS knows it
    pacs_send_by: Literal["dicomweb", "dimse"] = "dicomweb"  # STOW-RS or C-STORE
    pacs_tls: bool = False  # DIMSE over TLS (required for a PACS on another machine unless allowed)
    pacs_ca_bundle: Path | None = None  # the CA bundle for the PACS's and worklist's TLS; None: system CAs
    worklist_host: str | None = None  # the modality worklist's address; None: the PACS's
    worklist_port: int | None = Field(default=None, ge=1, le=65535)  # None: the PACS's port
    worklist_ae_title: str | None = Field(default=None, max_length=16)  # None: the PACS's title
    fhir_url: str | None = None  # the EHR's FHIR R4 base URL; None: no sending (export to a file works)
    fhir_token: str | None = None  # a bearer token for the FHIR endpoint, if it wants one
    fhir_ca_bundle: Path | None = None  # the CA bundle for the FHIR endpoint's TLS; None: system CAs
    interop_allow_insecure: bool = False  # let PACS/worklist/FHIR traffic to another machine go unencrypted
    consult_escalation_hours: float = Field(default=4.0, gt=0, le=720)  # urgent consult unanswered: flag
    language: str = "system"  # the screen's language: "system" (the OS's), "en" or "ko"
    report_language: str = "system"  # reports and letters of patients with no language of their own

    @field_validator("language", "report_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        code = value.strip().lower() or "system"
        if code not in ("system", "en", "ko"):
            raise ValueError(_("unknown language {value!r}: choose system, en or ko").format(value=value))
        return code

    @field_validator("upload_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        url = value.strip().rstrip("/")
        if not url.startswith(("https://", "http://")):
            raise ValueError(_("the upload URL must start with https:// (got {value!r})").format(value=value))
        return url

    @field_validator("dicom_uid_root")
    @classmethod
    def _uid_root(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        root = value.strip().rstrip(".")
        parts = root.split(".")
        if len(root) > 32 or not all(p.isdigit() and (p == "0" or not p.startswith("0")) for p in parts):
            raise ValueError(
                _(
                    "the DICOM UID root must be digits and dots, without leading zeros, at most 32 "
                    "characters (got {value!r})"
                ).format(value=value)
            )
        return root

    @field_validator("paper_size", mode="before")
    @classmethod
    def _paper_size_any_case(cls, value: Any) -> Any:
        if isinstance(value, str):
            for size in PaperSize:
                if value.strip().lower() == size.value.lower():
                    return size
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(_("unknown log level {value!r}").format(value=value))
        return level

    @field_validator("resolution")
    @classmethod
    def _positive_resolution(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] <= 0 or value[1] <= 0:
            raise ValueError(f"resolution must be positive, got {value[0]}x{value[1]}")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only the given values: `load_settings` reads the environment itself (`environment_values`)
        # so that precedence is spelled out once and a stored file can be validated on its own.
        return (init_settings,)

    def with_overrides(self, **overrides: Any) -> DermDeskSettings:
        """A validated copy with command-line values applied on top; None means 'not given'."""
        given = {key: value for key, value in overrides.items() if value is not None}
        if not given:
            return self
        return DermDeskSettings(**{**self.model_dump(), **given})

    def camera_profile(self, key: str) -> CameraProfile:
        """The remembered profile of camera `key` (defaults when it was never set up)."""
        return self.cameras.get(key, CameraProfile())

    def with_camera_profile(self, key: str, **changes: Any) -> DermDeskSettings:
        """A copy in which camera `key`'s profile has `changes` applied (validated)."""
        profile = CameraProfile.model_validate({**self.camera_profile(key).model_dump(), **changes})
        return self.model_copy(update={"cameras": {**self.cameras, key: profile}})

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def sessions_dir(self) -> Path:
        return self.data_dir / "sessions"

    @property
    def clinic_secret_path(self) -> Path:
        """The clinic's pseudonym key; it never leaves the station (0600)."""
        return self.clinic_secret_file or self.data_dir / "sync" / "clinic-secret"

    @property
    def models_dir(self) -> Path:
        """Where verified model updates from the central service are installed, one folder each."""
        return self.data_dir / "models"

    @property
    def model_cache_dir(self) -> Path:
        """OpenVINO's compiled-model cache: a second start loads the model in a fraction of the time."""
        return self.data_dir / "cache" / "openvino"


# --- migrations -------------------------------------------------------------------------------------

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 called the camera number `camera` and the lighting `last_lighting`."""
    upgraded = dict(data)
    if "camera" in upgraded:
        upgraded["camera_index"] = upgraded.pop("camera")
    if "last_lighting" in upgraded:
        upgraded["lighting_mode"] = upgraded.pop("last_lighting")
    return upgraded


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """v3 remembers each camera's controls, lighting device and calibration in `cameras`; v2 files
    had none, so every camera starts from its defaults."""
    upgraded = dict(data)
    upgraded.setdefault("cameras", {})
    return upgraded


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """v4 adds the letterhead and paper of reports (`clinic_name`, `clinic_address`, `clinic_logo`,
    `paper_size`); a v3 station starts with no letterhead on A4 until someone fills them in."""
    upgraded = dict(data)
    upgraded.setdefault("paper_size", PaperSize.A4.value)
    return upgraded


def _v4_to_v5(data: dict[str, Any]) -> dict[str, Any]:
    """v5 adds the central service (`upload_url`, `device_token`, `upload_ca_bundle`,
    `clinic_secret_file`, `upload_unlabelled`, `upload_interval_minutes`, `update_public_key`); a v4
    station uploads nothing until clinic IT connects it."""
    upgraded = dict(data)
    upgraded.setdefault("upload_unlabelled", False)
    return upgraded


MIGRATIONS: dict[int, Migration] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}
"""Version N -> function turning a version-N dict into a version-N+1 dict. Add one per schema bump."""


def migrate(data: Mapping[str, Any]) -> dict[str, Any]:
    """Upgrade a stored dict to SCHEMA_VERSION; a file without a version is version 1."""
    upgraded = dict(data)
    version = int(upgraded.get("schema_version", 1))
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ValueError(f"no migration from settings version {version}")
        upgraded = step(upgraded)
        version += 1
        upgraded["schema_version"] = version
        logger.info("Settings upgraded to version %d", version)
    return upgraded


# --- loading and saving -----------------------------------------------------------------------------


@dataclass
class LoadedSettings:
    """What `load_settings` found: the effective settings, the store to save them, notices for staff."""

    settings: DermDeskSettings
    store: SettingsStore
    notices: list[str] = field(default_factory=list)


class SettingsStore:
    """Reads and atomically writes settings.json; remembers what came from the file so that a save
    writes back the file's values plus the user's changes, never temporary env/CLI overrides."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_only = False
        self._file_values: dict[str, Any] = {}
        self._loaded_values: dict[str, Any] = {}

    def read(self) -> tuple[dict[str, Any], list[str]]:
        """The migrated file values and any notices; never raises for a bad file."""
        if not self.path.exists():
            return {}, []
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError(_("the file does not hold a JSON object"))
            version = int(raw.get("schema_version", 1))
            if version > SCHEMA_VERSION:
                self.read_only = True
                notice = (
                    f"The settings file {self.path} was written by a newer DermDesk (settings version "
                    f"{version}, this one knows {SCHEMA_VERSION}). It was left untouched; default "
                    "settings are used until DermDesk is updated."
                )
                logger.warning(notice)
                return {}, [notice]
            values = migrate(raw)
            DermDeskSettings(**values)  # reject bad values before anything uses them
        except ValidationError as exc:
            kept = _valid_part(migrate(raw))
            return kept, [self._set_aside_corrupt(exc, kept)]
        except (OSError, ValueError) as exc:
            return {}, [self._set_aside_corrupt(exc, {})]
        self._file_values = values
        return values, []

    def _set_aside_corrupt(self, exc: Exception, kept: dict[str, Any]) -> str:
        """Move the damaged file aside once and write a valid one in its place (the values that were
        valid, defaults for the rest), so the next start reads it without a warning or another copy."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            shutil.copy2(self.path, backup)
            aside = f"The damaged file was kept as {backup}"
        except OSError as copy_exc:
            logger.error("Could not keep a copy of the unreadable settings file: %s", copy_exc)
            aside = "No copy of the damaged file could be kept"
        payload = {**kept, "schema_version": SCHEMA_VERSION}
        try:
            _write_settings_file(self.path, payload)
            self._file_values = payload
            replaced = "and a valid settings file was written in its place."
        except OSError as write_exc:
            logger.error("Could not replace the unreadable settings file: %s", write_exc)
            replaced = "and the file could not be replaced (it will be tried again at the next start)."
        used = (
            "The values that could be read are kept; defaults are used for the rest"
            if kept
            else ("Default settings are used")
        )
        notice = (
            f"The settings file {self.path} could not be read ({_short(exc)}). {used}. {aside}, {replaced}"
        )
        logger.warning(notice)
        return notice

    def remember_loaded(self, settings: DermDeskSettings) -> None:
        self._loaded_values = settings.model_dump(mode="json")

    def save(self, settings: DermDeskSettings) -> bool:
        """Write the settings atomically; False when the file belongs to a newer DermDesk."""
        if self.read_only:
            logger.warning("Settings not saved: %s belongs to a newer DermDesk", self.path)
            return False
        current = settings.model_dump(mode="json")
        changed = {key: value for key, value in current.items() if self._loaded_values.get(key) != value}
        payload = {**self._file_values, **changed, "schema_version": SCHEMA_VERSION}
        try:
            _write_settings_file(self.path, payload)
        except OSError as exc:
            raise SettingsError(
                _("Could not save the settings to {path}: {value}").format(
                    path=self.path, value=exc.strerror or exc
                )
            ) from exc
        self._file_values = payload
        self._loaded_values = current
        logger.info("Settings saved to %s", self.path)
        return True


def _write_settings_file(path: Path, payload: Mapping[str, Any]) -> None:
    """All or nothing (a crash leaves the old file or the new one), readable by the station's user only
    (the file may hold the device token and the clinic database's address with its password)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(payload, indent=2, sort_keys=True) + "\n", mode=0o600)


def environment_values() -> dict[str, Any]:
    """The raw `DERMDESK_*` values present in the environment, keyed by field name."""
    return dict(EnvSettingsSource(DermDeskSettings)())


def load_settings(data_dir: Path | None = None, *, path: Path | None = None) -> LoadedSettings:
    """Load settings with precedence CLI (`data_dir`) > environment > file > defaults. Never raises for
    a bad file or a bad environment value: notices say what was ignored."""
    store = SettingsStore(path or config_dir() / SETTINGS_FILE_NAME)
    file_values, notices = store.read()
    env_values = environment_values()
    while True:
        try:
            settings = DermDeskSettings(**{**file_values, **env_values})
            break
        except ValidationError as exc:
            bad_key = str(exc.errors()[0]["loc"][0])
            if bad_key not in env_values:
                raise  # the file values were validated on read: a bug, not a user error
            notice = (
                f"The environment setting DERMDESK_{bad_key.upper()} is invalid and was ignored: "
                f"{_first_error(exc)}"
            )
            logger.warning(notice)
            notices.append(notice)
            del env_values[bad_key]
    store.remember_loaded(settings)
    return LoadedSettings(settings=settings.with_overrides(data_dir=data_dir), store=store, notices=notices)


def _valid_part(values: dict[str, Any]) -> dict[str, Any]:
    """`values` without the entries pydantic refuses (at most one pass per key)."""
    kept = dict(values)
    for _attempt in range(len(values) + 1):
        try:
            DermDeskSettings(**kept)
            return kept
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error.get("loc")}
            if not bad & kept.keys():
                return {}
            for key in bad:
                kept.pop(key, None)
    return {}


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return _first_error(exc)
    return str(exc)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid value')}"
