"""`dermdesk bench consistency`: the split classified under every instruction set this CPU can run as."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dermdesk.inference.cpu_isa import emulated_isas

REPO = Path(__file__).resolve().parents[2]
KEYS = {"top_class_agreement", "triage_agreement", "referral_agreement", "max_probability_difference"}


def bench(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")}
    return subprocess.run(
        [sys.executable, "-m", "dermdesk", "--data-dir", str(tmp_path), "bench", "consistency", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**clean, **env},
        timeout=900,
    )


@pytest.mark.slow
def test_every_pair_of_instruction_sets_is_compared(tmp_path: Path, ham_dir: Path) -> None:
    labels = tmp_path / "labels.csv"
    lines = (REPO / "splits" / "test.csv").read_text(encoding="utf-8").splitlines()
    labels.write_text("\n".join(lines[:13]) + "\n")
    done = bench(tmp_path, DERMDESK_BENCH_LABELS=str(labels), DERMDESK_BENCH_IMAGES=str(ham_dir / "images"))
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)["consistency"]
    assert figures["images"] == 12 and figures["tta"] is True
    runs = [f"int8@{isa}" for isa in [*emulated_isas(), "native"]]
    assert set(figures["seconds"]) >= {*runs, "fp32@native"}
    assert len(figures["int8_pairs"]) == len(runs) * (len(runs) - 1) // 2
    assert set(figures["int8_against_fp32"]) == {f"{run} vs fp32@native" for run in runs}
    for pair in [*figures["int8_pairs"].values(), *figures["int8_against_fp32"].values()]:
        assert pair.keys() >= KEYS and pair["images"] == 12
        assert all(0.0 <= pair[key] <= 1.0 for key in KEYS)
    # the same network under SSE4.1 and AVX runs the same kernels' arithmetic: no advice may change
    assert figures["int8_pairs"]["int8@SSE41 vs int8@AVX"]["referral_changes"] == 0


def test_without_the_test_split_it_says_what_it_needs(tmp_path: Path) -> None:
    done = bench(tmp_path, DERMDESK_BENCH_IMAGES=str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert "needs the test split's pictures" in done.stderr and "DERMDESK_BENCH_IMAGES" in done.stderr
