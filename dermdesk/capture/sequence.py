"""A lighting sequence: one still per chosen lighting mode, in one click.

For each mode: switch the light, let it settle (the next ``settle_frames`` frames are skipped — LEDs and
the camera's auto exposure need a moment), take a burst, keep the sharpest frame and save it with what
it is: lighting mode, polarisation, wavelength, the device's contact setting, its place in the sequence
and its quality scores. The light is switched back to where it was at the end.

Quality is measured and recorded for every still but does not stop the sequence (``quality_gate:
"recorded"`` in the sidecar): pictures under UV or narrow-band light are meant to look dim and tinted,
and a sequence that stopped for a dialog at each mode would no longer be one click. The caller shows
which modes had problems, so staff can retake those one at a time.

If the device goes away mid-sequence (unplugged, serial port gone, camera silent), the stills already
saved stay saved and ``SequenceInterruptedError`` says where it stopped and which modes are missing.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from dermdesk.capture.burst import (
    BURST_FRAMES,
    FRAME_TIMEOUT_S,
    BestFrame,
    FrameWaiter,
    TaskProgress,
    best_of_burst,
    collect_burst,
)
from dermdesk.capture.frames import CameraError
from dermdesk.capture.lighting import LightingController, LightingError, LightingMode, check_offered
from dermdesk.capture.stills import SavedStill, StillSaveError, StillWriter
from dermdesk.i18n import _

log = logging.getLogger(__name__)

SETTLE_FRAMES = 3
"""Frames skipped after switching the light before the burst (100 ms at 30 fps)."""


@dataclass(frozen=True)
class SequenceStill:
    """One still of a sequence: its mode, where it was saved and how it was chosen."""

    mode: LightingMode
    saved: SavedStill
    best: BestFrame


class SequenceInterruptedError(RuntimeError):
    """The sequence stopped early; ``taken`` were saved and are kept, ``missing`` were not taken."""

    def __init__(
        self,
        message: str,
        *,
        stopped_at: LightingMode,
        taken: list[SequenceStill],
        missing: list[LightingMode],
    ) -> None:
        super().__init__(message)
        self.stopped_at = stopped_at
        self.taken = taken
        self.missing = missing


def _labels(modes: Sequence[LightingMode]) -> str:
    return ", ".join(mode.label for mode in modes) or "none"


def run_lighting_sequence(
    state: TaskProgress | None,
    *,
    lighting: LightingController,
    frames: FrameWaiter,
    writer: StillWriter,
    modes: Sequence[LightingMode],
    extra: Mapping[str, object] | None = None,
    settle_frames: int = SETTLE_FRAMES,
    burst: int = BURST_FRAMES,
    timeout_s: float = FRAME_TIMEOUT_S,
) -> list[SequenceStill]:
    """Take one still per mode in ``modes`` (in that order); see the module docstring.

    LightingError before any still when ``modes`` is empty or names a mode the device lacks;
    SequenceInterruptedError (with the stills kept) when the device fails part-way.
    """
    if not modes:
        raise LightingError(_("Choose at least one lighting mode for the sequence."))
    for mode in modes:
        check_offered(lighting.name, mode, lighting.available_modes())
    previous = lighting.current_mode
    sequence = {
        "id": f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}",
        "modes": [mode.value for mode in modes],
        "count": len(modes),
    }
    taken: list[SequenceStill] = []
    try:
        for position, mode in enumerate(modes, start=1):
            if state is not None:
                state.set_progress(
                    (position - 1) / len(modes),
                    _("{label} ({position} of {count})").format(
                        label=mode.label, position=position, count=len(modes)
                    ),
                )
            try:
                taken.append(_one_still(state, lighting, frames, writer, mode, position, sequence, extra,
                                        settle_frames, burst, timeout_s))  # fmt: skip
            except (LightingError, CameraError, StillSaveError) as exc:
                missing = list(modes[position - 1 :])
                message = (
                    f"The lighting sequence stopped at {mode.label}: {exc} "
                    f"Kept {len(taken)} still(s) ({_labels([s.mode for s in taken])}); "
                    f"missing: {_labels(missing)}."
                )
                log.error("%s", message)
                raise SequenceInterruptedError(
                    message, stopped_at=mode, taken=taken, missing=missing
                ) from exc
    finally:
        _restore(lighting, previous)
    if state is not None:
        state.set_progress(1.0, _("{count} stills taken").format(count=len(taken)))
    return taken


def _one_still(
    state: TaskProgress | None,
    lighting: LightingController,
    frames: FrameWaiter,
    writer: StillWriter,
    mode: LightingMode,
    position: int,
    sequence: Mapping[str, object],
    extra: Mapping[str, object] | None,
    settle_frames: int,
    burst: int,
    timeout_s: float,
) -> SequenceStill:
    lighting.set_mode(mode)
    if settle_frames > 0:
        collect_burst(frames, settle_frames, timeout_s=timeout_s, state=state)
    best = best_of_burst(frames, mode, count=burst, timeout_s=timeout_s, state=state)
    fields: dict[str, object] = {
        **(extra or {}),
        "lighting_controller": lighting.name,
        "sequence": {**sequence, "position": position},
        **best.sidecar_fields(overridden=False, gate="recorded"),
    }
    saved = writer.save(best.frame, lighting=mode, extra=fields)
    return SequenceStill(mode=mode, saved=saved, best=best)


def _restore(lighting: LightingController, previous: LightingMode | None) -> None:
    """Back to the light the sequence started from (best effort: the device may be gone)."""
    if previous is None or previous not in lighting.available_modes():
        return
    try:
        lighting.set_mode(previous)
    except LightingError as exc:
        log.warning("Could not switch the light back to %s after the sequence: %s", previous.value, exc)
