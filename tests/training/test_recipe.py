"""The pieces of the training recipe that are easy to get silently wrong: frozen layers, mixup and the
logit-adjusted loss with the prior it leaves in the logits."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dermdesk.training.calibrate import fill_empty_classes
from dermdesk.training.model import LesionNet
from dermdesk.training.train import (
    effective_prior,
    freeze_early_layers,
    loss_offset,
    mixup,
    sampling_weights,
    training_loss,
)


def test_frozen_layers_keep_their_imagenet_weights_and_the_rest_learns() -> None:
    torch.manual_seed(0)
    net = LesionNet(64, pretrained=True)
    freeze_early_layers(net, 3)
    stem = net.backbone._conv_stem.weight.detach().clone()
    block2 = next(net.backbone._blocks[2].parameters()).detach().clone()
    block3 = next(net.backbone._blocks[3].parameters()).detach().clone()
    head = net.backbone._fc.weight.detach().clone()
    opt = torch.optim.AdamW([p for p in net.parameters() if p.requires_grad], lr=1e-2)
    loss = F.cross_entropy(net(torch.randn(4, 3, 64, 64)), torch.tensor([0, 1, 2, 3]))
    loss.backward()
    opt.step()
    assert torch.equal(net.backbone._conv_stem.weight, stem)
    assert torch.equal(next(net.backbone._blocks[2].parameters()), block2)
    assert not torch.equal(next(net.backbone._blocks[3].parameters()), block3)
    assert not torch.equal(net.backbone._fc.weight, head)


def test_no_frozen_blocks_trains_everything() -> None:
    net = LesionNet(64, pretrained=False)
    freeze_early_layers(net, 0)
    assert all(p.requires_grad for p in net.parameters())


def test_mixup_blends_pictures_and_labels_with_the_same_weight() -> None:
    rng = np.random.default_rng(3)
    x = torch.stack([torch.full((3, 4, 4), float(i)) for i in range(6)])
    y = torch.tensor([0, 1, 2, 3, 4, 5])
    mixed, target = mixup(x, y, 7, 0.3, np.random.default_rng(3))
    lam = float(rng.beta(0.3, 0.3))
    perm = rng.permutation(6)
    torch.testing.assert_close(target.sum(1), torch.ones(6))
    for i in range(6):
        assert abs(float(mixed[i, 0, 0, 0]) - (lam * i + (1 - lam) * perm[i])) < 1e-5
        if perm[i] != i:
            assert abs(float(target[i, i]) - lam) < 1e-6
            assert abs(float(target[i, perm[i]]) - (1 - lam)) < 1e-6


def test_effective_prior_of_the_plain_and_the_logit_adjusted_loss() -> None:
    labels = np.repeat(np.arange(7), [10, 20, 40, 0, 80, 640, 5])
    _, natural = sampling_weights(labels, 1.0)
    np.testing.assert_allclose(natural, np.array([10, 20, 40, 0, 80, 640, 5]) / 795)
    np.testing.assert_allclose(effective_prior(natural, 0.0), natural)
    uniform = effective_prior(natural, 1.0)
    np.testing.assert_allclose(uniform[[0, 1, 2, 4, 5, 6]], 1 / 6)
    assert uniform[3] == 0.0  # a class never drawn stays impossible, not a division by zero
    _, sqrt_prior = sampling_weights(labels, 0.5)
    np.testing.assert_allclose(effective_prior(natural, 0.5), sqrt_prior)


def test_logit_adjusted_loss_leaves_logits_of_equally_likely_classes() -> None:
    """Fit free logits with the training loop's own loss to labels drawn at a skewed prior: the plain loss
    learns the prior, the adjusted loss (τ = 1) learns equal logits, as ``effective_prior`` records."""
    prior = np.array([0.6, 0.25, 0.1, 0.05])
    y = torch.from_numpy(np.random.default_rng(0).choice(4, size=4000, p=prior))
    counts = np.bincount(y.numpy(), minlength=4) / len(y)
    for tau, expected in ((0.0, counts), (1.0, np.full(4, 0.25))):
        bias = torch.zeros(4, requires_grad=True)
        opt = torch.optim.LBFGS([bias], max_iter=200)

        def closure(
            tau: float = tau, bias: torch.Tensor = bias, opt: torch.optim.LBFGS = opt
        ) -> torch.Tensor:
            opt.zero_grad()
            loss = training_loss(bias.expand(len(y), 4), y, loss_offset(counts, tau), 0.0)
            loss.backward()
            return loss

        opt.step(closure)
        learnt = torch.softmax(bias.detach(), 0).numpy()
        np.testing.assert_allclose(learnt, effective_prior(counts, tau), atol=1e-3)
        np.testing.assert_allclose(learnt, expected, atol=1e-3)


def test_blur_share_and_strength_follow_the_recipe() -> None:
    """Defocus is drawn on the asked share of views, up to the asked σ: sharp edges soften accordingly."""
    from dermdesk.training.augment import optics

    edges = np.zeros((64, 64, 3), np.uint8)
    edges[:, ::8] = 255  # a comb of sharp lines: blur lowers its contrast

    def mean_spread(blur: tuple[float, float]) -> float:
        rng = np.random.default_rng(0)
        spreads = []
        for _ in range(200):
            view = optics(edges, rng, blur)
            spreads.append(float(view.astype(float).std()))
        return float(np.mean(spreads))

    sharp, default, strong = mean_spread((0.0, 1.3)), mean_spread((0.2, 1.3)), mean_spread((1.0, 2.5))
    assert sharp > default > strong


def test_a_class_with_no_training_cases_is_never_boosted_by_the_prior_correction() -> None:
    """A small central collection may lack a class: the correction stays finite and does not favour it."""
    counts = np.array([30.0, 0.0, 10.0, 5.0, 400.0, 0.0, 3.0])
    for tau in (0.0, 0.5, 1.0):
        prior = fill_empty_classes(effective_prior(counts / counts.sum(), tau), "commonest")
        assert np.isfinite(np.log(prior)).all() and prior.sum() == pytest.approx(1.0)
        correction = -np.log(prior)
        assert correction[1] == correction[5] == pytest.approx(correction.min())  # the commonest's
    natural = fill_empty_classes(counts / counts.sum(), "rarest")
    assert natural[1] == natural[5] == pytest.approx(natural[6])  # at most as common as the rarest seen
    np.testing.assert_allclose(
        natural[[0, 2, 3, 4, 6]] / natural[[0, 2, 3, 4, 6]].sum(), counts[[0, 2, 3, 4, 6]] / 448
    )
