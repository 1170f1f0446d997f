"""The `dermdesk` command in Korean (issue 27): result lines, errors, prompts' neighbours and every
`--help` page speak the station's language, chosen by the settings (`DERMDESK_LANGUAGE` overrides)."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator

import pytest

from dermdesk.cli import build_parser, main
from dermdesk.consults.desk import HISTORY_FIELDS
from dermdesk.i18n import set_language
from dermdesk.settings import DermDeskSettings, load_settings

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ADMIN_PW, DOCTOR_PW = "admin password 1", "doctor password"


@pytest.fixture
def settings(station_dirs: object) -> DermDeskSettings:
    """A SQLite station in the test's own folders (the records suite runs PostgreSQL too)."""
    return load_settings().settings


@pytest.fixture
def korean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DERMDESK_LANGUAGE", "ko")
    yield
    set_language("en")


def run(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> tuple[str, str]:
    """Run `dermdesk ARGV`, check its exit code (argparse's own refusals exit 2), return out and err."""
    capsys.readouterr()
    try:
        returned = main(list(argv))
    except SystemExit as exited:
        returned = int(exited.code or 0)
    captured = capsys.readouterr()
    assert returned == code, captured.err
    return captured.out, captured.err


def test_records_commands_answer_in_korean(
    settings: DermDeskSettings,
    korean: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DERMDESK_NEW_PASSWORD", ADMIN_PW)
    out, _ = run(capsys, "users", "add", "boss", "--role", "staff", "--name", "IT", code=1)
    assert "dermdesk: 오류: 첫 계정은 관리자여야 합니다 (--role admin)" in _
    out, _ = run(capsys, "users", "add", "boss", "--role", "admin", "--name", "IT")
    assert "관리자 boss를 만들었습니다." in out
    monkeypatch.setenv("DERMDESK_USER", "boss")
    monkeypatch.setenv("DERMDESK_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("DERMDESK_NEW_PASSWORD", DOCTOR_PW)
    out, _ = run(capsys, "users", "add", "dora", "--role", "doctor", "--name", "Dora")
    assert "계정 dora(doctor)를 만들었습니다." in out
    out, _ = run(capsys, "users", "list")
    assert "활성" in out and "dora" in out
    out, _ = run(capsys, "users", "list", "--json")  # JSON keys and values stay as programs expect
    assert {row["username"] for row in json.loads(out)} == {"boss", "dora"}

    monkeypatch.setenv("DERMDESK_USER", "dora")
    monkeypatch.setenv("DERMDESK_PASSWORD", DOCTOR_PW)
    add = ["patients", "add", "KR-7", "--given", "서연", "--family", "이", "--born", "1990-01-02"]
    run(capsys, *add, "--sex", "female")
    out, _ = run(capsys, "patients", "show", "KR-7")
    assert "이서연" in out and "생년월일 1990-01-02" in out and "여성" in out
    assert "연구 동의: 아니요" in out and "방문: 없음" in out

    _, err = run(
        capsys,
        "patients",
        "add",
        "KR-8",
        "--given",
        "A",
        "--family",
        "B",
        "--born",
        "1990-13-45",
        "--sex",
        "male",
        code=2,
    )
    assert "1990-13-45" in err and "1971-05-17 같은 날짜가 아닙니다" in err and "사용법:" in err

    monkeypatch.setenv("DERMDESK_PASSWORD", "not the password")
    _, err = run(capsys, "patients", "show", "KR-7", code=1)
    assert err.strip() == "dermdesk: 오류: 사용자 이름 또는 비밀번호가 틀렸습니다."


def test_command_line_mistakes_and_own_refusals_in_korean(
    settings: DermDeskSettings, korean: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _, err = run(capsys, "report", "--patient", "X", code=2)
    assert "다음 인수가 필요합니다: --visit, --out" in err and err.startswith("사용법: dermdesk report")
    _, err = run(capsys, "bench", "no-such-benchmark", code=1)
    assert err.startswith("dermdesk: 오류: 알 수 없는 벤치마크 'no-such-benchmark'")
    missing = settings.data_dir / "nothing-here"
    _, err = run(capsys, "evaluate", str(missing), "--labels", "labels.csv", code=1)
    assert err.strip() == f"dermdesk: 오류: {missing}: 이미지 폴더가 아닙니다"


def test_help_is_korean_for_the_station_language(
    settings: DermDeskSettings, korean: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    top = capsys.readouterr().out
    assert top.startswith("사용법: dermdesk") and "DermDesk 촬영 스테이션" in top and "옵션:" in top
    for argv, expected in (
        (["patients", "--help"], "환자를 등록합니다"),
        (["report", "--help"], "PDF를 쓸 곳"),
        (["dicom", "send", "--help"], "발신함"),
    ):
        with pytest.raises(SystemExit):
            main(argv)
        page = capsys.readouterr().out
        assert "이 도움말을 보여 주고 끝냅니다" in page, argv
        assert expected in page or expected in top, (argv, page)


# What may stay Latin on a Korean help page: option and command names, metavars, codes and values people
# type (diagnosis codes, confirmation types, sources), formats and product names.
ALLOWED = {
    "dermdesk",
    "DermDesk",
    "usage",
    "json",
    "JSON",
    "PDF",
    "DICOM",
    "FHIR",
    "PACS",
    "EHR",
    "ISIC",
    "CSV",
    "AUC",
    "ECE",
    "TTA",
    "WebM",
    "Bundle",
    "STOW",
    "RS",
    "sha256",
    "Qt",
    "ACTION",
    "COMMAND",
    "NAME",
    "akiec",
    "bcc",
    "bkl",
    "df",
    "mel",
    "nv",
    "vasc",
    "histopathology",
    "follow",
    "up",
    "consensus",
    "clinical",
    "teledermatology",
    "staff",
    "doctor",
    "admin",
    "female",
    "male",
    "other",
    "unknown",
    "virtual",
    "camera",
    "file",
    "latest",
    "routine",
    "soon",
    "urgent",
    "front",
    "back",
    "white_polarised",
    "head",
    "neck",
    "upper",
    "extremity",
    "image_id",
    "dx",
    "lesion_id",
    *HISTORY_FIELDS,  # the consult's history facts, as `--history` takes them
    "yes",
    "no",
    "python",
    "dist",
    "make",
    "en",
    "ko",
    "report_language",
    "DERMDESK_DATA_DIR",
    "Dr",
    "Smith",
    "Jane",
    "Berg",
    "City",
    "Skin",
    "Clinic",
    "left",
    "cheek",
    "e.g",
    "dcm",
    "pdf",
    "x",
    "y",
    "N",
}


def _pages(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every help page: the command's and each subcommand's and action's, by its command line."""
    yield " ".join(path), parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _pages(sub, (*path, name))


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    names: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                names |= {part for part in re.split(r"[^A-Za-z]+", name) if part} | _command_names(sub)
    return names


def _leftover_english(page: str) -> list[str]:
    text = re.sub(r"(?<![\w])--?[\w-]+", " ", page)  # option names
    text = re.sub(r"\{[^}]*\}", " ", text)  # choices
    text = re.sub(r"\b[A-Z][A-Z0-9_.=\-]*\b", " ", text)  # metavars: REC, FILE.pdf, YYYY-MM-DD, K=V
    text = re.sub(r"[\w./-]*/[\w./-]*", " ", text)  # paths and slashed values (head/neck, dist/dermdesk)
    words = re.findall(r"[A-Za-z][A-Za-z_]*", text)
    return [word for word in words if word not in ALLOWED and not word.startswith("bench")]


def test_no_untranslated_english_on_any_help_page() -> None:
    try:
        set_language("ko")
        parser = build_parser()
        pages = dict(_pages(parser, ("dermdesk",)))
    finally:
        set_language("en")
    assert len(pages) > 40  # every subcommand and every action of one
    from dermdesk.benchmarks import BENCHMARKS

    benchmark_names = set(BENCHMARKS) | _command_names(parser)
    leftovers = {
        where: [w for w in _leftover_english(page) if w not in benchmark_names]
        for where, page in pages.items()
    }
    assert {where: words for where, words in leftovers.items() if words} == {}


def test_english_help_stays_english() -> None:
    set_language("en")
    page = build_parser().format_help()
    assert page.startswith("usage: dermdesk") and "options:" in page and "show this help message" in page
