"""A station killed (SIGKILL) at each step of saving a capture leaves records and store consistent.

The subprocess files two captures, then dies while filing a third: after the file is written, after
the rows are flushed, or after the commit. The integrity check then finds every earlier capture intact
(rows present, files verified by sha256), no row without its file, and — when the crash came before the
commit — the unfiled picture moved to orphans/ and reported.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dermdesk.records import CaptureStep, Records, models
from dermdesk.records.image_store import sha256_bytes
from records.helpers import png_bytes

WORKER = Path(__file__).with_name("crash_worker.py")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("step", list(CaptureStep), ids=lambda s: s.value)
def test_a_kill_at_each_step_leaves_records_and_store_consistent(
    records: Records, team: object, patient: str, step: CaptureStep
) -> None:
    completed = subprocess.run(
        [sys.executable, str(WORKER), step.value, "10", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert completed.returncode == -signal.SIGKILL, completed.stderr
    earlier = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [e["seed"] for e in earlier] == [10, 11]
    crashed_sha = sha256_bytes(png_bytes(12))

    report = records.integrity_check(verify_hashes=True, grace=timedelta(0))

    assert report.missing_files == [] and report.damaged_files == []
    with records.database.transaction() as session:
        filed = {row.sha256: row for row in session.scalars(select(models.Image))}
        for capture in earlier:
            row = filed[capture["sha256"]]
            assert row.capture_uid == capture["uid"]
            assert records.store.verify(row.relative_path, capture["sha256"])
    if step is CaptureStep.COMMITTED:
        assert crashed_sha in filed and report.orphans_moved == {}
    else:
        assert crashed_sha not in filed
        (moved,) = report.orphans_moved.values()
        assert moved.name.startswith(crashed_sha) and moved.read_bytes() == png_bytes(12)
    assert records.integrity_check(verify_hashes=True, grace=timedelta(0)).consistent
