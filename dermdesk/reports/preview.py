"""Report work for the station's workers: render, sign off, and turn PDF pages into pictures.

Each function has the worker shape `fn(task_state, ...)` (see `dermdesk.tasks`) and returns plain data,
so the report dialog only starts them and shows what comes back, and tests and scripts call them with a
bare `TaskState()`. Signed versions are read back from the record as stored (`open_version`) and
compared by their text (`compare_versions`); referral letters are laid out the same way
(`letter_preview`). Pages are rasterised with pdfium (`pypdfium2`, bundled with its wheel): the same
pictures serve the on-screen preview and printing, at the printer's resolution for the latter. pdfium
is not thread-safe, so rasterising holds a lock.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass

import pypdfium2 as pdfium

from dermdesk.i18n import gettext
from dermdesk.records import Records, UserInfo
from dermdesk.records.reports import ReportVersion, SignOff, VisitKey
from dermdesk.reports.data import ReferralLetter, VisitReport, referral_letter_data, visit_report_data
from dermdesk.reports.errors import ReportError
from dermdesk.reports.referral_letter import render_referral_letter
from dermdesk.reports.visit_report import render_visit_report
from dermdesk.settings import DermDeskSettings
from dermdesk.tasks import TaskState

PREVIEW_DPI = 110.0
MAX_PRINT_DPI = 300.0

_pdfium_lock = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    """One rasterised page: RGB888 pixels, rows packed (3 × width bytes each)."""

    width: int
    height: int
    rgb: bytes
    dpi: float


@dataclass(frozen=True)
class RenderedReport:
    """A report's facts, its PDF and its pages as pictures."""

    report: VisitReport
    pdf: bytes
    pages: tuple[PageImage, ...]
    version: ReportVersion | None = None  # set once signed off and stored
    versions: tuple[ReportVersion, ...] = ()  # every signed version of the visit, oldest first


def rasterise(pdf: bytes, dpi: float = PREVIEW_DPI, state: TaskState | None = None) -> tuple[PageImage, ...]:
    """Every page of `pdf` as an RGB picture at `dpi`."""
    pages: list[PageImage] = []
    with _pdfium_lock:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise ReportError(
                gettext("The report could not be shown: the PDF is not readable ({exc}).").format(exc=exc)
            ) from exc
        try:
            count = len(document)
            for index in range(count):
                if state is not None:
                    state.raise_if_cancelled()
                    state.set_progress(
                        0.5 + 0.5 * index / count,
                        gettext("Showing page {page} of {count}").format(page=index + 1, count=count),
                    )
                page = document[index]
                try:
                    image = page.render(scale=dpi / 72.0).to_pil().convert("RGB")
                finally:
                    page.close()
                pages.append(PageImage(image.width, image.height, image.tobytes(), dpi))
        finally:
            document.close()
    return tuple(pages)


def page_count(pdf: bytes) -> int:
    with _pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def draft_preview(
    state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    settings: DermDeskSettings,
    dpi: float = PREVIEW_DPI,
) -> RenderedReport:
    """Gather and render the visit's report as a draft, and its pages for the preview (worker)."""
    state.set_progress(0.05, gettext("Gathering the visit's records"))
    report = visit_report_data(records, user, record_number, visit, settings)
    state.raise_if_cancelled()
    state.set_progress(0.3, gettext("Laying out the report"))
    pdf = render_visit_report(report)
    versions = tuple(records.reports.versions(user, record_number, report.visit_id))
    return RenderedReport(report, pdf, rasterise(pdf, dpi, state), versions=versions)


def sign_visit_report(
    state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    settings: DermDeskSettings,
    password: str,
    dpi: float = PREVIEW_DPI,
) -> RenderedReport:
    """Sign the visit's report off (password re-checked by the records), store it as the next version,
    and return the signed pages (worker)."""
    rendered: dict[str, tuple[VisitReport, bytes]] = {}

    def render(sign_off: SignOff) -> bytes:
        state.set_progress(0.3, gettext("Laying out the signed report"))
        report = visit_report_data(records, user, record_number, visit, settings, sign_off=sign_off)
        pdf = render_visit_report(report)
        rendered["signed"] = (report, pdf)
        return pdf

    state.set_progress(0.05, gettext("Checking the password"))
    version = records.reports.sign_off(user, record_number, visit, password, render)
    report, pdf = rendered["signed"]
    versions = tuple(records.reports.versions(user, record_number, report.visit_id))
    return RenderedReport(report, pdf, rasterise(pdf, dpi, state), version, versions)


def print_pages(state: TaskState, pdf: bytes, dpi: float) -> tuple[PageImage, ...]:
    """The pages at the printer's resolution (capped at MAX_PRINT_DPI), for painting onto a printer."""
    state.set_progress(0.0, gettext("Preparing the pages for the printer"))
    return rasterise(pdf, min(dpi, MAX_PRINT_DPI), state)


@dataclass(frozen=True)
class StoredVersion:
    """A signed version read back from the patient's record, exactly as it was stored."""

    version: ReportVersion
    pdf: bytes
    pages: tuple[PageImage, ...]


def find_version(
    records: Records, user: UserInfo, record_number: str, visit: VisitKey, number: int
) -> ReportVersion:
    """Signed version `number` of the visit's report; ReportError naming the versions there are."""
    versions = records.reports.versions(user, record_number, visit)
    found = next((v for v in versions if v.version == number), None)
    if found is None:
        have = ", ".join(str(v.version) for v in versions) or "none yet"
        raise ReportError(
            gettext("This visit's report has no signed version {number} (signed versions: {have}).").format(
                number=number, have=have
            )
        )
    return found


def open_version(
    state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    number: int,
    dpi: float = PREVIEW_DPI,
) -> StoredVersion:
    """Signed version `number`, read from the store (checked against its sha256, audited as a view),
    with its pages for the preview (worker)."""
    state.set_progress(0.05, gettext("Reading signed version {number}").format(number=number))
    version = find_version(records, user, record_number, visit, number)
    pdf = records.reports.read(user, version.id)
    return StoredVersion(version, pdf, rasterise(pdf, dpi, state))


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text as pdfium reads it (for comparing versions)."""
    texts: list[str] = []
    with _pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    textpage = page.get_textpage()
                    texts.append(textpage.get_text_range())
                    textpage.close()
                finally:
                    page.close()
        finally:
            document.close()
    return texts


def compare_versions(
    state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    older: int,
    newer: int,
) -> list[str]:
    """What changed in the text from signed version `older` to `newer`: lines removed ("- ") and added
    ("+ "), footers and page numbers left out (worker). Empty when the texts are the same."""

    def lines(number: int) -> list[str]:
        version = find_version(records, user, record_number, visit, number)
        text = "\n".join(page_texts(records.reports.read(user, version.id)))
        return [line.strip() for line in text.splitlines() if line.strip() and not _footer(line)]

    state.set_progress(
        0.1, gettext("Comparing versions {older} and {newer}").format(older=older, newer=newer)
    )
    before, after = lines(older), lines(newer)
    return [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _footer(line: str) -> bool:
    text = line.strip()
    return text.startswith("Page ") and " of " in text


@dataclass(frozen=True)
class RenderedLetter:
    """A referral letter's facts, its PDF and its pages as pictures."""

    letter: ReferralLetter
    pdf: bytes
    pages: tuple[PageImage, ...]


def letter_preview(
    state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    lesion_label: str,
    recipient: str,
    settings: DermDeskSettings,
    reason: str | None,
    dpi: float = PREVIEW_DPI,
) -> RenderedLetter:
    """The referral letter for one lesion, written by the signed-in doctor, and its pages (worker)."""
    state.set_progress(0.05, gettext("Gathering the lesion's records"))
    letter = referral_letter_data(
        records, user, record_number, lesion_label, recipient, settings, reason=reason
    )
    state.raise_if_cancelled()
    state.set_progress(0.3, gettext("Laying out the letter"))
    pdf = render_referral_letter(letter)
    return RenderedLetter(letter, pdf, rasterise(pdf, dpi, state))
