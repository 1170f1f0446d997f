"""Record numbers, body sites and other vocabularies: accepted forms and refusals (no database)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dermdesk.records import AnatomSite, RecordValidationError
from dermdesk.records.vocabulary import normalise_record_number, parse_site

GROUP = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6
)
VALID = st.lists(GROUP, min_size=1, max_size=4).map("-".join).filter(lambda s: 3 <= len(s) <= 20)
VALID_SHAPE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")


@settings(max_examples=150, deadline=None)
@given(number=VALID, padding=st.sampled_from(["", " ", "\t", "  "]))
def test_well_formed_record_numbers_are_accepted_in_canonical_form(number: str, padding: str) -> None:
    canonical = normalise_record_number(padding + number + padding)
    assert canonical == number.upper()
    assert normalise_record_number(canonical) == canonical  # idempotent: one spelling per patient


@settings(max_examples=150, deadline=None)
@given(raw=st.text(max_size=30))
def test_any_accepted_text_has_the_documented_shape(raw: str) -> None:
    try:
        canonical = normalise_record_number(raw)
    except RecordValidationError as exc:
        assert "is not valid" in str(exc)
        return
    assert VALID_SHAPE.match(canonical) and 3 <= len(canonical) <= 20


@settings(max_examples=100, deadline=None)
@given(
    number=VALID,
    bad=st.sampled_from(["--", "-", " ", "/", "_", ".", "é", "\n"]),
    where=st.sampled_from(["start", "middle", "end"]),
)
def test_malformed_record_numbers_are_refused(number: str, bad: str, where: str) -> None:
    raw = {"start": bad + number, "middle": number[:1] + bad + number[1:], "end": number + bad}[where]
    if bad.strip() == "" and where != "middle":
        return  # surrounding whitespace is trimmed on purpose
    if bad == "-" and where == "middle" and "--" not in raw and len(raw) <= 20:
        assert normalise_record_number(raw) == raw.upper()  # a single hyphen between groups is the format
        return
    with pytest.raises(RecordValidationError, match="is not valid"):
        normalise_record_number(raw)


@pytest.mark.parametrize("raw", ["", "AB", "A" * 21, "DD 0001", "DD_0001"])
def test_record_number_length_and_separator_rules(raw: str) -> None:
    with pytest.raises(RecordValidationError):
        normalise_record_number(raw)


@pytest.mark.parametrize(
    ("raw", "site"),
    [
        ("head/neck", AnatomSite.HEAD_NECK),
        ("head_neck", AnatomSite.HEAD_NECK),
        ("Lower-Extremity", AnatomSite.LOWER_EXTREMITY),
        ("palms soles", AnatomSite.PALMS_SOLES),
        ("posterior torso", AnatomSite.POSTERIOR_TORSO),
    ],
)
def test_body_sites_accept_isic_values_and_command_line_spellings(raw: str, site: AnatomSite) -> None:
    assert parse_site(raw) is site


def test_an_unknown_body_site_lists_the_choices() -> None:
    with pytest.raises(
        RecordValidationError, match=r"Unknown body site 'elbow'; choose one of: anterior torso"
    ):
        parse_site("elbow")
