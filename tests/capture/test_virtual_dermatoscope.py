"""The virtual dermatoscope: real pictures, live-looking frames, lighting looks, simulated unplugging."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from dermdesk.capture.frames import CameraError, DescribesFrames
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.virtual_dermatoscope import NOISE_BANK_SIZE, VirtualDermatoscope


def _mean_bgr(source: VirtualDermatoscope, mode: LightingMode) -> np.ndarray:
    source.set_lighting(mode)
    return np.asarray(source.read().reshape(-1, 3).mean(axis=0))


def test_ships_a_mix_of_diagnoses() -> None:
    lesions = VirtualDermatoscope().lesions
    assert Counter(lesion.dx for lesion in lesions) == {
        "nv": 6, "mel": 6, "bkl": 6, "bcc": 6, "akiec": 4, "vasc": 4, "df": 4,
    }  # fmt: skip
    assert all(lesion.file.is_file() for lesion in lesions)


@pytest.mark.parametrize("resolution", [(320, 240), (1280, 720), (1920, 1080)])
def test_frames_have_the_asked_resolution(resolution: tuple[int, int]) -> None:
    source = VirtualDermatoscope(resolution, fps=200.0)
    source.open()
    image = source.read()
    source.close()
    assert image.shape == (resolution[1], resolution[0], 3)
    assert image.dtype == np.uint8 and image.flags.c_contiguous


def test_frames_come_at_roughly_the_frame_rate() -> None:
    source = VirtualDermatoscope((160, 120), fps=30.0)
    source.open()
    started = time.monotonic()
    for _ in range(10):
        source.read()
    elapsed = time.monotonic() - started
    source.close()
    # Paced, not free-running: 10 frames take about 9 intervals (loose bounds; speed lives in benchmarks).
    assert 0.2 < elapsed < 5.0


def test_frames_move_and_carry_metadata(virtual: VirtualDermatoscope) -> None:
    assert isinstance(virtual, DescribesFrames)
    virtual.open()
    first, second = virtual.read(), virtual.read()
    assert not np.array_equal(first, second)  # noise and hand motion
    meta = virtual.frame_metadata()
    lesion = virtual.lesions[0]
    assert meta == {
        "virtual": True,
        "lighting": LightingMode.WHITE_POLARISED.value,
        "lesion_index": 0,
        "lesion_image_id": lesion.image_id,
        "lesion_dx": lesion.dx,
    }


def test_lesions_can_be_changed(virtual: VirtualDermatoscope) -> None:
    virtual.open()
    virtual.read()
    assert virtual.next_lesion() == virtual.lesions[1]
    virtual.read()
    assert virtual.frame_metadata()["lesion_image_id"] == virtual.lesions[1].image_id
    assert virtual.set_lesion(len(virtual.lesions) + 2) == virtual.lesions[2]  # wraps around


def test_each_lighting_mode_looks_different(virtual: VirtualDermatoscope) -> None:
    virtual.open()
    means = {mode: _mean_bgr(virtual, mode) for mode in LightingMode}
    white = means[LightingMode.WHITE].mean()
    assert means[LightingMode.OFF].mean() < 0.1 * white
    blue, green, red = means[LightingMode.NB_630]
    assert red > 2 * green and red > 2 * blue  # reddish
    blue, green, red = means[LightingMode.NB_450]
    assert blue > 2 * red and blue > green
    blue, green, red = means[LightingMode.UV_365]
    assert blue > green and means[LightingMode.UV_365].mean() < 0.6 * white  # dark violet
    distinct = {tuple(np.round(m / 8).astype(int)) for m in means.values()}
    assert len(distinct) == len(LightingMode)


def test_non_polarised_white_has_glare_and_polarised_has_none(virtual: VirtualDermatoscope) -> None:
    virtual.open()

    def near_white_share(mode: LightingMode) -> float:
        virtual.set_lighting(mode)
        return float((virtual.read().min(axis=2) > 235).mean())

    assert near_white_share(LightingMode.WHITE) > 10 * near_white_share(LightingMode.WHITE_POLARISED) + 1e-4


def test_noise_comes_from_a_fixed_bank_made_at_open(virtual: VirtualDermatoscope) -> None:
    virtual.open()
    bank = virtual.noise_bank
    assert len(bank) == NOISE_BANK_SIZE
    for _ in range(3 * NOISE_BANK_SIZE):
        virtual.read()
    assert virtual.noise_bank is bank
    # All views share one noise field: memory is one frame's worth, whatever the bank size.
    base = bank[0][0].base
    assert base is not None and all(add.base is base for add, _ in bank)


def test_resolution_is_limited_to_full_hd() -> None:
    with pytest.raises(ValueError, match="outside"):
        VirtualDermatoscope((3840, 2160))


def test_missing_pictures_give_a_camera_error(tmp_path: Path) -> None:
    with pytest.raises(CameraError, match="missing"):
        VirtualDermatoscope(lesion_dir=tmp_path)


def test_simulated_unplug_and_plug(virtual: VirtualDermatoscope) -> None:
    virtual.open()
    virtual.read()
    virtual.set_unplugged(True)
    with pytest.raises(CameraError, match="unplugged"):
        virtual.read()
    virtual.close()
    with pytest.raises(CameraError, match="unplugged"):
        virtual.open()
    virtual.set_unplugged(False)
    virtual.open()
    assert virtual.read().shape == (240, 320, 3)


def test_fail_after_lets_n_reads_through(virtual: VirtualDermatoscope) -> None:
    virtual.open()
    virtual.fail_after(3)
    for _ in range(3):
        virtual.read()
    with pytest.raises(CameraError):
        virtual.read()
    with pytest.raises(CameraError):
        virtual.open()
