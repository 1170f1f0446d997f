"""The standby policy on a fake clock, its frame gate on real pictures, and the grabber's standby rate."""

from __future__ import annotations

import time

import numpy as np

from dermdesk.capture.frames import Frame
from dermdesk.capture.grabber import FrameGrabber
from dermdesk.capture.standby import STANDBY_FPS, StandbyPolicy, picture_changed, thumbnail
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _policy(after_s: float = 60.0) -> tuple[StandbyPolicy, FakeClock, list[bool]]:
    clock, changes = FakeClock(), []
    policy = StandbyPolicy(after_s, clock=clock, on_change=changes.append)
    return policy, clock, changes


def test_goes_to_standby_only_after_the_time_without_input() -> None:
    policy, clock, changes = _policy(60.0)
    clock.now += 59.0
    assert policy.seconds_left() == 1.0
    assert not policy.check() and not policy.standby
    clock.now += 1.0
    assert policy.check() and policy.standby
    assert changes == [True]
    assert policy.seconds_left() is None
    assert policy.frame_interval == 1.0 / STANDBY_FPS
    assert not policy.check()  # already there: no second change


def test_input_restarts_the_count_and_wakes_at_once() -> None:
    policy, clock, changes = _policy(60.0)
    clock.now += 50.0
    assert not policy.note_input()  # live: nothing to wake
    clock.now += 50.0
    assert not policy.check()  # only 50 s since the input
    assert policy.seconds_left() == 10.0
    clock.now += 10.0
    assert policy.check()
    assert policy.note_input() and not policy.standby
    assert policy.frame_interval == 0.0
    assert changes == [True, False]


def test_wake_without_input_and_zero_means_never() -> None:
    policy, clock, changes = _policy(5.0)
    clock.now += 5.0
    policy.check()
    assert policy.wake("capture") and not policy.standby
    assert not policy.wake("capture")
    never, clock, changes = _policy(0.0)
    clock.now += 1e6
    assert not never.enabled and never.seconds_left() is None
    assert not never.check() and changes == []


def _frame(image: np.ndarray, index: int) -> Frame:
    return Frame(image, index, time.monotonic(), "test", {})


def test_gate_passes_every_frame_live_and_only_changed_pictures_in_standby() -> None:
    policy, clock, _ = _policy(1.0)
    source = VirtualDermatoscope((320, 240), fps=120.0)
    source.open()
    try:
        seen: list[int] = []
        gated = policy.gate(lambda frame: seen.append(frame.index))
        for index in range(3):
            gated(_frame(source.read(), index))
        assert seen == [0, 1, 2]
        clock.now += 1.0
        policy.check()
        for index in range(3, 10):  # the same lesion with noise, tremor, focus drift: not a change
            gated(_frame(source.read(), index))
        assert seen == [0, 1, 2]
        assert policy.frames_held == 7
        source.next_lesion()  # another lesion under the lens: classified even in standby
        gated(_frame(source.read(), 10))
        gated(_frame(source.read(), 11))
        assert seen == [0, 1, 2, 10]
        policy.note_input()
        gated(_frame(source.read(), 12))
        assert seen == [0, 1, 2, 10, 12]
    finally:
        source.close()


def test_picture_change_ignores_noise_and_sees_a_new_scene() -> None:
    rng = np.random.default_rng(0)
    scene = np.full((240, 320, 3), 120, np.uint8)
    noisy = np.clip(scene + rng.normal(0, 3, scene.shape), 0, 255).astype(np.uint8)
    other = scene.copy()
    other[60:180, 80:240] = 30  # a dark lesion appears
    assert not picture_changed(thumbnail(scene), thumbnail(noisy))
    assert picture_changed(thumbnail(scene), thumbnail(other))


def test_grabber_reads_slowly_in_standby_and_resumes_at_once(virtual: VirtualDermatoscope) -> None:
    with FrameGrabber(virtual) as grabber:
        first = grabber.wait_for_frame(timeout=10.0)
        assert first is not None
        grabber.set_frame_interval(0.25)
        time.sleep(0.1)  # a frame or two may be read before the pause starts
        start = grabber.stats().frames_read
        time.sleep(1.0)
        assert grabber.stats().frames_read - start <= 5  # 120 fps live; at most 4 (+1) in standby
        grabber.set_frame_interval(30.0)
        paused = grabber.wait_for_frame(timeout=10.0)
        assert paused is not None
        grabber.set_frame_interval(0.0)  # input: full rate again without waiting out the 30 s
        started = time.monotonic()
        woke = grabber.wait_for_frame(after_index=paused.index + 1, timeout=10.0)
        assert woke is not None and time.monotonic() - started < 10.0
