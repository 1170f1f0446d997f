"""The station's plain model: who is signed in, which patient and lesion, the source, light and results.

Every screen of the station window reads and changes this one object instead of reaching into the main
window (napari's viewer model is the example): a desk or dock receives the `StationModel`, subscribes to
its events and calls its methods. It is Qt-free, so the rules it keeps — capture only for the patient
in the banner, one patient on every screen at a time — are tested without a display. The window turns
its events into what a person sees (status bar, banner, docks); they are emitted on the thread that
changed the model, which for the station is always the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from dermdesk.capture.lighting import LightingMode
from dermdesk.filing import CaptureTarget
from dermdesk.i18n import N_, current_language, formats, gettext, names
from dermdesk.i18n.glossary import term_or
from dermdesk.records import PatientRecord, PatientSummary, UserInfo
from dermdesk.settings import DermDeskSettings
from dermdesk.source_spec import SourceSpec

logger = logging.getLogger(__name__)

T = TypeVar("T")

NO_PATIENT_FOR_CAPTURE = N_(
    "No patient is open: open the patient on the Patients panel and choose the lesion before taking "
    "stills, so every picture is filed to the patient shown in the banner."
)
NO_LESION_FOR_CAPTURE = N_(
    "Choose the lesion on the body map first (“File captures here”), so the stills of {patient} are filed "
    "to the right lesion."
)


class Event(Generic[T]):
    """A plain event: callbacks connected to it are called in order with the new value."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], object]] = []

    def connect(self, callback: Callable[[T], object]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[[T], object]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: T) -> None:
        for callback in list(self._callbacks):
            callback(value)


@dataclass(frozen=True)
class PatientInView:
    """The patient every screen acts on, as the banner shows them (two identifiers and more)."""

    record_number: str
    family_name: str
    given_name: str
    date_of_birth: date
    sex: str

    @classmethod
    def of(cls, record: PatientRecord | PatientSummary) -> PatientInView:
        return cls(
            record_number=record.record_number,
            family_name=record.family_name,
            given_name=record.given_name,
            date_of_birth=record.date_of_birth,
            sex=record.sex,
        )

    @property
    def full_name(self) -> str:
        """The name as the screen's language writes it (김민수; "Lovelace, Ada")."""
        return names.full_name(self.family_name, self.given_name, current_language())

    def age(self, today: date) -> int:
        """Completed years on ``today``."""
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def banner_text(self, today: date) -> str:
        language = current_language()
        return gettext("{name} · {record} · born {born} ({age} y) · {sex}").format(
            name=self.full_name,
            record=self.record_number,
            born=formats.day(self.date_of_birth, language),
            age=self.age(today),
            sex=term_or("sex", self.sex, language),
        )


@dataclass(frozen=True)
class Notice:
    """A message for the person at the station: a status line, or a warning with a title."""

    text: str
    title: str | None = None  # set: a warning that deserves a box, not only the status line
    timeout_ms: int = 5000


class StationModel:
    """One station window's state, shared by every screen; see the module docstring."""

    def __init__(self, settings: DermDeskSettings, source: SourceSpec) -> None:
        self._settings = settings
        self._source = source
        self.user: UserInfo | None = None
        self.patient: PatientInView | None = None
        self.target: CaptureTarget | None = None
        self.lighting: LightingMode | None = None
        self.live_result: object | None = None  # the newest live display (`dermdesk.inference.live_display`)
        self.still_result: object | None = None  # the newest still analysis
        self.patient_required = False  # the records are attached: stills only for the patient in view
        self.settings_changed: Event[DermDeskSettings] = Event()
        self.source_changed: Event[SourceSpec] = Event()
        self.source_restart_requested: Event[SourceSpec] = Event()
        self.user_changed: Event[UserInfo | None] = Event()
        self.patient_changed: Event[PatientInView | None] = Event()
        self.target_changed: Event[CaptureTarget | None] = Event()
        self.lighting_changed: Event[LightingMode | None] = Event()
        self.live_result_changed: Event[object | None] = Event()
        self.still_result_changed: Event[object | None] = Event()
        self.notice: Event[Notice] = Event()

    # --- settings and source ---------------------------------------------------------------------

    @property
    def settings(self) -> DermDeskSettings:
        return self._settings

    @settings.setter
    def settings(self, settings: DermDeskSettings) -> None:
        if settings != self._settings:
            self._settings = settings
            self.settings_changed.emit(settings)

    @property
    def source(self) -> SourceSpec:
        return self._source

    def set_source(self, spec: SourceSpec) -> None:
        """The source now streaming (the window switched to it)."""
        self._source = spec
        self.source_changed.emit(spec)

    def restart_source(self) -> None:
        """Ask the window to reopen the current source (e.g. after its light device changed)."""
        self.source_restart_requested.emit(self._source)

    # --- people ----------------------------------------------------------------------------------

    def set_user(self, user: UserInfo | None) -> None:
        """Who may see patient data now (None: nobody signed in, or locked): no user, no patient."""
        self.user = user
        if user is None:
            self.set_patient(None)
        self.user_changed.emit(user)

    def set_patient(self, patient: PatientInView | None) -> None:
        """The patient every screen acts on. Another patient drops a capture target of the last one."""
        if patient == self.patient:
            return
        self.patient = patient
        if self.target is not None and (
            patient is None or self.target.record_number != patient.record_number
        ):
            self.set_target(None)
        self.patient_changed.emit(patient)

    def set_target(self, target: CaptureTarget | None) -> None:
        """The lesion stills are filed to; it always belongs to the patient in view."""
        if target == self.target:
            return
        if target is not None and (
            self.patient is None or self.patient.record_number != target.record_number
        ):
            raise ValueError(gettext("A capture target must belong to the patient shown in the banner."))
        self.target = target
        self.target_changed.emit(target)

    def capture_refusal(self) -> str | None:
        """Why a still may not be taken now, or None when it may."""
        if not self.patient_required:
            return None
        if self.patient is None:
            return gettext(NO_PATIENT_FOR_CAPTURE)
        if self.target is None:
            return gettext(NO_LESION_FOR_CAPTURE).format(patient=self.patient.full_name)
        return None

    # --- what the station sees -------------------------------------------------------------------

    def set_lighting(self, mode: LightingMode | None) -> None:
        self.lighting = mode
        self.lighting_changed.emit(mode)

    def set_live_result(self, result: object | None) -> None:
        self.live_result = result
        self.live_result_changed.emit(result)

    def set_still_result(self, result: object | None) -> None:
        self.still_result = result
        self.still_result_changed.emit(result)

    # --- messages --------------------------------------------------------------------------------

    def notify(self, text: str, timeout_ms: int = 5000) -> None:
        """A status line for the person at the station."""
        self.notice.emit(Notice(text, None, timeout_ms))

    def warn(self, title: str, text: str) -> None:
        """A problem the person must see (logged too; messages carry no names)."""
        logger.warning("%s: %s", title, text)
        self.notice.emit(Notice(text, title, 10_000))
