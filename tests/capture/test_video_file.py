"""Playing recorded clips as a source, and the readable errors for files that cannot play."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from dermdesk.capture.frames import CameraError, SourceEndedError
from dermdesk.capture.video_file import VideoFileSource

from .conftest import CLIP_FPS, CLIP_FRAMES, CLIP_SIZE, write_clip


def _play(source: VideoFileSource, limit: int = 1000) -> tuple[list[np.ndarray], CameraError | None]:
    frames: list[np.ndarray] = []
    try:
        source.open()
        while len(frames) < limit:
            frames.append(source.read())
    except CameraError as exc:
        return frames, exc
    finally:
        source.close()
    return frames, None


def test_plays_every_frame_at_the_clip_rate_then_ends(clip: Path) -> None:
    source = VideoFileSource(clip)
    frames, error = _play(source)
    assert source.fps == pytest.approx(CLIP_FPS)
    assert len(frames) == CLIP_FRAMES
    assert frames[0].shape == (CLIP_SIZE[1], CLIP_SIZE[0], 3)
    assert [round(float(f.mean()) / 10) for f in frames] == list(range(CLIP_FRAMES))  # in order
    assert isinstance(error, SourceEndedError) and "clip.avi ended" in str(error)


def test_loops_when_asked(clip: Path) -> None:
    frames, error = _play(VideoFileSource(clip, loop=True), limit=CLIP_FRAMES + 5)
    assert error is None and len(frames) == CLIP_FRAMES + 5
    assert round(float(frames[CLIP_FRAMES].mean())) == 0  # back at the first frame


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(CameraError, match=r"Cannot play missing\.mp4: the file does not exist"):
        VideoFileSource(tmp_path / "missing.mp4").open()


@pytest.mark.parametrize("content", [b"", b"not a video at all" * 100, os.urandom(4096)])
def test_garbage_names_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    with pytest.raises(CameraError, match=r"Cannot play clip\.mp4: the file is damaged or not a video"):
        VideoFileSource(path).open()


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9])
def test_truncated_file_ends_cleanly_naming_the_file(tmp_path: Path, keep: float) -> None:
    whole = write_clip(tmp_path / "whole.avi").read_bytes()
    path = tmp_path / "cut.avi"
    path.write_bytes(whole[: int(len(whole) * keep)])
    frames, error = _play(VideoFileSource(path))
    assert error is not None and "cut.avi" in str(error)
    assert len(frames) < CLIP_FRAMES


def test_truncated_file_loops_over_what_is_left(tmp_path: Path) -> None:
    whole = write_clip(tmp_path / "whole.avi", fps=240.0).read_bytes()
    path = tmp_path / "cut.avi"
    path.write_bytes(whole[: int(len(whole) * 0.7)])
    frames, error = _play(VideoFileSource(path, loop=True), limit=2 * CLIP_FRAMES)
    assert error is None and len(frames) == 2 * CLIP_FRAMES
