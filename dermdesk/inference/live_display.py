"""What the live panel shows of one classified frame, made on the classifier thread so the GUI only paints."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.heatmap import activation_map
from dermdesk.inference.live import LiveResult
from dermdesk.inference.precision import open_station_classifier
from dermdesk.inference.trust import active_package
from dermdesk.settings import DermDeskSettings

logger = logging.getLogger(__name__)

HEATMAP_SIDE = 96  # pixels of the RGBA heatmap; the live view stretches it over the crop
HEATMAP_ALPHA = 0.45  # strongest opacity, as in dermdesk.inference.heatmap.overlay


@dataclass(frozen=True)
class LiveDisplay:
    """One classified frame, ready to show: the engine's result and its heatmap for the top class."""

    result: LiveResult
    heatmap: np.ndarray | None  # HEATMAP_SIDE² RGBA uint8 to stretch over result.crop, or None
    heatmap_class: str | None


def heatmap_rgba(cam: np.ndarray, class_index: int, side: int = HEATMAP_SIDE) -> np.ndarray:
    """One class's activation map as JET colours with opacity rising with activation (RGBA uint8).

    Blending it over the crop gives the same picture as `dermdesk.inference.heatmap.overlay`.
    """
    heat = activation_map(cam, class_index, side)
    colours = cv2.applyColorMap((heat * 255).astype(np.uint8), cv2.COLORMAP_JET)
    rgba = np.empty((side, side, 4), np.uint8)
    rgba[:, :, :3] = colours[:, :, ::-1]
    rgba[:, :, 3] = (HEATMAP_ALPHA * heat * 255).astype(np.uint8)
    return rgba


def package_classifier_factory(settings: DermDeskSettings) -> Callable[[], LesionClassifier]:
    """Load the configured package (or the newest shipped one) and compile it; call it off the GUI thread."""

    def make() -> LesionClassifier:
        package = active_package(settings.model_dir, settings.update_public_key)  # signature verified
        classifier = open_station_classifier(package, cache_dir=settings.model_cache_dir)
        logger.info(
            "Model %s %s (%s) ready for live classification",
            package.name,
            package.version,
            classifier.precision,
        )
        return classifier

    return make
