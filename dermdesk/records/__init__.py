"""Patient records: users and roles, patients, visits, lesions, images, predictions, diagnoses, audit.

Qt-free (an import-linter contract keeps it so): the station window, the CLI and tests all drive it
through `Records` and its services, which check roles, write the audit log and run one transaction
per call. Results are plain frozen dataclasses (`dermdesk.records.views`); errors are `RecordsError`
subclasses with messages for clinic staff.

    records = Records.open(settings)
    records.startup()                      # file spooled captures, integrity check
    user = records.users.login("anna", password)
    records.patients.register(user, NewPatient("DD-000123", ...))
    records.captures.save(user, CaptureRequest("DD-000123", png_bytes, new_lesion=NewLesion("head/neck")))
"""

from __future__ import annotations

from dermdesk.records.access import Permission
from dermdesk.records.capture_request import CaptureMetadata, CaptureRequest, CaptureResult, PredictionInput
from dermdesk.records.captures import CaptureStep, FlushReport
from dermdesk.records.credentials import SecurityPolicy
from dermdesk.records.diagnoses import NewDiagnosis
from dermdesk.records.errors import (
    AccountDisabled,
    AccountLocked,
    AuthenticationFailed,
    BackupError,
    DatabaseTooNew,
    DatabaseUnavailable,
    ImageStoreError,
    NotFound,
    PasswordChangeRequired,
    PermissionDenied,
    RecordsError,
    RecordValidationError,
    RestoreError,
)
from dermdesk.records.integrity import IntegrityReport
from dermdesk.records.lesions import NewLesion
from dermdesk.records.patients import NewPatient
from dermdesk.records.reports import ReportVersion, SignOff, VisitContext, VisitKey, parse_visit
from dermdesk.records.station import Records, StartupReport
from dermdesk.records.views import (
    AuditEntry,
    DiagnosisInfo,
    ImageInfo,
    LesionInfo,
    PatientRecord,
    PatientSummary,
    UserInfo,
)
from dermdesk.records.vocabulary import AnatomSite, Confirmation, LesionStatus, Role, Sex

__all__ = [
    "AccountDisabled",
    "AccountLocked",
    "AnatomSite",
    "AuditEntry",
    "AuthenticationFailed",
    "BackupError",
    "CaptureMetadata",
    "CaptureRequest",
    "CaptureResult",
    "CaptureStep",
    "Confirmation",
    "DatabaseTooNew",
    "DatabaseUnavailable",
    "DiagnosisInfo",
    "FlushReport",
    "ImageInfo",
    "ImageStoreError",
    "IntegrityReport",
    "LesionInfo",
    "LesionStatus",
    "NewDiagnosis",
    "NewLesion",
    "NewPatient",
    "NotFound",
    "PasswordChangeRequired",
    "PatientRecord",
    "PatientSummary",
    "Permission",
    "PermissionDenied",
    "PredictionInput",
    "RecordValidationError",
    "Records",
    "RecordsError",
    "ReportVersion",
    "RestoreError",
    "Role",
    "SecurityPolicy",
    "Sex",
    "SignOff",
    "StartupReport",
    "UserInfo",
    "VisitContext",
    "VisitKey",
    "parse_visit",
]
