"""Starting ``make model`` under ``torchrun``: the one way training is launched, here, centrally, on clusters.

``torchrun`` starts one process per core or GPU (``--processes``); with ``--max-restarts`` it starts them all
again when one dies, and they resume from the last epoch's checkpoint. For several machines, pass
``--nodes N --rdzv HOST:PORT`` on every machine (the same command; see docs/model-training.md).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


# glibc hands every freed block over 32 MB (a batch's activations) back to the kernel and faults fresh
# zeroed pages in at the next step; with no mmap'd blocks and no trimming the heap is reused instead. A
# training step (batch 32, 160 px, two threads) took 1.19 → 0.94 s and 1.36 → 1.08 s in two paired
# measurements on the 2-vCPU AMD EPYC VM (docs/model-training.md, "Training speed"); jemalloc was no faster.
MALLOC_TUNABLES = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296"


def training_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the training processes start with: the caller's, plus the allocator tunables
    unless the caller set its own ``GLIBC_TUNABLES`` (they are read only when a process starts)."""
    out = dict(os.environ if env is None else env)
    out.setdefault("GLIBC_TUNABLES", MALLOC_TUNABLES)
    return out


class TrainingError(RuntimeError):
    """The training processes ended with an error; the message carries the end of their log."""


def torchrun_command(
    make_model_args: list[str],
    processes: int,
    *,
    max_restarts: int = 0,
    nodes: int = 1,
    rendezvous: str | None = None,
) -> list[str]:
    """The ``torchrun`` command line that runs ``dermdesk.training.make_model`` with these arguments."""
    if processes < 1:
        raise ValueError(f"training needs at least one process, not {processes}")
    where = (
        ["--standalone"]
        if nodes == 1
        else [f"--nnodes={nodes}", "--rdzv-backend=c10d", f"--rdzv-endpoint={rendezvous}"]
    )
    if nodes > 1 and not rendezvous:
        raise ValueError("several nodes need a rendezvous address (HOST:PORT of the first node)")
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        *where,
        f"--nproc-per-node={processes}",
        f"--max-restarts={max_restarts}",
        "-m",
        "dermdesk.training.make_model",
        *make_model_args,
    ]


def run_make_model(
    make_model_args: list[str],
    processes: int,
    log_path: Path,
    *,
    max_restarts: int = 0,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run ``make model`` under ``torchrun`` in a child process; return its summary (``--result``)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    result_path = log_path.with_suffix(".result.json")
    result_path.unlink(missing_ok=True)
    command = torchrun_command(
        [*make_model_args, "--result", str(result_path)], processes, max_restarts=max_restarts
    )
    log.info("training: %d process(es), log %s", processes, log_path)
    with log_path.open("ab") as handle:
        code = subprocess.call(
            command, stdout=handle, stderr=subprocess.STDOUT, cwd=cwd, env=training_environment(env)
        )
    if code != 0 or not result_path.is_file():
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise TrainingError(f"training ended with exit code {code}; the last lines of {log_path}:\n{tail}")
    summary: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=1, help="processes on this machine (cores or GPUs)")
    parser.add_argument("--max-restarts", type=int, default=1, help="restarts after a process dies")
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--rdzv", help="HOST:PORT of the first node, for several nodes")
    parser.add_argument("make_model_args", nargs=argparse.REMAINDER, help="after --: make_model's arguments")
    args = parser.parse_args(argv)
    rest = args.make_model_args[1:] if args.make_model_args[:1] == ["--"] else args.make_model_args
    command = torchrun_command(
        rest, args.processes, max_restarts=args.max_restarts, nodes=args.nodes, rendezvous=args.rdzv
    )
    raise SystemExit(subprocess.call(command, env=training_environment()))


if __name__ == "__main__":
    main()
