"""A non-lesion picture set built only from material on this machine, for the unsuitable-image gate.

Kinds: blank skin (patches cut outside HAM10000's lesion masks), photographs bundled in installed packages
(scikit-image, matplotlib, scikit-learn: walls, bricks, grass, faces, objects), plain surfaces, and dark
or heavily blurred lesion frames. Photographs are split by file so fitting and evaluation never share one.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path

import cv2
import numpy as np

from dermdesk.training.dataset import CaseRecord

MIN_PATCH = 40


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    return Path(spec.origin).parent if spec and spec.origin else None


def bundled_photographs() -> list[Path]:
    """Colour or grey photographs shipped inside installed packages (no downloads)."""
    found: list[Path] = []
    for package, sub in (
        ("skimage", "data"),
        ("matplotlib", "mpl-data/sample_data"),
        ("sklearn", "datasets/images"),
    ):
        root = _package_dir(package)
        if root is None or not (root / sub).is_dir():
            continue
        for path in sorted((root / sub).iterdir()):
            if path.suffix.lower() in (".png", ".jpg", ".jpeg") and "logo" not in path.name.lower():
                found.append(path)
    return found


def photo_half(path: Path) -> str:
    """'fit' or 'eval', stable per file name."""
    return "fit" if hashlib.sha256(path.name.encode()).digest()[0] % 2 == 0 else "eval"


def _read_rgb(path: Path) -> np.ndarray | None:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return None if image is None else cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def skin_patch(case: CaseRecord, masks_dir: Path) -> np.ndarray | None:
    """The largest square of skin clear of the lesion (mask dilated by 8 px), if at least 40 px wide."""
    rgb = _read_rgb(case.image_path)
    mask = cv2.imread(str(masks_dir / f"{case.image_id}_segmentation.png"), cv2.IMREAD_GRAYSCALE)
    if rgb is None or mask is None:
        return None
    clear = (cv2.dilate(mask, np.ones((17, 17), np.uint8)) == 0).astype(np.uint8)
    clear[[0, -1], :] = 0
    clear[:, [0, -1]] = 0
    distance = cv2.distanceTransform(clear, cv2.DIST_C, 3)
    y, x = np.unravel_index(int(np.argmax(distance)), distance.shape)
    half = int(distance[y, x])
    if 2 * half < MIN_PATCH:
        return None
    return rgb[y - half : y + half, x - half : x + half].copy()


def photo_crops(paths: Sequence[Path], count: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    photos = [p for p in (_read_rgb(path) for path in paths) if p is not None and min(p.shape[:2]) >= 48]
    for _ in range(count):
        photo = photos[int(rng.integers(len(photos)))]
        h, w = photo.shape[:2]
        side = int(rng.uniform(0.3, 1.0) * min(h, w))
        y, x = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        crop = photo[y : y + side, x : x + side]
        yield cv2.resize(crop, (200, 150), interpolation=cv2.INTER_AREA)


def plain_surface(rng: np.random.Generator) -> np.ndarray:
    """A wall or sheet: one colour, a gentle gradient of light, sensor noise."""
    colour = rng.uniform(40, 240, size=3)
    gx, gy = np.meshgrid(np.linspace(-1, 1, 200), np.linspace(-1, 1, 150))
    light = 1.0 + rng.uniform(-0.25, 0.25) * gx + rng.uniform(-0.25, 0.25) * gy
    image = colour[None, None, :] * light[:, :, None] + rng.normal(0, rng.uniform(1, 8), (150, 200, 3))
    return np.clip(image, 0, 255).astype(np.uint8)


def dark_frame(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return (rgb.astype(np.float32) * rng.uniform(0.02, 0.12)).astype(np.uint8)


def blurred_frame(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return cv2.GaussianBlur(rgb, (0, 0), rng.uniform(6.0, 12.0))


def build(
    cases: Sequence[CaseRecord], masks_dir: Path, half: str, per_kind: int, seed: int
) -> list[tuple[str, np.ndarray]]:
    """``per_kind`` pictures of each kind, from ``cases`` (one split's lesions) and one half of the photos."""
    rng = np.random.default_rng(seed)
    chosen = [cases[i] for i in rng.permutation(len(cases))]
    out: list[tuple[str, np.ndarray]] = []
    patches = (p for p in (skin_patch(c, masks_dir) for c in chosen) if p is not None)
    out += [("blank skin", p) for _, p in zip(range(per_kind), patches, strict=False)]
    photos = [p for p in bundled_photographs() if photo_half(p) == half]
    out += [("photograph", p) for p in photo_crops(photos, per_kind, rng)]
    out += [("plain surface", plain_surface(rng)) for _ in range(per_kind // 2)]
    lesions = (im for im in (_read_rgb(c.image_path) for c in chosen[-2 * per_kind :]) if im is not None)
    for i, image in zip(range(2 * per_kind), lesions, strict=False):
        out.append(
            ("dark frame", dark_frame(image, rng)) if i % 2 else ("blurred frame", blurred_frame(image, rng))
        )
    return out
