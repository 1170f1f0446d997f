"""A lesion's place on the body as DICOM codes: SNOMED CT region, laterality and front/back, and back.

Why from the body map: staff place a lesion by clicking the station's body map, which stores x, y and
the view; the ISIC site (eight coarse values) is all there is for lesions filed without a position.
The map's outlines (the same numbers in `dermdesk.reports.body_figure` and `dermdesk/ui/body_map.py`)
name the part under the point: head, neck, trunk, upper arm, forearm, hand, thigh, lower leg, foot,
the limbs on the patient's right or left. Each part maps to a code from pydicom's `codes.SCT` (the
SNOMED CT concepts DICOM's CID 4031 and 4028 use), never a code typed from memory; the side becomes the
laterality (Right/Left) and the view an Anterior/Posterior region modifier, so import can recover the
ISIC site (a palm is a hand seen from the front, a sole a foot seen from the back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

from dermdesk.records.vocabulary import AnatomSite
from dermdesk.reports.body_figure import CENTRE_PARTS, SIDE_PARTS, UNIT_H, UNIT_W

SCT = codes.SCT

_CENTRE_NAMES = ("head", "neck", "trunk")
_SIDE_NAMES = ("upper arm", "forearm", "hand", "thigh", "lower leg", "foot")
_PART_CODES: dict[str, Code] = {
    "head": SCT.Head,
    "neck": SCT.Neck,
    "chest": SCT.Chest,
    "abdomen": SCT.Abdomen,
    "back": SCT.Back,
    "upper arm": SCT.UpperArm,
    "forearm": SCT.Forearm,
    "hand": SCT.Hand,
    "thigh": SCT.Thigh,
    "lower leg": SCT.LowerLeg,
    "foot": SCT.Foot,
}
_SITE_CODES: dict[AnatomSite, Code] = {
    AnatomSite.HEAD_NECK: SCT.HeadAndNeck,
    AnatomSite.ANTERIOR_TORSO: SCT.Trunk,
    AnatomSite.POSTERIOR_TORSO: SCT.Back,
    AnatomSite.LATERAL_TORSO: SCT.Flank,
    AnatomSite.UPPER_EXTREMITY: SCT.UpperLimb,
    AnatomSite.LOWER_EXTREMITY: SCT.LowerLimb,
    AnatomSite.ORAL_GENITAL: SCT.Perineum,
    AnatomSite.PALMS_SOLES: SCT.Skin,
}
_WAIST_Y = 70.0  # the trunk outline's waist, in map units: chest above, abdomen below (front)


@dataclass(frozen=True)
class BodySite:
    """Where a lesion is, as DICOM codes: the region, its laterality (None: midline/unknown) and the
    view of the body map it was placed on (None: no map position)."""

    region: Code
    laterality: str | None  # "R" or "L"
    view: str | None  # "front" or "back"

    @property
    def words(self) -> str:
        """A description such as "right forearm", for a lesion created by an import."""
        side = {"R": "right ", "L": "left "}.get(self.laterality or "", "")
        return f"{side}{self.region.meaning.lower()}"


def _inside_polygon(x: float, y: float, values: tuple[float, ...]) -> bool:
    points = list(zip(values[0::2], values[1::2], strict=True))
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _inside(kind: str, values: tuple[float, ...], x: float, y: float) -> bool:
    if kind == "ellipse":
        cx, cy, rx, ry = values
        return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0
    return _inside_polygon(x, y, values)


def part_at(x: float, y: float) -> tuple[str, bool] | None:
    """The body-map part under a point in 0..1 figure coordinates, and whether it is sided."""
    ux, uy = x * UNIT_W, y * UNIT_H
    for name, (kind, values) in zip(_CENTRE_NAMES, CENTRE_PARTS, strict=True):
        if _inside(kind, values, ux, uy):
            return name, False
    for name, (kind, values) in zip(_SIDE_NAMES, SIDE_PARTS, strict=True):
        mirrored = UNIT_W - ux  # the outlines are the figure's right-of-picture limbs only
        if _inside(kind, values, ux, uy) or _inside(kind, values, mirrored, uy):
            return name, True
    return None


def body_site(
    site: str, detail: str | None, map_x: float | None, map_y: float | None, map_view: str | None
) -> BodySite:
    """The lesion's region from its body-map point when it is on a part of the map that agrees with the
    lesion's ISIC site, else from its site description ("right forearm (back)", as the map suggests
    it), else from the ISIC site alone. The ISIC site is what staff confirmed, so it always holds."""
    if map_x is not None and map_y is not None and map_view in ("front", "back"):
        found = part_at(map_x, map_y)
        if found is not None:
            name, sided = found
            if name == "trunk":
                name = "back" if map_view == "back" else "chest" if map_y * UNIT_H < _WAIST_Y else "abdomen"
            laterality = None
            if sided:
                left_of_picture = map_x < 0.5
                patients_right = left_of_picture if map_view == "front" else not left_of_picture
                laterality = "R" if patients_right else "L"
            if isic_site(_PART_CODES[name], map_view) is AnatomSite(site):
                return BodySite(_PART_CODES[name], laterality, map_view)
            # staff corrected the site the map suggested: their site and description win
    return _from_words(site, detail or "", map_view)


def _from_words(site: str, detail: str, map_view: str | None) -> BodySite:
    marked = _VIEW_MARK.search(detail.lower())  # the map's description ends in "(front)" or "(back)"
    words = re.findall(r"[a-z]+", _VIEW_MARK.sub(" ", detail.lower()))
    text = " ".join(words)
    part = next((name for name in _PART_CODES if re.search(rf"\b{name}\b", text)), None)
    laterality = "R" if "right" in words else "L" if "left" in words else None
    view = map_view or (marked.group(1) if marked else None)
    region = _PART_CODES[part] if part else _SITE_CODES[AnatomSite(site)]
    if part is not None and isic_site(region, view) is not AnatomSite(site):
        region = _SITE_CODES[AnatomSite(site)]  # the words disagree with the site staff chose
    return BodySite(region, laterality, view)


_VIEW_MARK = re.compile(r"\((front|back)\)")


def isic_site(region: Code, view: str | None) -> AnatomSite:
    """The ISIC site of a coded region (for a lesion created by an import)."""
    value = region.value
    if value in (SCT.Hand.value,):
        return AnatomSite.PALMS_SOLES if view == "front" else AnatomSite.UPPER_EXTREMITY
    if value in (SCT.Foot.value,):
        return AnatomSite.PALMS_SOLES if view == "back" else AnatomSite.LOWER_EXTREMITY
    by_code = {
        SCT.Head.value: AnatomSite.HEAD_NECK,
        SCT.Neck.value: AnatomSite.HEAD_NECK,
        SCT.Face.value: AnatomSite.HEAD_NECK,
        SCT.Scalp.value: AnatomSite.HEAD_NECK,
        SCT.Chest.value: AnatomSite.ANTERIOR_TORSO,
        SCT.Abdomen.value: AnatomSite.ANTERIOR_TORSO,
        SCT.UpperArm.value: AnatomSite.UPPER_EXTREMITY,
        SCT.Forearm.value: AnatomSite.UPPER_EXTREMITY,
        SCT.Thigh.value: AnatomSite.LOWER_EXTREMITY,
        SCT.LowerLeg.value: AnatomSite.LOWER_EXTREMITY,
        SCT.Mouth.value: AnatomSite.ORAL_GENITAL,
        SCT.Lip.value: AnatomSite.ORAL_GENITAL,
        **{code.value: site for site, code in _SITE_CODES.items()},
    }
    found = by_code.get(value)
    if found is None:
        raise KeyError(value)
    return found


def view_of_modifier(modifier: Code | None) -> str | None:
    if modifier is None:
        return None
    return {SCT.Anterior.value: "front", SCT.Posterior.value: "back"}.get(modifier.value)


def modifier_of_view(view: str | None) -> Code | None:
    return {"front": SCT.Anterior, "back": SCT.Posterior}.get(view or "")
