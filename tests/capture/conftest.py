"""Fixtures shared by the capture tests: small, fast sources and a guard against leaked grabber threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from dermdesk.capture.grabber import THREAD_NAME
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope

CLIP_FRAMES = 20
CLIP_FPS = 60.0
CLIP_SIZE = (64, 48)


@pytest.fixture(autouse=True)
def no_leaked_grabber_threads() -> Iterator[None]:
    """Every test must stop the grabbers it starts: a leaked non-daemon thread would hang the app's exit."""
    yield
    leaked = [t.name for t in threading.enumerate() if t.name == THREAD_NAME]
    assert not leaked, f"grabber threads still running after the test: {leaked}"


@pytest.fixture
def virtual() -> Iterator[VirtualDermatoscope]:
    """A small, fast virtual dermatoscope (QVGA at 120 fps) so tests do not wait on pacing."""
    source = VirtualDermatoscope((320, 240), fps=120.0)
    yield source
    source.close()


def write_clip(path: Path, frames: int = CLIP_FRAMES, fps: float = CLIP_FPS) -> Path:
    """An MJPG .avi whose frame i is uniformly grey level 10*i (works with opencv-python-headless)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, CLIP_SIZE)
    assert writer.isOpened(), "OpenCV cannot write MJPG/AVI here"
    width, height = CLIP_SIZE
    for i in range(frames):
        writer.write(np.full((height, width, 3), 10 * i, dtype=np.uint8))
    writer.release()
    return path


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.avi")
