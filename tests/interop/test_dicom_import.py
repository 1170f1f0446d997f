"""Importing DICOM stills: a round trip into a fresh station keeps pixels, site, light, dates and UIDs;
each kind of bad file is refused with a reason and files nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian, JPEGBaseline8Bit
from records.helpers import Team
from reports.seed import FAMILY, GIVEN

from dermdesk.decoding import decode_picture
from dermdesk.interop.anatomy import body_site
from dermdesk.interop.dicom_import import DicomImportError, import_still
from dermdesk.interop.export import VisitExport, export_visit
from dermdesk.records import NewPatient, Records, SecurityPolicy
from dermdesk.records.views import ImageInfo, LesionInfo
from dermdesk.settings import DermDeskSettings
from interop.conftest import Visit, add_team


@pytest.fixture
def exported(
    records: Records, team: Team, visit: Visit, settings: DermDeskSettings, tmp_path: Path
) -> VisitExport:
    return export_visit(records, team.doctor, visit.record_number, None, tmp_path / "exported", settings)


@pytest.fixture
def fresh(tmp_path: Path, settings: DermDeskSettings) -> Iterator[tuple[Records, Team]]:
    """A second station, with its own database and image store, and the same patient registered."""
    other = settings.with_overrides(data_dir=tmp_path / "fresh-station")
    station = Records.open(other, policy=SecurityPolicy(max_failed_attempts=5))
    team = add_team(station)
    station.patients.register(team.staff, NewPatient("DD-000777", GIVEN, FAMILY, date(1971, 5, 17), "female"))
    yield station, team
    station.close()


def stills_of(
    records: Records, team: Team, number: str, day: date
) -> dict[str, tuple[LesionInfo, ImageInfo]]:
    record = records.patients.get(team.staff, number)
    return {
        f"{lesion.label}/{image.lighting_mode}": (lesion, image)
        for lesion in record.lesions
        for image in lesion.images
        if image.visit_date == day
    }


def holding(
    records: Records, team: Team, stills: dict[str, tuple[LesionInfo, ImageInfo]], sop_instance_uid: str
) -> tuple[LesionInfo, ImageInfo]:
    """The lesion and still that the records hold under this SOP Instance UID."""
    where = records.dicom.known_instance(team.staff, sop_instance_uid)
    return next(
        (lesion, image)
        for lesion, image in stills.values()
        if where == f"image {image.id} of lesion {lesion.label} (DD-000777)"
    )


def test_a_round_trip_into_a_fresh_station_keeps_pixels_site_light_dates_and_uids(
    records: Records,
    team: Team,
    visit: Visit,
    exported: VisitExport,
    fresh: tuple[Records, Team],
    settings: DermDeskSettings,
    tmp_path: Path,
) -> None:
    station, crew = fresh
    pictures = [f for f in exported.files if f.kind in ("dermoscopy", "spectral", "overview")]
    # the source station's lesions, by label: the first still of each makes a new lesion over there
    labels: dict[str, str] = {}
    for file in pictures:
        assert file.lesion_label is not None
        target = labels.get(file.lesion_label)
        imported = import_still(station, crew.staff, file.path, "DD-000777", target)
        assert imported.uids_kept and not imported.spooled
        labels.setdefault(file.lesion_label, imported.lesion_label or "")

    day = exported.visit_date
    before = stills_of(records, team, visit.record_number, day)
    after = stills_of(station, crew, visit.record_number, day)
    assert len(after) == len(pictures)
    for file in pictures:
        lesion_a, image_a = holding(records, team, before, file.sop_instance_uid)
        lesion_b, image_b = holding(station, crew, after, file.sop_instance_uid)
        # pixels, light, dates and how the picture was taken
        pixels_a = decode_picture(records.store.read(image_a.relative_path))
        pixels_b = decode_picture(station.store.read(image_b.relative_path))
        assert np.array_equal(pixels_a, pixels_b), file.path.name
        assert image_b.lighting_mode == (image_a.lighting_mode if image_a.lighting_mode else None)
        assert image_b.captured_at == image_a.captured_at
        assert image_b.visit_date == image_a.visit_date == day
        assert (image_b.contact, image_b.magnification, image_b.mm_per_px) == (
            image_a.contact,
            image_a.magnification,
            image_a.mm_per_px,
        )
        # site: the same ISIC site and the same coded region, laterality and side of the body
        assert lesion_b.anatom_site_general == lesion_a.anatom_site_general
        site_a = body_site(
            lesion_a.anatom_site_general,
            lesion_a.site_detail,
            lesion_a.map_x,
            lesion_a.map_y,
            lesion_a.map_view,
        )
        site_b = body_site(
            lesion_b.anatom_site_general,
            lesion_b.site_detail,
            lesion_b.map_x,
            lesion_b.map_y,
            lesion_b.map_view,
        )
        assert site_b == site_a, file.path.name

    # exporting again from the fresh station names the same study, series and instances
    again = export_visit(station, crew.doctor, "DD-000777", day, tmp_path / "again", settings)
    assert again.study_uid == exported.study_uid
    first = {(f.sop_instance_uid, f.series_uid, f.sop_class_uid) for f in pictures}
    second = {(f.sop_instance_uid, f.series_uid, f.sop_class_uid) for f in again.files}
    assert second == first


def rewrite(source: Path, target: Path, change: object) -> Path:
    ds = pydicom.dcmread(source)
    change(ds)  # type: ignore[operator]
    ds.save_as(target, enforce_file_format=True)
    return target


def image_count(records: Records, team: Team) -> int:
    record = records.patients.get(team.staff, "DD-000777")
    return sum(len(lesion.images) for lesion in record.lesions)


def _jpeg_syntax(ds: pydicom.Dataset) -> None:
    ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    ds.PixelData = encapsulate([bytes(ds.PixelData)])
    ds["PixelData"].VR = "OB"


def _no_pixels(ds: pydicom.Dataset) -> None:
    for keyword in (
        "PixelData",
        "Rows",
        "Columns",
        "SamplesPerPixel",
        "PhotometricInterpretation",
        "BitsAllocated",
    ):
        delattr(ds, keyword)


def _sixteen_bit(ds: pydicom.Dataset) -> None:
    pixels = np.frombuffer(ds.PixelData, dtype=np.uint8).astype(np.uint16) * 256
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelData = pixels.tobytes()


def _ybr(ds: pydicom.Dataset) -> None:
    ds.PhotometricInterpretation = "YBR_FULL"


def _multi_frame(ds: pydicom.Dataset) -> None:
    ds.NumberOfFrames = 2
    ds.PixelData = bytes(ds.PixelData) * 2


def _huge(ds: pydicom.Dataset) -> None:
    ds.Rows, ds.Columns = 60000, 60000


def _truncated(ds: pydicom.Dataset) -> None:
    ds.PixelData = bytes(ds.PixelData)[: len(ds.PixelData) // 2]


def _other_patient(ds: pydicom.Dataset) -> None:
    ds.PatientID = "DD-000999"


def _other_birth_date(ds: pydicom.Dataset) -> None:
    ds.PatientBirthDate = "19710518"


def _structured_report(ds: pydicom.Dataset) -> None:
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.88.22"


BAD_FILES = [
    ("unsupported transfer syntax", _jpeg_syntax, "JPEG Baseline"),
    ("missing pixel module", _no_pixels, "no picture in it"),
    ("16-bit image", _sixteen_bit, "16-bit pixels"),
    ("YBR image", _ybr, "YBR_FULL"),
    ("multi-frame", _multi_frame, "2 frames"),
    ("too many pixels", _huge, "The picture is too large"),
    ("truncated pixels", _truncated, "is damaged: its picture is shorter"),
    ("another patient", _other_patient, "another patient \\(DD-000999\\)"),
    ("same number, other birth date", _other_birth_date, "another patient"),
    ("not a picture class", _structured_report, "Enhanced SR Storage"),
]


@pytest.mark.parametrize(("what", "change", "reason"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_filed(
    what: str,
    change: object,
    reason: str,
    exported: VisitExport,
    fresh: tuple[Records, Team],
    tmp_path: Path,
) -> None:
    station, crew = fresh
    station.patients.register(
        crew.staff, NewPatient("DD-000999", "Grace", "Hopper", date(1966, 12, 9), "female")
    )
    source = next(f.path for f in exported.files if f.kind == "dermoscopy")
    bad = rewrite(source, tmp_path / "bad.dcm", change)
    with pytest.raises(DicomImportError, match=reason):
        import_still(station, crew.staff, bad, "DD-000777")
    assert image_count(station, crew) == 0


def test_a_file_that_is_not_dicom_is_refused(fresh: tuple[Records, Team], tmp_path: Path) -> None:
    station, crew = fresh
    for name, data in (
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        ("notes.dcm", b"hello " * 40),
        ("empty.dcm", b""),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DicomImportError, match="not a DICOM file"):
            import_still(station, crew.staff, path, "DD-000777")
    assert image_count(station, crew) == 0


def test_the_same_file_twice_is_refused_the_second_time(
    exported: VisitExport, fresh: tuple[Records, Team]
) -> None:
    station, crew = fresh
    source = next(f.path for f in exported.files if f.kind == "dermoscopy")
    first = import_still(station, crew.staff, source, "DD-000777")
    with pytest.raises(DicomImportError, match=f"already filed here, as image {first.image_id}"):
        import_still(station, crew.staff, source, "dd-000777", first.lesion_label)
    assert image_count(station, crew) == 1


def test_implicit_little_endian_and_grey_pictures_are_imported(
    exported: VisitExport, fresh: tuple[Records, Team], tmp_path: Path
) -> None:
    station, crew = fresh
    source = next(f.path for f in exported.files if f.kind == "spectral")

    def grey_implicit(ds: pydicom.Dataset) -> None:
        rgb = np.frombuffer(ds.PixelData, dtype=np.uint8).reshape(ds.Rows, ds.Columns, 3)
        ds.PixelData = rgb[:, :, 1].copy().tobytes()
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        del ds.PlanarConfiguration
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian

    grey = rewrite(source, tmp_path / "grey.dcm", grey_implicit)
    imported = import_still(station, crew.staff, grey, "DD-000777")
    assert imported.lighting_mode == "uv_365"
    record = station.patients.get(crew.staff, "DD-000777")
    stored = decode_picture(station.store.read(record.lesions[0].images[0].relative_path))
    original = pydicom.dcmread(source).pixel_array[:, :, 1]
    assert np.array_equal(stored[:, :, 0], original) and np.array_equal(stored[:, :, 2], original)
    assert ExplicitVRLittleEndian != pydicom.dcmread(grey).file_meta.TransferSyntaxUID


def test_a_file_without_a_body_site_needs_the_lesion_named(
    exported: VisitExport, fresh: tuple[Records, Team], tmp_path: Path
) -> None:
    station, crew = fresh
    source = next(f.path for f in exported.files if f.kind == "overview")
    unsited = rewrite(source, tmp_path / "unsited.dcm", lambda ds: delattr(ds, "AnatomicRegionSequence"))
    with pytest.raises(DicomImportError, match="does not say where on the body"):
        import_still(station, crew.staff, unsited, "DD-000777")
    assert image_count(station, crew) == 0
    first = import_still(
        station, crew.staff, next(f.path for f in exported.files if f.kind == "dermoscopy"), "DD-000777"
    )
    imported = import_still(station, crew.staff, unsited, "DD-000777", first.lesion_label)
    assert imported.lesion_label == first.lesion_label and imported.lighting_mode is None
