"""`evaluate`'s labels file: a binary file, a quote left open or a NUL byte is a one-line reason, never a
traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.evaluation import LabelsError, read_labels

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a text CSV file"),
        (b'image_id,dx\nISIC_1,"nv\nISIC_2,mel\n', "row 2 holds a line break.*quote left open"),
        (b"image_id,dx\nISIC_1,nv\x00\n", "row 2 holds a line break or control character"),
        (b"image_id,dx\nISIC_1\n", "row 2 is incomplete"),
    ],
    ids=["binary", "open-quote", "nul", "short-row"],
)
def test_bad_label_files_are_refused_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "labels.csv"
    path.write_bytes(content)
    with pytest.raises(LabelsError, match=reason):
        read_labels(path, CLASS_CODES)


def test_the_cli_prints_one_line_for_a_binary_labels_file(tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_bytes(bytes(range(256)) * 4)
    done = subprocess.run(
        [sys.executable, "-m", "dermdesk", "evaluate", str(tmp_path), "--labels", str(labels)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "dermdesk: error: labels.csv: not a text CSV file (byte 128 is not UTF-8)"
    ]
