"""The clinical glossary (issue 27): every entry complete and pending review, every clinical value the
station prints has a term, and the diagnoses' names come from it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dermdesk.capture.lighting import LightingMode
from dermdesk.i18n import set_language
from dermdesk.i18n.glossary import GLOSSARY_FILE, GlossaryError, glossary, key_for, load_glossary, term
from dermdesk.inference.classes import CLASS_CODES, DISPLAY_NAMES, display_name
from dermdesk.inference.manifest import ModelManifest
from dermdesk.records.vocabulary import AnatomSite, Confirmation, LesionStatus, Management, Sex, Urgency
from dermdesk.resources import resource_path


def _leaves(table: dict[str, object], prefix: str = "") -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for name, value in table.items():
        assert isinstance(value, dict)
        if "en" in value:
            out[prefix + name] = value
        else:
            out.update(_leaves(value, f"{prefix}{name}."))
    return out


def test_every_entry_has_english_korean_a_source_and_pending_review() -> None:
    raw = _leaves(tomllib.loads(GLOSSARY_FILE.read_text(encoding="utf-8")))
    assert len(raw) >= 60
    for key, entry in raw.items():
        for field in ("en", "ko", "source"):
            assert isinstance(entry.get(field), str) and entry[field].strip(), f"{key} lacks {field}"
        assert entry.get("review") == "pending", f"{key}: no Korean dermatologist has signed it off yet"
        assert any("\uac00" <= c <= "\ud7a3" for c in str(entry["ko"])), f"{key}: ko is not Korean"


def test_every_clinical_value_the_station_prints_has_a_term() -> None:
    wanted = [f"diagnosis.{code}" for code in CLASS_CODES]
    wanted += [f"light.{mode.value}" for mode in LightingMode]
    wanted += [key_for("body_site", site.value) for site in AnatomSite]
    wanted += [key_for("management", m.value) for m in Management]
    wanted += [key_for("lesion_status", s.value) for s in LesionStatus]
    wanted += [key_for("confirmation", c.value) for c in Confirmation]
    wanted += [key_for("sex", s.value) for s in Sex]
    wanted += [key_for("urgency", u.value) for u in Urgency]
    wanted += ["triage.indeterminate", "guidance.cancer", "guidance.uncertain", "guidance.routine"]
    wanted += ["body_site.sole", "light.white_cross_polarised"]
    for manifest in sorted(resource_path("models").glob("*/manifest.json")):
        model = ModelManifest.model_validate_json(manifest.read_text(encoding="utf-8"))
        wanted += [key_for("triage", group.code) for group in model.groups]
    missing = [key for key in wanted if key not in glossary()]
    assert missing == []


def test_diagnosis_names_come_from_the_glossary() -> None:
    assert {code: term(f"diagnosis.{code}", "en") for code in CLASS_CODES} == DISPLAY_NAMES
    assert display_name("mel", "ko") == "흑색종" and display_name("mel", "en") == "Melanoma"
    assert display_name("xyz", "ko") == "xyz"
    assert term("body_site.sole", "ko") == "발바닥"
    try:
        set_language("ko")
        assert term("diagnosis.bcc") == "기저세포암"
        assert LightingMode.WHITE_POLARISED.label == "백색광, 교차 편광"
    finally:
        set_language("en")
    assert LightingMode.WHITE_POLARISED.label == "White light, cross-polarised"
    assert term("diagnosis.mel", "fr") == "Melanoma"  # an unknown language: English


def test_an_unknown_key_or_incomplete_glossary_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match=r"no entry 'diagnosis\.zzz'"):
        term("diagnosis.zzz", "ko")
    broken = tmp_path / "glossary.toml"
    broken.write_text(
        '[diagnosis.mel]\nen = "Melanoma"\nsource = "x"\nreview = "pending"\n', encoding="utf-8"
    )
    with pytest.raises(GlossaryError, match=r"diagnosis\.mel .*\(ko: Field required\)"):
        load_glossary(broken)
    broken.write_text("[diagnosis.mel\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="cannot be read"):
        load_glossary(broken)


def test_both_catalogues_call_the_dermatoscope_by_the_glossarys_term() -> None:
    """Issue 27: the core's catalogue said 더모스코프 where the window's said 더마토스코프; the glossary's
    `device.dermatoscope` decides, and every Korean mention of the instrument in either catalogue uses it."""
    word = term("device.dermatoscope", "ko")
    assert term("device.dermatoscope", "en") == "dermatoscope" and word == "더마토스코프"
    po = Path(__file__).resolve().parents[2] / "dermdesk" / "locale" / "ko" / "LC_MESSAGES" / "dermdesk.po"
    for catalogue in (po, resource_path("translations", "dermdesk_ko.ts")):
        text = catalogue.read_text(encoding="utf-8")
        assert "더모스코프" not in text and "피부확대경" not in text, catalogue.name
        assert word in text, catalogue.name
