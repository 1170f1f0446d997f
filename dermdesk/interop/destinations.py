"""The clinic's own systems DICOM and FHIR may go to: the PACS, its worklist and the EHR's FHIR endpoint.

Why one place: these carry the patient's name and record number by design, so they may only go where
clinic IT pointed the settings, and only encrypted when that is another machine. A plain connection
(http://, DIMSE without TLS) is allowed to this machine, or elsewhere only where IT said so
(`DERMDESK_INTEROP_ALLOW_INSECURE`, e.g. a PACS on the clinic's isolated imaging network).
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dermdesk.i18n import gettext
from dermdesk.settings import DermDeskSettings


class DestinationError(RuntimeError):
    """A destination is not configured or not allowed; the message says what IT should set."""


@dataclass(frozen=True)
class DicomNode:
    """A DIMSE peer: where it listens and the titles both sides use."""

    host: str
    port: int
    called_ae: str
    calling_ae: str
    tls: bool
    ca_bundle: Path | None

    @property
    def words(self) -> str:
        return gettext("{title} at {host}:{port}").format(
            title=self.called_ae, host=self.host, port=self.port
        )


def is_this_machine(host: str) -> bool:
    """True for a loopback name or address (traffic that never leaves this computer)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str, allow_insecure: bool) -> str:
    """The URL, checked: https://, or http:// to this machine (or anywhere IT allowed it)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DestinationError(
            gettext("The {what} address {url!r} must start with https://.").format(what=what, url=url)
        )
    if parts.scheme == "http" and not allow_insecure and not is_this_machine(parts.hostname):
        raise DestinationError(
            gettext(
                "The {what} address {url} is http:// to another machine, which would send "
                "patients' names unencrypted; use https:// (or set "
                "DERMDESK_INTEROP_ALLOW_INSECURE=1 if clinic IT accepts that)."
            ).format(what=what, url=url)
        )
    return url


def check_node(node: DicomNode, what: str, allow_insecure: bool) -> DicomNode:
    if not node.tls and not allow_insecure and not is_this_machine(node.host):
        raise DestinationError(
            gettext(
                "The {what} {words} is on another machine and DICOM TLS is off, which would send "
                "patients' names unencrypted; turn on DERMDESK_PACS_TLS (or set "
                "DERMDESK_INTEROP_ALLOW_INSECURE=1 if clinic IT accepts that)."
            ).format(what=what, words=node.words)
        )
    if node.ca_bundle is not None and not node.ca_bundle.is_file():
        raise DestinationError(
            gettext("The CA bundle {ca_bundle} for the {what} does not exist.").format(
                ca_bundle=node.ca_bundle, what=what
            )
        )
    return node


def pacs_node(settings: DermDeskSettings) -> DicomNode:
    if not settings.pacs_host:
        raise DestinationError(gettext("No PACS is configured for DICOM (DERMDESK_PACS_HOST)."))
    node = DicomNode(
        settings.pacs_host,
        settings.pacs_port,
        settings.pacs_ae_title,
        settings.station_ae_title,
        settings.pacs_tls,
        settings.pacs_ca_bundle,
    )
    return check_node(node, "PACS", settings.interop_allow_insecure)


def worklist_node(settings: DermDeskSettings) -> DicomNode:
    host = settings.worklist_host or settings.pacs_host
    if not host:
        raise DestinationError(
            gettext("No modality worklist is configured (DERMDESK_WORKLIST_HOST or PACS_HOST).")
        )
    node = DicomNode(
        host,
        settings.worklist_port or settings.pacs_port,
        settings.worklist_ae_title or settings.pacs_ae_title,
        settings.station_ae_title,
        settings.pacs_tls,
        settings.pacs_ca_bundle,
    )
    return check_node(node, gettext("worklist"), settings.interop_allow_insecure)


def dicomweb_url(settings: DermDeskSettings) -> str:
    if not settings.pacs_dicomweb_url:
        raise DestinationError(
            gettext("No DICOMweb address is configured for the PACS (DERMDESK_PACS_DICOMWEB_URL).")
        )
    return check_url(settings.pacs_dicomweb_url, "PACS", settings.interop_allow_insecure)


def fhir_url(settings: DermDeskSettings) -> str:
    if not settings.fhir_url:
        raise DestinationError(gettext("No FHIR endpoint is configured for the EHR (DERMDESK_FHIR_URL)."))
    return check_url(settings.fhir_url, gettext("FHIR endpoint"), settings.interop_allow_insecure)


def tls_context(node: DicomNode) -> ssl.SSLContext:
    """Client TLS for DIMSE: the server's certificate checked against the bundle (or the system's CAs)."""
    context = ssl.create_default_context(cafile=str(node.ca_bundle) if node.ca_bundle else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def describe(settings: DermDeskSettings) -> dict[str, str]:
    """Where each kind of traffic would go (no secrets), for `dermdesk dicom send --dry-run` and the UI."""
    places: dict[str, str] = {}
    if settings.pacs_send_by == "dimse" and settings.pacs_host:
        places["pacs"] = f"DICOM {settings.pacs_ae_title}@{settings.pacs_host}:{settings.pacs_port}"
    elif settings.pacs_dicomweb_url:
        places["pacs"] = settings.pacs_dicomweb_url
    if settings.fhir_url:
        places["ehr"] = settings.fhir_url
    return places
