"""`dermdesk bench consistency`: the test split's advice under every instruction set this CPU can run as.

The measurement itself is `dermdesk.inference.consistency` (also used when a package is built); this is
its benchmark entry, which finds the split and says what it needs when it is not there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dermdesk.benchmarks import BenchmarkUnavailableError, BenchOptions
from dermdesk.inference.consistency import DEFAULT_IMAGES, DEFAULT_LABELS, measure


def run(options: BenchOptions) -> dict[str, Any]:
    from dermdesk.inference.package import default_package_dir

    images = Path(os.environ.get("DERMDESK_BENCH_IMAGES", DEFAULT_IMAGES))
    labels = Path(os.environ.get("DERMDESK_BENCH_LABELS", DEFAULT_LABELS))
    if not images.is_dir() or not labels.is_file():
        raise BenchmarkUnavailableError(
            f"the consistency benchmark needs the test split's pictures ({images}) and labels ({labels}); "
            "set DERMDESK_BENCH_IMAGES and DERMDESK_BENCH_LABELS on a developer machine"
        )
    return measure(options.settings.model_dir or default_package_dir(), images, labels)
