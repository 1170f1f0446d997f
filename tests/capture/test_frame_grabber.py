"""The grabber thread on real sources: newest frame only, drop counting, reconnecting, stopping."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dermdesk.capture.frames import Frame
from dermdesk.capture.grabber import THREAD_NAME, FrameGrabber, StatusEvent, StatusKind
from dermdesk.capture.video_file import VideoFileSource
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope


class Recorder:
    """Collects status events from the grabber thread and lets the test wait for one."""

    def __init__(self) -> None:
        self.events: list[StatusEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: StatusEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def kinds(self) -> list[StatusKind]:
        with self._cond:
            return [event.kind for event in self.events]

    def wait_for(self, predicate: Callable[[list[StatusKind]], bool], timeout: float = 10.0) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: predicate([e.kind for e in self.events]), timeout)
        assert ok, f"timed out; events so far: {self.kinds()}"


def _fast_grabber(source: VirtualDermatoscope | VideoFileSource, recorder: Recorder) -> FrameGrabber:
    return FrameGrabber(source, on_status=recorder, retry_initial_s=0.05, retry_max_s=0.2)


def test_frames_are_published_read_only_with_metadata(virtual: VirtualDermatoscope) -> None:
    with FrameGrabber(virtual) as grabber:
        frame = grabber.wait_for_frame(timeout=10.0)
    assert frame is not None
    assert not frame.image.flags.writeable
    assert frame.metadata["virtual"] is True
    assert frame.source_name == virtual.name
    assert (frame.width, frame.height) == (320, 240)


def test_keeps_only_the_newest_frame_and_counts_the_dropped(virtual: VirtualDermatoscope) -> None:
    seen: list[int] = []
    grabber = FrameGrabber(virtual, on_frame=lambda frame: seen.append(frame.index))
    grabber.start()
    try:
        first = grabber.wait_for_frame(after_index=9, timeout=10.0)  # nobody took frames 0..9
        time.sleep(0.1)
        newest = grabber.latest()
    finally:
        assert grabber.stop()
    assert first is not None and newest is not None
    assert newest.index > first.index  # latest() jumps to the newest, it is not a queue
    stats = grabber.stats()
    assert seen == list(range(stats.frames_read))  # every frame was published, in order
    assert stats.frames_taken == 2
    # Every frame replaced before anyone took it is a drop; the last one (maybe untaken) was not replaced.
    untaken_last = grabber.latest() is not newest
    assert stats.frames_dropped == stats.frames_read - 2 - int(untaken_last)


def test_a_consumer_that_keeps_up_sees_few_drops(virtual: VirtualDermatoscope) -> None:
    taken: list[Frame] = []
    with FrameGrabber(virtual) as grabber:
        last = -1
        while len(taken) < 20:
            frame = grabber.wait_for_frame(after_index=last, timeout=10.0)
            assert frame is not None
            taken.append(frame)
            last = frame.index
        stats = grabber.stats()
    assert [f.index for f in taken] == sorted({f.index for f in taken})  # strictly newer each time
    assert stats.frames_dropped < stats.frames_read / 2
    assert stats.fps > 0


def test_wait_for_frame_times_out_and_returns_none_after_stop(virtual: VirtualDermatoscope) -> None:
    grabber = FrameGrabber(virtual)
    assert grabber.wait_for_frame(timeout=0.05) is None  # not started
    grabber.start()
    grabber.stop()
    assert grabber.wait_for_frame(after_index=10**9, timeout=5.0) is None


def test_reconnects_after_a_simulated_unplug(virtual: VirtualDermatoscope) -> None:
    recorder = Recorder()
    grabber = _fast_grabber(virtual, recorder)
    grabber.start()
    try:
        recorder.wait_for(lambda kinds: StatusKind.CONNECTED in kinds)
        before = grabber.wait_for_frame(timeout=10.0)
        virtual.set_unplugged(True)
        recorder.wait_for(lambda kinds: kinds.count(StatusKind.RECONNECTING) >= 2)
        assert not grabber.stats().connected
        virtual.set_unplugged(False)
        recorder.wait_for(lambda kinds: kinds.count(StatusKind.CONNECTED) == 2)
        assert before is not None
        after = grabber.wait_for_frame(after_index=before.index, timeout=10.0)
        assert after is not None
    finally:
        assert grabber.stop()
    kinds = recorder.kinds()
    assert kinds[:2] == [StatusKind.CONNECTED, StatusKind.DISCONNECTED]
    assert kinds[-2:] == [StatusKind.CONNECTED, StatusKind.STOPPED]
    disconnected = next(e for e in recorder.events if e.kind is StatusKind.DISCONNECTED)
    assert "unplugged" in disconnected.reason
    assert all("unplugged" in e.reason for e in recorder.events if e.kind is StatusKind.RECONNECTING)
    attempts = [e.attempt for e in recorder.events if e.kind is StatusKind.RECONNECTING]
    assert attempts == list(range(1, len(attempts) + 1))
    assert grabber.stats().reconnects == 1


def test_a_source_that_cannot_open_at_start_is_retried(virtual: VirtualDermatoscope) -> None:
    recorder = Recorder()
    virtual.set_unplugged(True)
    grabber = _fast_grabber(virtual, recorder)
    grabber.start()
    try:
        recorder.wait_for(lambda kinds: StatusKind.RECONNECTING in kinds)
        virtual.set_unplugged(False)
        recorder.wait_for(lambda kinds: StatusKind.CONNECTED in kinds)
        assert grabber.wait_for_frame(timeout=10.0) is not None
    finally:
        assert grabber.stop()
    assert recorder.kinds()[0] is StatusKind.DISCONNECTED


def test_stop_joins_the_thread_and_is_idempotent(virtual: VirtualDermatoscope) -> None:
    recorder = Recorder()
    grabber = _fast_grabber(virtual, recorder)
    assert grabber.stop()  # before start: nothing to do
    grabber.start()
    thread = grabber.thread
    assert thread is not None and thread.name == THREAD_NAME and not thread.daemon
    assert grabber.wait_for_frame(timeout=10.0) is not None
    assert grabber.stop(timeout=5.0)
    assert grabber.stop(timeout=5.0)
    assert not thread.is_alive()
    assert THREAD_NAME not in [t.name for t in threading.enumerate()]
    assert recorder.kinds()[-1] is StatusKind.STOPPED
    assert recorder.kinds().count(StatusKind.STOPPED) == 1
    with pytest.raises(RuntimeError):
        grabber.start()


def test_stop_is_prompt_while_the_source_waits_for_its_next_frame() -> None:
    slow = VirtualDermatoscope((160, 120), fps=4.0)  # read() sleeps up to 0.25 s
    grabber = FrameGrabber(slow)
    grabber.start()
    assert grabber.wait_for_frame(timeout=10.0) is not None
    assert grabber.stop(timeout=5.0)


def test_stop_is_prompt_while_reconnecting(virtual: VirtualDermatoscope) -> None:
    virtual.set_unplugged(True)
    grabber = FrameGrabber(virtual, retry_initial_s=30.0, retry_max_s=30.0)
    grabber.start()
    time.sleep(0.1)
    assert grabber.stop(timeout=5.0)


def test_a_clip_that_ends_stops_the_grabber(clip: Path) -> None:
    recorder = Recorder()
    grabber = _fast_grabber(VideoFileSource(clip), recorder)
    grabber.start()
    recorder.wait_for(lambda kinds: StatusKind.STOPPED in kinds)
    assert grabber.stop()
    assert recorder.kinds() == [StatusKind.CONNECTED, StatusKind.DISCONNECTED, StatusKind.STOPPED]
    assert "clip.avi ended" in recorder.events[1].reason
    assert grabber.stats().frames_read == 20


def test_failing_callbacks_do_not_stop_the_live_view(virtual: VirtualDermatoscope) -> None:
    def explode(_: object) -> None:
        raise ValueError("bug in a consumer")

    grabber = FrameGrabber(virtual, on_frame=explode, on_status=explode)
    with grabber:
        assert grabber.wait_for_frame(after_index=5, timeout=10.0) is not None
