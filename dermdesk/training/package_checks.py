"""What a built package carries so that every station can check it: reference pictures and the
cross-CPU consistency figures (`dermdesk bench consistency`), shared by `make model` and `requantize`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.evaluation import find_image, read_labels
from dermdesk.inference.package import load_package, write_manifest
from dermdesk.training import model_card

PER_CLASS = 3  # reference pictures per diagnosis: 21 in all, about 0.1 s to check at load


def reference_pictures(images: Path, labels_csv: Path, per_class: int = PER_CLASS) -> list[Path]:
    """The first pictures of each diagnosis in the test split: public pictures covering every class."""
    chosen: dict[str, list[Path]] = {code: [] for code in CLASS_CODES}
    for item in read_labels(labels_csv, CLASS_CODES):
        path = find_image(images, item.image_id)
        if path is not None and len(chosen[item.dx]) < per_class:
            chosen[item.dx].append(path)
    return [path for code in CLASS_CODES for path in chosen[code]]


def record_consistency(package_dir: Path, images: Path, labels: Path) -> dict[str, Any]:
    """Run `dermdesk bench consistency` on the package and put its figures in the manifest and card."""
    from dermdesk.inference.consistency import measure

    figures = measure(package_dir, images, labels)
    figures.pop("model", None)  # the manifest cannot name its own checksum
    figures["measured"] = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = load_package(package_dir).manifest.to_dict()
    model_card.insert_consistency(package_dir / "model-card.md", figures)
    manifest["consistency"] = figures
    write_manifest(package_dir, manifest)
    return figures
