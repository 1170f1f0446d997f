"""Body-map positions and ISIC sites as SNOMED CT codes (from pydicom's `codes`) and back."""

from __future__ import annotations

import pytest
from pydicom.sr.codedict import codes

from dermdesk.interop.anatomy import body_site, isic_site, part_at
from dermdesk.records import AnatomSite

SCT = codes.SCT


@pytest.mark.parametrize(
    ("x", "y", "view", "region", "laterality"),
    [
        (0.5, 0.06, "front", SCT.Head, None),
        (0.13, 98 / 220, "front", SCT.Forearm, "R"),  # left of the picture, facing us: patient's right
        (0.13, 98 / 220, "back", SCT.Forearm, "L"),
        (0.87, 98 / 220, "front", SCT.Forearm, "L"),
        (0.5, 0.2, "front", SCT.Chest, None),
        (0.5, 0.42, "front", SCT.Abdomen, None),
        (0.5, 0.3, "back", SCT.Back, None),
        (0.41, 0.84, "front", SCT.LowerLeg, "R"),
    ],
)
def test_a_body_map_point_gives_the_part_and_the_side(
    x: float, y: float, view: str, region: object, laterality: str | None
) -> None:
    found = part_at(x, y)
    assert found is not None
    site = isic_site(region, view)  # type: ignore[arg-type]
    coded = body_site(site.value, None, x, y, view)
    assert (coded.region, coded.laterality, coded.view) == (region, laterality, view)


def test_the_site_staff_chose_wins_over_the_map_and_the_words() -> None:
    # the map point is on the forearm, but staff filed the lesion under head/neck
    coded = body_site("head/neck", "left cheek", 0.13, 98 / 220, "front")
    assert coded.region == SCT.HeadAndNeck and coded.laterality == "L"


def test_without_a_position_the_description_or_the_isic_site_is_coded() -> None:
    assert body_site("upper extremity", "right forearm (back)", None, None, None).region == SCT.Forearm
    assert body_site("upper extremity", "right forearm (back)", None, None, None).view == "back"
    for site in AnatomSite:
        coded = body_site(site.value, None, None, None, None)
        assert coded.region.scheme_designator == "SCT" and coded.laterality is None
        assert isic_site(coded.region, None) is site  # the eight sites come back unchanged


def test_palms_and_soles_follow_the_side_of_the_body_map() -> None:
    assert isic_site(SCT.Hand, "front") is AnatomSite.PALMS_SOLES
    assert isic_site(SCT.Hand, "back") is AnatomSite.UPPER_EXTREMITY
    assert isic_site(SCT.Foot, "back") is AnatomSite.PALMS_SOLES
    assert isic_site(SCT.Foot, "front") is AnatomSite.LOWER_EXTREMITY


def test_the_parts_are_those_of_the_station_body_map() -> None:
    from dermdesk.ui.records import body_map

    on_body = missed = 0
    for i in range(0, 101, 2):
        for j in range(0, 221, 2):
            x, y = i / 100, j / 220
            ours, theirs = part_at(x, y), body_map.part_at(x, y)
            if theirs is None:
                continue
            on_body += 1
            if ours is None:
                missed += 1  # Qt draws the ellipses as polygons: a border point may differ by a hair
            else:
                assert ours == (theirs.name, theirs.sided), (x, y)
    assert on_body > 1000 and missed <= on_body // 50
