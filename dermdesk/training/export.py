"""Export of trained weights: ONNX, OpenVINO IR in FP32, and NNCF post-training INT8.

``ov.save_model`` compresses weights to FP16 unless told not to; we keep FP32 exact so the INT8 decision
compares against the true full-precision model.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import nncf
import numpy as np
import openvino as ov
import torch
from nncf.quantization.advanced_parameters import AdvancedQuantizationParameters, OverflowFix

from dermdesk.training.model import ExportedLesionNet, LesionNet

log = logging.getLogger(__name__)

OUTPUT_NAMES = ("logits", "cam", "features")


def export_onnx(net: LesionNet, path: Path) -> None:
    """ONNX with a dynamic batch axis and the outputs named in OUTPUT_NAMES."""
    net.eval()
    example = torch.zeros(1, 3, net.image_size, net.image_size)
    torch.onnx.export(
        ExportedLesionNet(net),
        (example,),
        str(path),
        input_names=["image"],
        output_names=list(OUTPUT_NAMES),
        dynamic_axes={name: {0: "batch"} for name in ("image", *OUTPUT_NAMES)},
        opset_version=17,
        dynamo=False,
    )


def convert_openvino(onnx_path: Path) -> ov.Model:
    """The OpenVINO model of the ONNX file (same weights, same graph), outputs named as in ONNX."""
    model = ov.convert_model(str(onnx_path))
    for output, name in zip(model.outputs, OUTPUT_NAMES, strict=True):
        output.get_tensor().set_names({name})
    return model


def save_fp32(model: ov.Model, xml_path: Path) -> None:
    ov.save_model(model, str(xml_path), compress_to_fp16=False)


def _quantization_parameters() -> AdvancedQuantizationParameters:
    """Weights kept to 7 bits (NNCF's overflow fix on every layer, not only the first).

    CPUs without VNNI multiply 8-bit activations by 8-bit weights with an instruction that adds pairs of
    products in 16 bits and saturates; CPUs with VNNI, AVX-512 or AMX do not. With 8-bit weights the same
    network gives other probabilities on the two kinds of CPU, so the same lesion could get other advice on
    two clinic PCs (`dermdesk bench consistency`). With 7-bit weights no pair can saturate.
    """
    return AdvancedQuantizationParameters(overflow_fix=OverflowFix.ENABLE)


def quantize_int8(model: ov.Model, calibration_inputs: Sequence[np.ndarray], xml_path: Path) -> ov.Model:
    """NNCF post-training quantisation, calibrated on (unaugmented) training images."""
    dataset = nncf.Dataset(list(calibration_inputs))
    quantized = nncf.quantize(
        model,
        dataset,
        subset_size=len(calibration_inputs),
        preset=nncf.QuantizationPreset.MIXED,
        fast_bias_correction=True,
        advanced_parameters=_quantization_parameters(),
    )
    ov.save_model(quantized, str(xml_path), compress_to_fp16=False)
    return quantized
