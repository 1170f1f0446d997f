"""Class-activation heatmaps laid over a still: where in the crop the model saw its top diagnosis."""

from __future__ import annotations

import cv2
import numpy as np

from dermdesk.inference.preprocess import CropBox


def activation_map(cam: np.ndarray, class_index: int, side: int) -> np.ndarray:
    """One class's map, upsampled to ``side``×``side`` and scaled to 0..1 (float32)."""
    layer = cam[class_index].astype(np.float32)
    layer = layer - layer.min()
    peak = float(layer.max())
    layer = layer / peak if peak > 0 else layer
    resized: np.ndarray = cv2.resize(layer, (side, side), interpolation=cv2.INTER_CUBIC)
    return resized.clip(0, 1)


def overlay(
    image_bgr: np.ndarray, crop: CropBox, cam: np.ndarray, class_index: int, alpha: float = 0.45
) -> np.ndarray:
    """A copy of the picture with the heatmap blended over the lesion crop (JET colours)."""
    out = image_bgr.copy()
    heat = activation_map(cam, class_index, crop.side)
    colours = cv2.applyColorMap((heat * 255).astype(np.uint8), cv2.COLORMAP_JET)
    region = out[crop.y : crop.y + crop.side, crop.x : crop.x + crop.side]
    weight = (alpha * heat)[:, :, None]
    region[:] = (region * (1 - weight) + colours * weight).astype(np.uint8)
    cv2.rectangle(out, (crop.x, crop.y), (crop.x + crop.side - 1, crop.y + crop.side - 1), (255, 255, 255), 1)
    return out
