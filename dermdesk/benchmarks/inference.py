"""`dermdesk bench inference`: how fast the shipped model runs, per runtime and per whole frame.

In one run on the shipped weights: latency p50/p95 (one image, synchronous) and throughput (all cores,
asynchronous requests) for OpenVINO INT8, OpenVINO FP32, ONNX Runtime on the package's ONNX, and PyTorch
eager when the training extra is installed; the per-frame pipeline decode → preprocess → infer →
postprocess at 720p and 1080p; model load time cold (empty cache) and cached; and the live view (the
real window streaming the virtual dermatoscope at 1080p with classification on: frame rate, dropped
frames, classifications per second, GUI-thread stalls), measured by `dermdesk.ui.shell.bench_live`, which is
imported by name at run time so this module stays free of Qt.
"""

from __future__ import annotations

import importlib
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from dermdesk.benchmarks import BenchOptions
from dermdesk.resources import resource_path

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 3.0


def _percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
        "runs": len(ordered),
    }


def time_calls(fn: Callable[[], object], seconds: float, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 20:
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def openvino_figures(xml: Path, x: np.ndarray, seconds: float) -> dict[str, Any]:
    import openvino as ov

    core = ov.Core()
    model = core.read_model(xml)
    latency = core.compile_model(
        model, "CPU", {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32"}
    )
    request = latency.create_infer_request()
    figures = _percentiles(time_calls(lambda: request.infer({0: x}), seconds))
    throughput = core.compile_model(
        model, "CPU", {"PERFORMANCE_HINT": "THROUGHPUT", "INFERENCE_PRECISION_HINT": "f32"}
    )
    queue = ov.AsyncInferQueue(throughput)
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(len(queue)):
            queue.start_async({0: x})
            count += 1
        queue.wait_all()
    figures["throughput_fps"] = round(count / (time.perf_counter() - start), 1)
    return figures


def onnxruntime_figures(onnx_path: Path, x: np.ndarray, seconds: float) -> dict[str, Any]:
    try:
        import onnxruntime as ort
    except ImportError:
        return {"status": "onnxruntime not installed"}
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 2
    session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
    figures = _percentiles(time_calls(lambda: session.run(["logits"], {"image": x}), seconds))
    figures["throughput_fps"] = round(
        1000.0 / statistics.mean(time_calls(lambda: session.run(["logits"], {"image": x}), seconds / 2)), 1
    )
    return figures


def torch_figures(
    weights: Path, size: int, architecture: str, x: np.ndarray, seconds: float
) -> dict[str, Any]:
    try:
        import torch

        from dermdesk.training.model import LesionNet
    except ImportError:
        return {"status": "torch not installed (training extra)"}
    net = LesionNet(size, pretrained=False, architecture=architecture)
    net.load_state_dict(torch.load(weights, map_location="cpu"))
    net.eval()
    tensor = torch.from_numpy(x)

    def run() -> object:
        with torch.inference_mode():
            return net(tensor)

    figures = _percentiles(time_calls(run, seconds, warmup=3))
    figures["throughput_fps"] = round(1000.0 / figures["p50_ms"], 1)
    return figures


def pipeline_figures(package_dir: Path, seconds: float) -> dict[str, Any]:
    """Whole-frame cost on a synthetic camera frame built from a shipped lesion image."""
    from dermdesk.inference.classifier import LesionClassifier
    from dermdesk.inference.package import load_package

    classifier = LesionClassifier(load_package(package_dir))
    sample = next(resource_path("virtual_dermatoscope").glob("*.jpg"), None)
    read = cv2.imread(str(sample)) if sample else None
    lesion = read if read is not None else np.full((150, 200, 3), 120, np.uint8)
    out: dict[str, Any] = {}
    for name, (w, h) in {"720p": (1280, 720), "1080p": (1920, 1080)}.items():
        frame = cv2.resize(lesion, (w, h), interpolation=cv2.INTER_LINEAR)
        _, jpeg = cv2.imencode(".jpg", frame)

        def one_frame(jpeg: np.ndarray = jpeg) -> object:
            bgr = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
            if bgr is None:
                raise RuntimeError("the benchmark's own JPEG frame could not be decoded")
            return classifier.classify(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), tta=False)

        figures = _percentiles(time_calls(one_frame, seconds))
        figures["frames_per_s"] = round(1000.0 / figures["p50_ms"], 1)
        out[name] = figures
    return out


def load_figures(xml: Path) -> dict[str, float]:
    import openvino as ov

    config = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32"}
    with tempfile.TemporaryDirectory() as cache:
        times = []
        for _ in range(2):
            core = ov.Core()
            core.set_property({"CACHE_DIR": cache})
            start = time.perf_counter()
            core.compile_model(str(xml), "CPU", config)
            times.append(time.perf_counter() - start)
    return {"cold_s": round(times[0], 3), "cached_s": round(times[1], 3)}


def live_view_figures(options: BenchOptions, package_dir: Path) -> dict[str, Any]:
    """The real window at 1080p with live classification (needs Qt; reported, not raised, when absent)."""
    try:
        bench_live = importlib.import_module("dermdesk.ui.shell.bench_live")
    except ImportError as exc:
        return {"status": f"not measured: the UI cannot be loaded here ({exc})"}
    figures: dict[str, Any] = bench_live.measure_live_view(
        options.settings, package_dir, seconds=options.seconds or bench_live.DEFAULT_SECONDS
    )
    return figures


def run(options: BenchOptions) -> dict[str, Any]:
    from dermdesk.inference.package import default_package_dir, load_package

    seconds = options.seconds or DEFAULT_SECONDS
    package = load_package(options.settings.model_dir or default_package_dir())  # the model the station uses
    size = package.input_spec.size
    x = np.random.default_rng(0).normal(size=(1, 3, size, size)).astype(np.float32)
    runtimes = {
        "openvino_int8": openvino_figures(package.file("int8"), x, seconds),
        "openvino_fp32": openvino_figures(package.file("fp32"), x, seconds),
        "onnxruntime_fp32": onnxruntime_figures(package.file("onnx"), x, seconds),
        "pytorch_eager_fp32": torch_figures(
            package.file("torch"), size, package.manifest.architecture, x, seconds
        ),
    }
    int8 = runtimes["openvino_int8"]["p50_ms"]
    speedups = {
        name: round(fig["p50_ms"] / int8, 1)
        for name, fig in runtimes.items()
        if "p50_ms" in fig and name != "openvino_int8"
    }
    return {
        "model": package.summary,
        "shipped_precision": package.manifest.precision,
        "input": f"{size}x{size}",
        "cpu_threads": os.cpu_count(),
        "runtimes_batch1": runtimes,
        "int8_speedup_p50": speedups,
        "pipeline_no_tta": pipeline_figures(package.root, seconds),
        "model_load": load_figures(package.file("model")),
        "live_view_1080p": live_view_figures(options, package.root),
    }
