"""A station that files captures and is killed mid-save: run by test_crash.py as a subprocess.

Usage: python crash_worker.py STEP FIRST_SEED COUNT
Files COUNT captures normally (printing one JSON line per capture), then sets DERMDESK_TEST_CRASH_AT=STEP
and files one more, during which the capture service kills this process with SIGKILL. The data folder
and database come from the DERMDESK_* environment the test sets.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for records.helpers

from argon2 import PasswordHasher

from dermdesk.records import CaptureRequest, NewLesion, Records, passwords
from dermdesk.records.captures import CRASH_ENV
from dermdesk.settings import load_settings
from records.helpers import PASSWORD, png_bytes


def main() -> None:
    step, first_seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    records = Records.open(load_settings().settings)
    user = records.users.login("sam", PASSWORD)
    for seed in range(first_seed, first_seed + count + 1):
        if seed == first_seed + count:
            os.environ[CRASH_ENV] = step
        request = CaptureRequest("DD-000001", png_bytes(seed), new_lesion=NewLesion("head/neck"))
        result = records.captures.save(user, request)
        print(json.dumps({"uid": result.capture_uid, "sha256": result.sha256, "seed": seed}), flush=True)


if __name__ == "__main__":
    main()
