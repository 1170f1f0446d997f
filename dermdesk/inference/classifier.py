"""Classifying lesion pictures with a verified model package on the CPU (OpenVINO).

One path for stills, the live view, ``dermdesk classify``/``evaluate`` and reports: the shared
preprocessing, one batched inference, the shared postprocessing and the unsuitable-image gate.
Test-time augmentation averages the outputs of the eight flips and 90° rotations of the lesion crop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openvino as ov

from dermdesk.inference.gate import SUITABLE, GateVerdict, LesionGate, lighting_verdict
from dermdesk.inference.package import ModelPackage
from dermdesk.inference.postprocess import Assessment, Rules, assess, calibrated_probabilities
from dermdesk.inference.preprocess import CropBox, find_lesion_box, normalise, resize_crop, to_rgb8

log = logging.getLogger(__name__)

# f32 everywhere: CPUs with bf16 units would otherwise default to bf16 and give other figures than the
# model card's on a clinic PC without them.
COMPILE_CONFIG = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32"}


def dihedral_views(pixels: np.ndarray) -> np.ndarray:
    """The eight orientations of an HxWx3 crop, stacked: identity first."""
    views = []
    for k in range(4):
        rotated = np.rot90(pixels, k)
        views += [rotated, rotated[:, ::-1]]
    return np.stack([np.ascontiguousarray(v) for v in views])


def undo_dihedral_cam(cams: np.ndarray) -> np.ndarray:
    """Bring the eight views' activation maps [8,C,h,w] back to the original orientation and average."""
    restored = []
    for i, cam in enumerate(cams):
        if i % 2:
            cam = cam[:, :, ::-1]
        restored.append(np.rot90(cam, -(i // 2), axes=(1, 2)))
    mean: np.ndarray = np.mean(restored, axis=0)
    return mean


@dataclass(frozen=True)
class NetOutputs:
    """What the network says about one crop (averaged over the TTA views when used)."""

    logits: np.ndarray  # [C]
    cam: np.ndarray  # [C, h, w], in the crop's orientation
    features: np.ndarray  # [F] pooled


@dataclass(frozen=True)
class Classification:
    """One picture's result: the gate's verdict and, when suitable, the assessment."""

    verdict: GateVerdict
    assessment: Assessment | None
    crop: CropBox
    outputs: NetOutputs | None
    tta: bool

    @property
    def probabilities(self) -> np.ndarray | None:
        return None if self.assessment is None else np.array(list(self.assessment.probabilities.values()))


class LesionClassifier:
    """A compiled OpenVINO model with the package's rules; use one instance from one thread at a time."""

    def __init__(
        self, package: ModelPackage, precision: str = "model", cache_dir: Path | None = None
    ) -> None:
        self.package = package
        self.precision = package.manifest.precision if precision == "model" else precision
        self.rules = Rules.from_manifest(package.manifest)
        self.gate = LesionGate.from_manifest(package.manifest)
        self.spec = package.input_spec
        core = ov.Core()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            core.set_property({"CACHE_DIR": str(cache_dir)})
        self.compiled = core.compile_model(core.read_model(package.file(precision)), "CPU", COMPILE_CONFIG)
        self.request = self.compiled.create_infer_request()
        names = {name for output in self.compiled.outputs for name in output.get_names()}
        self._has_features = "features" in names

    def infer(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raw logits [N,C], activation maps [N,C,h,w] and pooled features [N,F] of an NCHW batch."""
        result = self.request.infer({0: batch})
        logits = np.asarray(result[self.compiled.output("logits")]).copy()
        cam = np.asarray(result[self.compiled.output("cam")]).copy()
        features = (
            np.asarray(result[self.compiled.output("features")]).copy()
            if self._has_features
            else np.zeros((len(logits), 0), np.float32)
        )
        return logits, cam, features

    def crop(self, rgb: np.ndarray) -> tuple[np.ndarray, CropBox]:
        """The lesion crop at the model's input size (uint8 RGB) and where it was taken."""
        rgb = to_rgb8(rgb)
        box = find_lesion_box(rgb)
        return resize_crop(rgb, box, self.spec.size), box

    def outputs(self, pixels: np.ndarray, tta: bool) -> NetOutputs:
        views = dihedral_views(pixels) if tta else pixels[None]
        logits, cams, features = self.infer(np.concatenate([normalise(v, self.spec) for v in views]))
        cam = undo_dihedral_cam(cams) if tta else cams[0]
        return NetOutputs(logits.mean(axis=0), cam, features.mean(axis=0))

    def raw_logits(self, rgb: np.ndarray, tta: bool = True) -> np.ndarray:
        """Mean logits over the TTA views (or the single view): what evaluation scores."""
        pixels, _ = self.crop(rgb)
        return self.outputs(pixels, tta).logits

    def classify(self, rgb: np.ndarray, tta: bool = True, lighting: object = None) -> Classification:
        """Gate, infer and assess one RGB picture; refused pictures carry the reason, no diagnosis."""
        verdict = lighting_verdict(lighting)
        pixels, box = self.crop(rgb)
        if not verdict.suitable:
            return Classification(verdict, None, box, None, tta)
        out = self.outputs(pixels, tta)
        verdict = self.gate.check(pixels, out.features) if self.gate is not None else SUITABLE
        probabilities = calibrated_probabilities(out.logits, self.rules)
        assessment = assess(probabilities, self.rules) if verdict.suitable else None
        return Classification(verdict, assessment, box, out, tta)

    def probabilities_of(self, classification: Classification) -> np.ndarray | None:
        """Calibrated probabilities even for a refused picture (for scripts that want them anyway)."""
        if classification.outputs is None:
            return None
        return calibrated_probabilities(classification.outputs.logits, self.rules)
