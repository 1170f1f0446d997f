"""Filing a capture: write the file, add the rows, commit — in that order, as three named steps.

Why this order: the picture is made durable first, so a committed row always has its file. A crash
between the steps leaves at most a file no row refers to; the start-up integrity check moves such a
file to `orphans/` and reports it. No order could avoid both kinds of leftovers, and a file without a
row is the harmless one.

`DERMDESK_TEST_CRASH_AT=<step>` kills this process at a step (`file_written`, `rows_flushed`,
`committed`); only the crash tests set it. When the clinic's PostgreSQL server (or the shared image
folder) is unreachable, the capture is spooled on this station and `flush_spool` files it later.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dermdesk.decoding import PictureRefused, check_picture
from dermdesk.i18n import _
from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user, require
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.capture_request import CaptureRequest, CaptureResult
from dermdesk.records.database import Database
from dermdesk.records.dicom_uids import forget_image as forget_dicom_image
from dermdesk.records.errors import (
    DatabaseUnavailable,
    ImageStoreError,
    NotFound,
    PermissionDenied,
    RecordsError,
    RecordValidationError,
)
from dermdesk.records.image_store import ImageStore, StoredFile, image_suffix, sha256_bytes
from dermdesk.records.lesions import create_lesion, find_lesion, visit_on
from dermdesk.records.outbox import forget_image, queue_lesion
from dermdesk.records.patients import find_patient
from dermdesk.records.spool import Spool
from dermdesk.records.views import UserInfo, picture_number, user_info
from dermdesk.records.vocabulary import ReferralStatus

log = logging.getLogger(__name__)

CRASH_ENV = "DERMDESK_TEST_CRASH_AT"
_PG_CAPTURE_LOCKS = 0x53504F4F  # "SPOO": the advisory-lock space of per-capture locks


class CaptureStep(StrEnum):
    FILE_WRITTEN = "file_written"
    ROWS_FLUSHED = "rows_flushed"
    COMMITTED = "committed"


def _crash_point(step: CaptureStep) -> None:
    """Test hook: die here, like a power cut, when DERMDESK_TEST_CRASH_AT names this step."""
    if os.environ.get(CRASH_ENV) == step.value:
        log.warning("%s=%s: killing this process on purpose", CRASH_ENV, step.value)
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


@dataclass
class FlushReport:
    """What `flush_spool` did: filed captures, entries kept for a person, and whether it had to stop."""

    filed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    waiting: int = 0

    @property
    def summary(self) -> str:
        text = _("{count} spooled capture(s) filed").format(count=len(self.filed))
        if self.waiting:
            text += _(", {count} still waiting for the records server").format(count=self.waiting)
        if self.failed:
            text += _(", {count} need attention (see failed.txt in the spool folder)").format(
                count=len(self.failed)
            )
        return text


def _image(session: Session, image_id: int) -> models.Image:
    image = session.get(models.Image, image_id)
    if image is None:
        raise NotFound(_("There is no image {image_id}.").format(image_id=image_id))
    return image


class CaptureService:
    def __init__(
        self,
        database: Database,
        store: ImageStore,
        spool: Spool | None,
        clock: Callable[[], datetime],
        *,
        upload_unlabelled: bool = False,
    ) -> None:
        self._db = database
        self._store = store
        self._spool = spool
        self._clock = clock
        self._upload_unlabelled = upload_unlabelled

    def save(self, user: UserInfo, request: CaptureRequest) -> CaptureResult:
        """File the capture; with a clinic server that is unreachable, spool it on this station."""
        require(user, Permission.CAPTURE)
        request.check()
        image_suffix(request.image)  # refuse a non-picture before anything is written
        try:  # ... and a damaged, truncated, tiny or oversized one (a decompression bomb) too
            check_picture(request.image)
        except PictureRefused as exc:
            raise RecordValidationError(str(exc)) from exc
        try:
            return self._file(user.id, request)
        except (DatabaseUnavailable, ImageStoreError) as exc:
            if self._spool is None:
                raise
            log.warning("Filing capture %s failed (%s); spooling it", request.capture_uid, type(exc).__name__)
            self._spool.put(user.id, user.username, request, self._clock())
            return CaptureResult(
                request.capture_uid,
                sha256_bytes(request.image),
                request.record_number,
                request.lesion_label,
                None,
                spooled=True,
            )

    def _file(self, user_id: int, request: CaptureRequest, *, spooled: bool = False) -> CaptureResult:
        stored = self._write_file(request)
        _crash_point(CaptureStep.FILE_WRITTEN)
        with self._db.transaction() as session:
            image = self._add_rows(session, user_id, request, stored, spooled=spooled)
            session.flush()
            _crash_point(CaptureStep.ROWS_FLUSHED)
            result = CaptureResult(
                request.capture_uid,
                stored.sha256,
                image.lesion.patient.record_number,
                image.lesion.label,
                image.id,
                spooled=False,
                picture_number=picture_number(image),
            )
        _crash_point(CaptureStep.COMMITTED)
        log.info("Capture %s filed as image %s", request.capture_uid, result.image_id)
        return result

    def _write_file(self, request: CaptureRequest) -> StoredFile:
        """Step 1: the picture, durable in the content-addressed store."""
        return self._store.put(request.image)

    def _add_rows(
        self, session: Session, user_id: int, request: CaptureRequest, stored: StoredFile, *, spooled: bool
    ) -> models.Image:
        """Step 2: image, prediction, lesion/visit when new, suggested referral and audit rows."""
        if session.get_bind().dialect.name == "postgresql":  # the window and the CLI of one station may
            # file the same spooled capture at once: the second waits here, then finds it filed
            session.execute(
                text("SELECT pg_advisory_xact_lock(:space, hashtext(:uid))"),
                {"space": _PG_CAPTURE_LOCKS, "uid": request.capture_uid},
            )
        already = session.scalar(select(models.Image).where(models.Image.capture_uid == request.capture_uid))
        if already is not None:  # a spooled capture filed before a crash: nothing to add
            return already
        now = self._clock()
        actor = session.get(models.User, user_id)
        if actor is None:
            raise PermissionDenied(_("The account that took this picture no longer exists."))
        if not spooled:  # a spooled capture was allowed when taken, even if the account changed since
            acting_user(session, user_info(actor), Permission.CAPTURE, now)
        patient = find_patient(session, request.record_number)
        today = request.metadata.captured_at.astimezone().date()
        if request.new_lesion is not None:
            lesion = create_lesion(session, patient, request.new_lesion.validated(), today)
        else:
            lesion = find_lesion(session, patient, request.lesion_label or "")
        meta = request.metadata
        image = models.Image(
            capture_uid=request.capture_uid,
            lesion=lesion,
            visit=visit_on(session, patient, today, actor),
            captured_by=actor,
            sha256=stored.sha256,
            relative_path=stored.relative_path,
            byte_size=stored.byte_size,
            camera=meta.camera,
            lighting_mode=meta.lighting_mode,
            polarised=meta.polarised,
            contact=meta.contact,
            magnification=meta.magnification,
            mm_per_px=meta.mm_per_px,
            exposure=meta.exposure,
            captured_at=meta.captured_at,
            stored_at=now,
            quality_scores=dict(meta.quality_scores),
            quality_gate_overridden=meta.quality_gate_overridden,
        )
        session.add(image)
        prediction = request.prediction
        if prediction is not None:
            session.add(
                models.Prediction(
                    image=image,
                    model_name=prediction.model_name,
                    model_version=prediction.model_version,
                    manifest_sha256=prediction.manifest_sha256,
                    probabilities=dict(prediction.probabilities),
                    ranking=list(prediction.ranking),
                    triage=prediction.triage,
                    refer=prediction.refer,
                    latency_ms=prediction.latency_ms,
                    created_at=now,
                )
            )
            if prediction.refer:
                reason = "; ".join(prediction.referral_reasons) or "the model advises referral"
                session.add(
                    models.Referral(
                        lesion=lesion,
                        reason=f"Model: {reason}",
                        status=ReferralStatus.SUGGESTED.value,
                        created_at=now,
                    )
                )
        session.flush()
        # a new picture of a confirmed lesion (or any, when the centre asks for unlabelled cases)
        queue_lesion(session, lesion, now, unlabelled=self._upload_unlabelled)
        record_event(
            session,
            AuditAction.CAPTURE,
            now,
            user=actor,
            object_type="image",
            object_id=image.id,
            detail={
                "patient": patient.record_number,
                "lesion": lesion.label,
                "sha256": stored.sha256,
                "spooled": spooled,
                "quality_gate_overridden": meta.quality_gate_overridden,
            },
        )
        return image

    # --- the spool -----------------------------------------------------------------------------------

    def flush_spool(self) -> FlushReport:
        """File spooled captures, oldest first; stop at the first sign the server is still away."""
        report = FlushReport()
        if self._spool is None:
            return report
        pending = self._spool.pending()
        for index, folder in enumerate(pending):
            if not folder.exists():  # filed and removed by another process of this station meanwhile
                continue
            try:
                entry = self._spool.load(folder)
                self._file(entry.user_id, entry.request, spooled=True)
            except (DatabaseUnavailable, ImageStoreError):
                report.waiting = len(pending) - index
                break
            except (RecordsError, ValueError, OSError, KeyError) as exc:
                log.error("Spooled capture %s cannot be filed: %s", folder.name, exc)
                self._spool.mark_failed(folder, str(exc))
                report.failed[folder.name] = str(exc)
                continue
            self._spool.remove(folder)
            report.filed.append(entry.request.capture_uid)
        if report.filed or report.failed:
            log.info("Spool flushed: %s", report.summary)
        return report

    # --- corrections -----------------------------------------------------------------------------------

    def set_for_report(self, user: UserInfo, image_id: int, for_report: bool, reason: str = "") -> None:
        """Put a picture into reports or leave it out of them (a poor or wrong picture); audited."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            image = _image(session, image_id)
            if image.for_report == for_report:
                return
            image.for_report = for_report
            record_event(
                session,
                AuditAction.PICTURE_IN_REPORT,
                now,
                user=actor,
                object_type="image",
                object_id=image_id,
                detail={
                    "patient": image.lesion.patient.record_number,
                    "lesion": image.lesion.label,
                    "for_report": for_report,
                    "reason": reason.strip(),
                },
            )

    def move_image(self, user: UserInfo, image_id: int, record_number: str, lesion_label: str) -> str:
        """Move a picture filed to the wrong lesion to another lesion of the SAME patient; audited.

        A picture never changes patient here: moving it to another patient's lesion is refused.
        Returns the new lesion's label.
        """
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            image = _image(session, image_id)
            patient = image.lesion.patient
            if record_number.strip().upper() != patient.record_number:
                raise RecordValidationError(
                    _(
                        "This picture belongs to patient {record_number}; it cannot be moved to another "
                        "patient's lesion ({record_number2}). Delete it and file it again if it was "
                        "taken of the wrong patient."
                    ).format(record_number=patient.record_number, record_number2=record_number.strip())
                )
            target = find_lesion(session, patient, lesion_label)
            source = image.lesion
            if target.id == source.id:
                return source.label
            image.lesion = target
            session.flush()
            queue_lesion(session, target, now, unlabelled=self._upload_unlabelled)
            record_event(
                session,
                AuditAction.MOVE_PICTURE,
                now,
                user=actor,
                object_type="image",
                object_id=image_id,
                detail={"patient": patient.record_number, "from": source.label, "to": target.label},
            )
            return target.label

    def delete_image(self, user: UserInfo, image_id: int, reason: str) -> None:
        """Remove a picture filed in error (doctors only; audited with the reason). The file stays in
        the store until the integrity check moves it to `orphans/`, so nothing is lost by mistake."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.DIAGNOSE, now)
            image = session.get(models.Image, image_id)
            if image is None:
                raise NotFound(_("There is no image {image_id}.").format(image_id=image_id))
            if not reason.strip():
                raise RecordValidationError(
                    _("Say why the image is deleted; the reason is kept in the audit log.")
                )
            detail = {
                "patient": image.lesion.patient.record_number,
                "lesion": image.lesion.label,
                "sha256": image.sha256,
                "reason": reason.strip(),
            }
            forget_dicom_image(session, image_id)  # before the rows its UIDs point at
            for prediction in list(image.predictions):
                session.delete(prediction)
            forget_image(session, image_id)
            session.delete(image)
            record_event(
                session,
                AuditAction.DELETE,
                now,
                user=actor,
                object_type="image",
                object_id=image_id,
                detail=detail,
            )
