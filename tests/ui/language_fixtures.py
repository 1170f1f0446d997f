"""Shared by the language tests: the Korean translations compiled fresh from the committed .ts, and the
window switched into Korean (and back to English afterwards, so other tests see English)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dermdesk.resources import resource_path
from dermdesk.ui.shell import language

TS_FILE = resource_path("translations", "dermdesk_ko.ts")
LRELEASE = Path(sys.executable).with_name("pyside6-lrelease")


def lrelease(ts: Path, qm: Path) -> str:
    """Run pyside6-lrelease as `make qt-translations` does; its report (stdout and stderr)."""
    done = subprocess.run([str(LRELEASE), str(ts), "-qm", str(qm)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture
def compiled_translations(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A translations folder with the committed .ts and the .qm lrelease makes of it, in use."""
    folder = tmp_path / "translations"
    folder.mkdir()
    shutil.copy(TS_FILE, folder / TS_FILE.name)
    lrelease(folder / TS_FILE.name, folder / "dermdesk_ko.qm")
    monkeypatch.setattr(language, "translations_dir", lambda: folder)
    language.catalogue.cache_clear()
    yield folder
    language.ui_language().apply("en", switch_open_screens=True)
    language.catalogue.cache_clear()


@pytest.fixture
def korean(compiled_translations: Path) -> str:
    """The window in Korean, as when the settings say `language = "ko"`."""
    applied = language.ui_language().apply("ko", switch_open_screens=True)
    assert applied == "ko"
    return applied
