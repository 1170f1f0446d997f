"""Stills: lossless, verifiable, numbered without ever replacing one, and nothing partial on failure."""

from __future__ import annotations

import errno
import hashlib
import tempfile
import time
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dermdesk import files
from dermdesk.capture.frames import Frame
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.sidecar import read_sidecar
from dermdesk.capture.stills import StillSaveError, StillWriter, new_session_dir


def _frame(
    index: int = 7, metadata: dict[str, object] | None = None, size: tuple[int, int] = (64, 48)
) -> Frame:
    rng = np.random.default_rng(index)
    image = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    image.setflags(write=False)
    return Frame(image, index, time.monotonic(), "Virtual dermatoscope", metadata or {})


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


def test_session_folder_is_named_by_date_and_time(tmp_path: Path) -> None:
    session = new_session_dir(tmp_path, datetime(2026, 3, 4, 5, 6, 7))
    assert session == tmp_path / "sessions" / "2026-03-04_050607" and session.is_dir()


def test_still_and_sidecar_are_written_and_verifiable(tmp_path: Path) -> None:
    frame = _frame(metadata={"virtual": True, "lighting": "white", "lesion_dx": "mel"})
    saved = StillWriter(tmp_path / "session").save(frame)
    assert saved.path.name == "still-0001.png" and saved.sidecar_path.name == "still-0001.json"
    png = saved.path.read_bytes()
    assert hashlib.sha256(png).hexdigest() == saved.sha256
    decoded = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded is not None and np.array_equal(decoded, frame.image)  # lossless
    sidecar = read_sidecar(saved.path)
    assert sidecar.sha256 == saved.sha256
    assert sidecar.file == "still-0001.png"
    assert (sidecar.width, sidecar.height) == (64, 48)
    assert sidecar.lighting == "white"
    assert sidecar.frame_index == 7
    assert sidecar.source == "Virtual dermatoscope"
    assert sidecar.frame_metadata == {"virtual": True, "lighting": "white", "lesion_dx": "mel"}
    assert sidecar.captured_at.utcoffset() is not None and sidecar.saved_at >= sidecar.captured_at
    assert _leftovers(saved.path.parent) == []


def test_lighting_given_by_the_ui_wins(tmp_path: Path) -> None:
    saved = StillWriter(tmp_path).save(_frame(metadata={"lighting": "white"}), lighting=LightingMode.NB_630)
    assert read_sidecar(saved.sidecar_path).lighting == "nb_630"


def test_numbering_continues_and_never_replaces_a_file(tmp_path: Path) -> None:
    writer = StillWriter(tmp_path)
    assert writer.save(_frame(1)).number == 1
    # Another program (or a second writer) takes names behind this writer's back.
    foreign = tmp_path / "still-0002.png"
    foreign.write_bytes(b"someone else's file")
    (tmp_path / "still-0003.json").write_text("{}")  # an orphan sidecar blocks number 3 too
    assert [writer.save(_frame(i)).number for i in range(2)] == [4, 5]
    assert foreign.read_bytes() == b"someone else's file"
    assert StillWriter(tmp_path).next_number == 6


def _fill_disk_after(monkeypatch: pytest.MonkeyPatch, writes_allowed: int) -> None:
    """Simulate a disk that fills up: the first writes succeed, then one half-writes and fails."""
    real = files._write_all
    calls = {"n": 0}

    def write(fd: int, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > writes_allowed:
            real(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(files, "_write_all", write)


@pytest.mark.parametrize("writes_allowed", [0, 1], ids=["png-fails", "sidecar-fails"])
def test_full_disk_keeps_earlier_stills_and_leaves_nothing_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes_allowed: int
) -> None:
    writer = StillWriter(tmp_path)
    earlier = [writer.save(_frame(i)) for i in range(2)]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    _fill_disk_after(monkeypatch, writes_allowed)
    with pytest.raises(StillSaveError) as caught:
        writer.save(_frame(3))
    assert str(caught.value) == (
        "Could not save the still: the disk is full. Free space and try again; the live view keeps running."
    )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing new, nothing changed
    for still in earlier:
        assert hashlib.sha256(still.path.read_bytes()).hexdigest() == still.sha256

    monkeypatch.undo()  # space freed: the next still takes the next number
    assert writer.save(_frame(4)).number == 3


def test_unusable_folder_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(StillSaveError, match=r"Could not save the still .*the live view keeps running"):
        StillWriter(blocker / "session").save(_frame())
    with pytest.raises(StillSaveError):
        new_session_dir(blocker)


json_values = st.one_of(st.booleans(), st.integers(-(10**6), 10**6), st.text(max_size=20), st.none())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    existing=st.lists(st.integers(1, 30), max_size=4),
    metadata=st.lists(st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=4), max_size=4),
)
def test_numbering_and_sidecar_round_trip(existing: list[int], metadata: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        session = Path(folder)
        for number in existing:
            (session / f"still-{number:04d}.png").write_bytes(b"earlier")
        writer = StillWriter(session)
        start = max(existing, default=0) + 1
        for offset, meta in enumerate(metadata):
            saved = writer.save(_frame(offset, meta, size=(8, 6)))
            assert saved.number == start + offset
            assert read_sidecar(saved.path).frame_metadata == meta
        for number in existing:
            assert (session / f"still-{number:04d}.png").read_bytes() == b"earlier"
        assert _leftovers(session) == []
