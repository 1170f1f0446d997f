"""``make model --recalibrate``: an existing network, its operating point chosen again on another split.

The shipped package's network files must travel byte for byte (only what is chosen after training is
redone), and the card must say whose network it is rather than invent a recipe it never recorded.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.training import model_card
from dermdesk.training.make_model import NETWORK_FILES, _reuse_network
from dermdesk.training.train import TrainConfig


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_network_files_are_copied_unchanged_and_its_input_size_is_kept(tmp_path: Path) -> None:
    folder = default_package_dir()
    shipped = load_package(folder)
    cfg = TrainConfig(data_dir="d", splits_dir="s", out_dir="o", image_size=999)
    training, spec, cfg = _reuse_network(folder, tmp_path / "staging", cfg)
    for name in NETWORK_FILES:
        assert _digest(tmp_path / "staging" / name) == _digest(folder / name), name
    assert spec.size == cfg.image_size == shipped.manifest.input.size
    assert len(training["train_prior"]) == 7
    assert f"{shipped.manifest.name} {shipped.manifest.version}" in training["training_data"]["network_from"]


def test_the_card_names_the_reused_network_instead_of_a_recipe(tmp_path: Path) -> None:
    folder = default_package_dir()
    shipped = load_package(folder)
    training, _, _ = _reuse_network(folder, tmp_path / "staging", TrainConfig("d", "s", "o"))
    text = model_card._recipe_text(training) + model_card._network_from_text(training["training_data"])
    assert "earlier package's, unchanged" in text
    assert shipped.manifest.version in text
    assert model_card._network_from_text({"name": "HAM10000"}) == ""
