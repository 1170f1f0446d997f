"""One training run over several processes: ``torchrun`` starts them, this module joins them up.

Under ``torchrun`` (``WORLD_SIZE`` > 1) each process trains on its own share of every batch and
DistributedDataParallel averages the gradients: gloo between CPU processes, NCCL between GPUs. Batch norm
stays per process on CPU (SyncBatchNorm needs GPUs) and is synchronised on GPUs. Evaluation, the EMA
weights and the checkpoints live on rank 0; the others learn of its decisions (stop or go on) by a
broadcast. A plain ``python -m`` run is a world of one and behaves as before.
"""

from __future__ import annotations

import datetime
import logging
import os
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.distributed as dist

log = logging.getLogger(__name__)

FAULT_ENV = "DERMDESK_TRAIN_FAULT"  # "RANK:EPOCH:STEP": that process dies there (tests only)
TIMEOUT = datetime.timedelta(minutes=30)  # a stuck peer ends the run instead of hanging it forever


@dataclass(frozen=True)
class World:
    """Where this process sits in the run."""

    rank: int = 0
    size: int = 1
    local_rank: int = 0
    local_size: int = 1
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.size > 1


def join() -> World:
    """Join the process group ``torchrun`` describes in the environment (or stay alone)."""
    size = int(os.environ.get("WORLD_SIZE", "1"))
    local_size = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    rank, local_rank = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    else:  # the cores are shared out: N processes of N threads on N cores would thrash
        torch.set_num_threads(max(1, (os.cpu_count() or 2) // max(1, local_size)))
    if size > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if cuda else "gloo", timeout=TIMEOUT)
        log.info("process %d of %d (%s)", rank, size, "nccl" if cuda else "gloo")
    return World(rank, size, local_rank, local_size, device)


def leave(world: World) -> None:
    if world.distributed and dist.is_initialized():
        dist.destroy_process_group()


def broadcast(world: World, value: object) -> object:
    """Rank 0's ``value`` on every process."""
    if not world.distributed:
        return value
    box = [value]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def barrier(world: World) -> None:
    if world.distributed:
        dist.barrier()


class BalancedSampler:
    """Class-balanced draws shared out between processes.

    Every process draws the same epoch's order from the same seed (with replacement, by the per-picture
    weights), then takes every ``size``-th draw from its rank on: together the processes see exactly
    the draws a single process would, and no two see the same draw.
    """

    def __init__(self, weights: np.ndarray, draws: int, seed: int, world: World) -> None:
        self.weights, self.draws, self.seed, self.world = weights, draws, seed, world

    def epoch(self, epoch: int) -> np.ndarray:
        rng = np.random.default_rng(self.seed + epoch)
        order = rng.choice(len(self.weights), size=self.draws, replace=True, p=self.weights)
        return order[self.world.rank :: self.world.size]


def maybe_fail(world: World, epoch: int, step: int) -> None:
    """Die here if the test's fault variable says so, on the first attempt only (a restart resumes)."""
    spec = os.environ.get(FAULT_ENV)
    if not spec or os.environ.get("TORCHELASTIC_RESTART_COUNT", "0") != "0":
        return
    rank, fault_epoch, fault_step = (int(v) for v in spec.split(":"))
    if (world.rank, epoch, step) == (rank, fault_epoch, fault_step):
        log.error("fault injected: process %d dies in epoch %d, step %d", world.rank, epoch + 1, step)
        os._exit(17)
