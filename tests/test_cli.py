"""The `dermdesk` command: dispatch, help, exit codes, JSON output, and Qt only when needed."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

import dermdesk.ui.shell.app
from dermdesk.benchmarks import BENCHMARKS
from dermdesk.cli import build_parser, main
from dermdesk.commands import COMMAND_MODULES
from dermdesk.settings import CameraSource
from dermdesk.source_spec import SourceSpec


@pytest.fixture
def fake_gui(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, SourceSpec]]:
    """Replaces the window with a recorder: (context, source) of each start."""
    calls: list[tuple[object, SourceSpec]] = []

    def run_gui(ctx: object, source: SourceSpec, *, quit_after_shown: bool = False) -> int:
        calls.append((ctx, source))
        return 0

    monkeypatch.setattr(dermdesk.ui.shell.app, "run_gui", run_gui)
    return calls


def test_no_arguments_starts_the_gui_on_the_remembered_source(fake_gui) -> None:
    assert main([]) == 0
    assert len(fake_gui) == 1
    assert fake_gui[0][1] == SourceSpec(CameraSource.VIRTUAL)


def test_global_data_dir_reaches_the_gui_and_the_log(fake_gui, tmp_path: Path) -> None:
    assert main(["--data-dir", str(tmp_path / "clinic"), "gui", "--source", "camera:2"]) == 0
    ctx, source = fake_gui[0]
    assert ctx.settings.data_dir == tmp_path / "clinic"  # type: ignore[attr-defined]
    assert source == SourceSpec(CameraSource.CAMERA, index=2)
    assert (tmp_path / "clinic" / "logs" / "dermdesk.log").is_file()


def test_bench_help_lists_every_registered_benchmark(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in BENCHMARKS)


def test_a_bad_source_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["gui", "--source", "webcam"])
    assert exit_info.value.code == 2
    assert "use virtual, camera:N" in capsys.readouterr().err


def test_an_unknown_benchmark_fails_with_one_line(capsys) -> None:
    assert main(["bench", "nonsense"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "dermdesk: error: unknown benchmark 'nonsense'; "
        "choose from capture, consistency, idle, inference, report, startup"
    ]


def test_a_pending_benchmark_says_so_in_json_and_exits_non_zero(capsys, monkeypatch) -> None:
    monkeypatch.setitem(BENCHMARKS, "pending", None)
    assert main(["bench", "pending", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"pending": {"status": "not yet available"}}
    assert captured.err.strip() == "dermdesk: error: the pending benchmark is not yet available"


def test_an_unwritable_data_folder_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["--data-dir", str(blocker), "bench", "report"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("dermdesk: error: cannot prepare the data folder")


def test_subcommands_come_from_one_module_each() -> None:
    assert {"dermdesk.commands.gui", "dermdesk.commands.bench"} <= set(COMMAND_MODULES)
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(subparsers.choices) == sorted(name.rsplit(".", 1)[1] for name in COMMAND_MODULES)


def test_the_cli_imports_qt_only_when_the_window_starts(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from dermdesk.benchmarks import BENCHMARKS\n"
        "from dermdesk.cli import main\n"
        "BENCHMARKS['pending'] = None\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'bench', 'pending', '--json'])\n"
        "assert 'PySide6' not in sys.modules, 'PySide6 was imported'\n"
        "print('no qt')\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert completed.stdout.strip().endswith("no qt"), completed.stderr


@pytest.mark.slow  # a benchmark run: `make test`, not the quick lane
def test_bench_startup_launches_the_real_window_and_reports_json(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path), "bench", "startup", "--seconds", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["startup"]
    assert report["runs"] == 1
    assert report["median_process_to_shown_s"] > 0
