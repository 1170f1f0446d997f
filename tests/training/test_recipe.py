"""The pieces of the training recipe that are easy to get silently wrong: frozen layers and mixup."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from dermdesk.training.model import LesionNet
from dermdesk.training.train import freeze_early_layers, mixup


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
