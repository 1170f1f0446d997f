"""Storing DICOM objects at the clinic's PACS and finding them there again: STOW-RS + QIDO-RS
(`dicomweb-client`) or C-STORE + C-FIND (`pynetdicom`).

Why a sender answers per object and sorts failures in two: the outbox must know which objects the
PACS has, which it will never take as they are (the SOP class refused, the object rejected: retrying
cannot help, staff are told why), and when to stop and retry the rest later (unreachable, busy, full).
A send is only "done" once the objects are found again by a query (`present`): a PACS that answered
yes and then lost the object is caught.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Protocol

import requests
from pydicom import Dataset, dcmread
from pydicom.uid import UID

from dermdesk.i18n import N_, _
from dermdesk.interop.destinations import DestinationError, DicomNode, dicomweb_url, pacs_node, tls_context
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

TIMEOUT = (5.0, 60.0)  # connect, read (seconds)
STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1"  # Study Root Query/Retrieve Information Model - FIND
SENT_CLASSES = (  # what `dermdesk.interop.export` writes
    "1.2.840.10008.5.1.4.1.1.77.1.7",  # Dermoscopic Photography Image Storage
    "1.2.840.10008.5.1.4.1.1.77.1.4",  # VL Photographic Image Storage
    "1.2.840.10008.5.1.4.1.1.104.1",  # Encapsulated PDF Storage
    "1.2.840.10008.5.1.4.1.1.88.22",  # Enhanced SR Storage
)
RETRY_HTTP = (
    HTTPStatus.TOO_MANY_REQUESTS,
    HTTPStatus.REQUEST_TIMEOUT,
    HTTPStatus.BAD_GATEWAY,
    HTTPStatus.SERVICE_UNAVAILABLE,
    HTTPStatus.GATEWAY_TIMEOUT,
)


class PacsUnavailableError(RuntimeError):
    """The PACS cannot take objects now (unreachable, busy, full, an internal error): retry later."""


class ObjectRefusedError(RuntimeError):
    """The PACS will not take this object as it is (SOP class not supported, rejected); no retry."""


@dataclass(frozen=True)
class Stored:
    """One object stored (possibly with a warning the PACS gave, e.g. an attribute it coerced)."""

    warning: str | None = None


class PacsSender(Protocol):
    """What the outbox needs of a PACS connection."""

    def store(self, data: bytes) -> Stored: ...

    def present(self, study_uid: str, series_uids: Iterable[str]) -> set[str]: ...

    def close(self) -> None: ...


# The classes this station sends, named as pydicom names them; marked so a Korean screen names them too.
_CLASS_NAMES = frozenset(
    (
        N_("Dermoscopic Photography Image Storage"),
        N_("VL Photographic Image Storage"),
        N_("Encapsulated PDF Storage"),
        N_("Enhanced SR Storage"),
    )
)


def _sop_class_name(uid: str) -> str:
    name = UID(uid).name
    if name in _CLASS_NAMES:
        return _(name)
    return name if name and name != uid else _("objects of class {uid}").format(uid=uid)


# C-STORE status (PS3.4 B.2.3 and PS3.7 C): refused for good, or out of resources (retry later).
def _status_words(status: int) -> str:
    if status == 0x0122:
        return _("it does not support this kind of object (SOP class not supported)")
    if status == 0x0124:
        return _("it refused this station (not authorised)")
    if (status & 0xFF00) == 0xA700 or status == 0x0213:
        return _("it is out of storage space or resources (full)")
    if (status & 0xFF00) == 0xA900:
        return _("the object does not match the class it claims (rejected)")
    if (status & 0xF000) == 0xC000:
        return _("it could not understand the object (rejected)")
    return _("it answered status 0x{status}").format(status=f"{status:04X}")


def _full(status: int) -> bool:
    return (status & 0xFF00) == 0xA700 or status == 0x0213 or status == 0x0210


class DicomWebSender:
    """STOW-RS one object per request (so each gets its own answer); QIDO-RS to find them again."""

    def __init__(self, settings: DermDeskSettings, *, client: Any = None) -> None:
        from dicomweb_client.api import DICOMwebClient

        url = dicomweb_url(settings)
        session = requests.Session()
        session.headers["User-Agent"] = "DermDesk-station"
        if settings.pacs_ca_bundle is not None:
            if not settings.pacs_ca_bundle.is_file():
                raise DestinationError(
                    _("The CA bundle {pacs_ca_bundle} for the PACS does not exist.").format(
                        pacs_ca_bundle=settings.pacs_ca_bundle
                    )
                )
            session.verify = str(settings.pacs_ca_bundle)
        self._url = url
        self._client = client or DICOMwebClient(url, session=session, timeout=TIMEOUT)
        self._client.set_http_retry_params(
            retry=True, max_attempts=3, wait_exponential_multiplier=250, retriable_error_codes=RETRY_HTTP
        )

    def store(self, data: bytes) -> Stored:
        ds = dcmread(io.BytesIO(data))
        what = _sop_class_name(str(ds.SOPClassUID))
        try:
            answer = self._client.store_instances([ds])
        except requests.HTTPError as exc:
            self._refusal(exc.response, what)
        except requests.exceptions.SSLError as exc:
            raise PacsUnavailableError(
                _("the PACS's certificate is not trusted ({value})").format(value=_short(exc))
            ) from exc
        except requests.RequestException as exc:
            raise PacsUnavailableError(
                _("the PACS cannot be reached at {url} ({value})").format(url=self._url, value=_short(exc))
            ) from exc
        failed = getattr(answer, "FailedSOPSequence", None) or []
        if failed:
            reason = int(getattr(failed[0], "FailureReason", 0xC000))
            if _full(reason):
                raise PacsUnavailableError(
                    _("the PACS did not store {what}: {value}").format(what=what, value=_status_words(reason))
                )
            raise ObjectRefusedError(
                _("The PACS refused {what}: {value}.").format(what=what, value=_status_words(reason))
            )
        return Stored(None)

    def _refusal(self, response: requests.Response | None, what: str) -> None:
        status = response.status_code if response is not None else 0
        reason = _failure_reason(response)
        detail = _status_words(reason) if reason is not None else _http_words(response)
        if status in (413, 507) or (reason is not None and _full(reason)):
            raise PacsUnavailableError(
                _("the PACS is full (HTTP {status}: {detail})").format(status=status, detail=detail)
            )
        if status >= 500 or status in (408, 429):
            raise PacsUnavailableError(
                _("the PACS had a problem (HTTP {status}: {detail})").format(status=status, detail=detail)
            )
        if status in (401, 403):
            raise PacsUnavailableError(
                _("the PACS refused this station (HTTP {status}); ask clinic IT").format(status=status)
            )
        raise ObjectRefusedError(
            _("The PACS refused {what} (HTTP {status}: {detail}).").format(
                what=what, status=status, detail=detail
            )
        )

    def present(self, study_uid: str, series_uids: Iterable[str]) -> set[str]:
        try:
            found = self._client.search_for_instances(
                study_instance_uid=study_uid, fields=["00080018"], get_remaining=True
            )
        except requests.RequestException as exc:
            raise PacsUnavailableError(
                _("the PACS cannot be asked what it holds ({value})").format(value=_short(exc))
            ) from exc
        uids: set[str] = set()
        for item in found:
            values = item.get("00080018", {}).get("Value", [])
            uids.update(str(value) for value in values)
        return uids

    def close(self) -> None:
        self._client._session.close()


class DimseSender:
    """C-STORE over one association per run; C-FIND (Study Root, image level) to find them again."""

    def __init__(self, settings: DermDeskSettings) -> None:
        self._node = pacs_node(settings)
        self._assoc: Any = None

    def _associate(self) -> Any:
        """One association proposing every class DermDesk writes and the query; reused while it lasts."""
        if self._assoc is not None and self._assoc.is_established:
            return self._assoc
        self.close()
        ae = _application_entity(self._node)
        for uid in (*SENT_CLASSES, STUDY_ROOT_FIND):
            ae.add_requested_context(uid)
        assoc = ae.associate(
            self._node.host, self._node.port, ae_title=self._node.called_ae, **_tls_args(self._node)
        )
        if not assoc.is_established:
            reason = (
                "it rejected this station"
                if assoc.is_rejected
                else "it accepts none of the kinds of object DermDesk sends"
                if assoc.is_aborted
                else "no answer"
            )
            raise PacsUnavailableError(
                _("the PACS {words} cannot be reached ({reason})").format(
                    words=self._node.words, reason=reason
                )
            )
        self._assoc = assoc
        return assoc

    def _accepts(self, assoc: Any, sop_class: str) -> bool:
        return sop_class in {str(cx.abstract_syntax) for cx in assoc.accepted_contexts}

    def store(self, data: bytes) -> Stored:
        ds = dcmread(io.BytesIO(data))
        sop_class = str(ds.SOPClassUID)
        what = _sop_class_name(sop_class)
        assoc = self._associate()
        if not self._accepts(assoc, sop_class):
            raise ObjectRefusedError(
                _("The PACS does not accept {what} (it refused that kind of object).").format(what=what)
            )
        status_ds = assoc.send_c_store(ds)
        status = getattr(status_ds, "Status", None)
        if status is None:  # the connection dropped or timed out mid-store
            self.close()
            raise PacsUnavailableError(
                _("the PACS {words} stopped answering while storing {what}").format(
                    words=self._node.words, what=what
                )
            )
        status = int(status)
        if status == 0x0000:
            return Stored(None)
        if status in (0x0001, 0x0107, 0x0116) or (status & 0xF000) == 0xB000:
            return Stored(f"warning 0x{status:04X}")
        if _full(status) or status == 0x0110 or (status & 0xFF00) == 0xA700:
            raise PacsUnavailableError(
                _("the PACS did not store {what}: {value}").format(what=what, value=_status_words(status))
            )
        raise ObjectRefusedError(
            _("The PACS refused {what}: {value}.").format(what=what, value=_status_words(status))
        )

    def present(self, study_uid: str, series_uids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for series_uid in series_uids:
            assoc = self._associate()
            if not self._accepts(assoc, STUDY_ROOT_FIND):
                raise PacsUnavailableError(
                    _(
                        "the PACS {words} does not answer queries (C-FIND), so what it stored cannot be "
                        "confirmed; ask clinic IT to allow this station's queries"
                    ).format(words=self._node.words)
                )
            query = Dataset()
            query.QueryRetrieveLevel = "IMAGE"
            query.StudyInstanceUID = study_uid
            query.SeriesInstanceUID = series_uid
            query.SOPInstanceUID = ""
            for status, identifier in assoc.send_c_find(query, STUDY_ROOT_FIND):
                code = getattr(status, "Status", None)
                if code is None:
                    self.close()
                    raise PacsUnavailableError(
                        _("the PACS {words} stopped answering a query").format(words=self._node.words)
                    )
                if int(code) in (0xFF00, 0xFF01) and identifier is not None:
                    found.add(str(identifier.get("SOPInstanceUID", "")))
        return found

    def close(self) -> None:
        if self._assoc is not None and self._assoc.is_established:
            self._assoc.release()
        self._assoc = None


def _application_entity(node: DicomNode) -> Any:
    from pynetdicom import AE

    ae = AE(ae_title=node.calling_ae)
    ae.acse_timeout = 15
    ae.dimse_timeout = 60
    ae.network_timeout = 30
    ae.connection_timeout = 5
    return ae


def _tls_args(node: DicomNode) -> dict[str, Any]:
    return {"tls_args": (tls_context(node), node.host)} if node.tls else {}


def make_sender(settings: DermDeskSettings) -> PacsSender:
    """The configured way to the PACS (`pacs_send_by`), its address checked first."""
    if settings.pacs_send_by == "dimse":
        return DimseSender(settings)
    return DicomWebSender(settings)


def _failure_reason(response: requests.Response | None) -> int | None:
    if response is None:
        return None
    try:
        data = json.loads(response.content or b"{}")
    except ValueError:
        return None
    failed = data.get("00081198", {}).get("Value", []) if isinstance(data, dict) else []
    for item in failed:
        values = item.get("00081197", {}).get("Value", [])
        if values:
            return int(values[0])
    return None


def _http_words(response: requests.Response | None) -> str:
    if response is None:
        return "no answer"
    text = (response.text or "").strip().splitlines()
    return (text[0] if text else response.reason or "no reason given")[:160]


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160]
