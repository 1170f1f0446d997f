"""The exceptions of the records core, each with a message a clinician or clinic IT can act on.

Why a small hierarchy: the UI and the CLI catch `RecordsError` once and show `str(exc)`; tests and
callers that need to react (spool on `DatabaseUnavailable`, re-prompt on `AuthenticationFailed`) catch
the specific class. Messages never contain patient names.
"""

from __future__ import annotations


class RecordsError(RuntimeError):
    """Base class: something the records core refused or could not do; the message is for people."""


class RecordValidationError(RecordsError, ValueError):
    """Input that cannot be filed as given (bad record number, birth date in the future, ...)."""


class NotFound(RecordsError, LookupError):  # noqa: N818 - named in the clinic's words
    """A patient, lesion, user or diagnosis named by the caller does not exist."""


class PermissionDenied(RecordsError):  # noqa: N818 - named in the clinic's words
    """The signed-in user's role does not allow this action. `username` and `attempted` (the permission)
    let the records audit the refused attempt (`Database.transaction`)."""

    def __init__(
        self,
        message: str,
        *,
        username: str | None = None,
        attempted: str | None = None,
        english: str | None = None,
    ) -> None:
        super().__init__(message)
        self.username = username
        self.attempted = attempted
        self.english = english or message  # what the audit log keeps (the message may be translated)


class AuthenticationFailed(RecordsError):  # noqa: N818 - named in the clinic's words
    """Wrong user name or password (deliberately not saying which)."""


class AccountLocked(AuthenticationFailed):
    """Too many wrong passwords: the account is locked for a while."""


class PasswordChangeRequired(RecordsError):  # noqa: N818 - named in the clinic's words
    """The account signed in with a one-time password and must choose its own before anything else."""


class AccountDisabled(AuthenticationFailed):
    """An administrator has disabled the account."""


class ChangedElsewhere(RecordsError):  # noqa: N818 - named in the clinic's words
    """Another station changed the same record first; nothing of this change was saved. The message
    says what the record holds now, so the person can decide again."""


class DiagnosisConflict(ChangedElsewhere):
    """The lesion already has a signed final diagnosis that says something else: a different one is an
    explicit amendment of it (`amends=`), never a silent second answer. `current_id` names the first."""

    def __init__(self, message: str, current_id: int) -> None:
        super().__init__(message)
        self.current_id = current_id


class DatabaseUnavailable(RecordsError):  # noqa: N818 - named in the clinic's words
    """The clinic database server cannot be reached; captures are spooled locally meanwhile."""


class DatabaseTooNew(RecordsError):  # noqa: N818 - named in the clinic's words
    """The database was migrated by a newer DermDesk; this station must be updated first."""


class DatabaseRefused(RecordsError):  # noqa: N818 - named in the clinic's words
    """The records server refused a change for a reason of its own (a rule, a lock wait, a full disk);
    the message says what to do, the technical reason goes to the log."""


class ImageStoreError(RecordsError):
    """An image could not be written to or read from the image store."""


class BackupError(RecordsError):
    """A backup could not be made; nothing half-written is left at the destination."""


class RestoreError(RecordsError):
    """A backup could not be restored; the target data folder was left unchanged or empty."""
