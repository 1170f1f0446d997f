"""The gettext catalogues of the core (issue 27): Korean in effect, English when a catalogue is missing or
damaged or a language unknown (each logged once), the system's language, and a complete catalogue."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from dermdesk.i18n import (
    SUPPORTED_LANGUAGES,
    current_language,
    gettext,
    ngettext,
    set_language,
    system_language,
    translations,
)
from dermdesk.i18n.catalogues import DOMAIN, LOCALE_DIR, Catalogues

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "ko" / "LC_MESSAGES" / f"{DOMAIN}.po"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
SAMPLE = "Dermatology visit report"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    set_language("en")


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_korean_in_effect_and_english_back(caplog: pytest.LogCaptureFixture) -> None:
    assert SUPPORTED_LANGUAGES == ("en", "ko")
    assert set_language("ko") == "ko" and current_language() == "ko"
    assert gettext(SAMPLE) == "피부과 진료 보고서"
    assert ngettext("one picture", "{n} pictures", 2) == "{n} pictures"  # no plural message yet: English
    assert translations("en").gettext(SAMPLE) == SAMPLE  # a report in English while the screen is Korean
    assert set_language("en") == "en" and gettext(SAMPLE) == SAMPLE
    assert not _warnings(caplog)


def test_an_unknown_language_is_english_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    assert set_language("xx") == "en"
    assert set_language("xx") == "en"
    assert translations("xx").gettext(SAMPLE) == SAMPLE
    assert gettext(SAMPLE) == SAMPLE
    warned = [m for m in _warnings(caplog) if "'xx'" in m]
    assert len(warned) == 1 and "English" in warned[0]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("ko_KR.UTF-8", "ko"), ("ko", "ko"), ("de_DE.UTF-8", "en"), ("en_US.UTF-8", "en"), ("C", "en")],
)
def test_the_systems_language(monkeypatch: pytest.MonkeyPatch, setting: str, expected: str) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", setting)
    assert system_language() == expected
    assert set_language("system") == expected


def test_a_missing_catalogue_is_english_logged_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    catalogues = Catalogues(tmp_path)
    assert catalogues.translations("ko").gettext(SAMPLE) == SAMPLE
    assert catalogues.translations("ko").gettext(SAMPLE) == SAMPLE
    warned = _warnings(caplog)
    assert len(warned) == 1 and "missing" in warned[0] and "English is shown" in warned[0]


@pytest.mark.parametrize(
    "damage",
    [b"not a catalogue at all", b"\xde\x12\x04\x95" + b"\x00" * 3, b""],
    ids=["garbage", "truncated", "empty"],
)
def test_a_damaged_catalogue_is_english_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: bytes
) -> None:
    folder = tmp_path / "ko" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / f"{DOMAIN}.mo").write_bytes(damage)
    catalogues = Catalogues(tmp_path)
    assert catalogues.translations("ko").gettext(SAMPLE) == SAMPLE
    assert catalogues.translations("ko").gettext(SAMPLE) == SAMPLE
    warned = _warnings(caplog)
    assert len(warned) == 1 and "cannot be read" in warned[0]


@pytest.mark.parametrize(
    "damage", [b'msgid "a"\n', b'msgid "a"\nmsgstr "\xc3\x28"\n'], ids=["cut", "not-utf8"]
)
def test_a_damaged_source_catalogue_is_english(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: bytes
) -> None:
    folder = tmp_path / "ko" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / f"{DOMAIN}.po").write_bytes(damage)
    assert Catalogues(tmp_path).translations("ko").gettext("a") == "a"
    assert len(_warnings(caplog)) == 1


def test_a_checkout_without_the_compiled_catalogue_reads_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "ko" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / f"{DOMAIN}.po").write_bytes(PO.read_bytes())
    assert Catalogues(tmp_path).translations("ko").gettext(SAMPLE) == "피부과 진료 보고서"


def test_the_korean_catalogue_is_complete() -> None:
    """Every message marked in the sources is in the template and translated in the .po, none fuzzy."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    in_sources = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)
    }
    with POT.open("rb") as template:
        in_template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(template) if m.id}
    assert in_sources - in_template == set(), "run `make gettext-extract` and translate the new messages"
    with PO.open("rb") as source:
        catalogue = read_po(source, locale="ko")
    messages = [m for m in catalogue if m.id]
    in_po = {m.id if isinstance(m.id, str) else m.id[0] for m in messages}
    assert in_template - in_po == set(), "run `make gettext-extract`"
    untranslated = [m.id for m in messages if not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [] and fuzzy == []
    for m in messages:  # every {placeholder} of the English is in the Korean
        if isinstance(m.id, str) and isinstance(m.string, str):
            assert sorted(_fields(m.id)) == sorted(_fields(m.string)), m.id


def _fields(text: str) -> list[str]:
    import string

    braces = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    return braces + re.findall(r"%\((\w+)\)[sd]", text)  # the web pages' %(name)s (Jinja2's newstyle)


def test_no_message_is_hidden_from_extraction_inside_an_f_string() -> None:
    """Babel's extractor does not look inside f-strings: a `_("…")` there would never be translated."""
    import ast

    hidden = []
    for path in sorted((ROOT / "dermdesk").rglob("*.py")):
        if "ui" in path.relative_to(ROOT / "dermdesk").parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in ("_", "gettext", "ngettext", "N_")
                        and inner.args
                        and isinstance(inner.args[0], ast.Constant)  # a variable is marked where it is set
                    ):
                        hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert hidden == []
