"""``make model --recalibrate``: an existing network, its operating point chosen again on another split.

The shipped package's network files must travel byte for byte (only what is chosen after training is
redone), and the card must say whose network it is rather than invent a recipe it never recorded.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.training import make_model, model_card
from dermdesk.training.calibrate import calibrate, kept
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
    # a network whose package recorded no recipe (1.0.0) is named as an earlier package's, not given one
    unrecorded = {k: v for k, v in training.items() if k != "config"}
    text = model_card._recipe_text(unrecorded) + model_card._network_from_text(training["training_data"])
    assert "earlier package's, unchanged" in text
    assert shipped.manifest.version in text
    if training.get("config"):  # one that recorded its recipe (2.0.0) keeps it on the new card
        assert f"{training['config']['epochs']} epochs of" in model_card._recipe_text(training)
    assert model_card._network_from_text({"name": "HAM10000"}) == ""


def test_a_kept_calibration_is_the_package_own_and_is_scored_on_this_split() -> None:
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 7, 400)
    logits = rng.normal(size=(400, 7)) + 2.5 * np.eye(7)[labels]
    prior = np.full(7, 1 / 7)
    chosen = calibrate(logits, labels, prior, prior, max_ece=None)
    again = kept(logits, labels, chosen.logit_adjustment, chosen.temperature, chosen.prior_power)
    assert again.logit_adjustment == chosen.logit_adjustment
    assert again.temperature == chosen.temperature and again.prior_power == chosen.prior_power
    assert again.validation_ece_after == pytest.approx(chosen.validation_ece_after)
    assert again.validation_balanced_accuracy == pytest.approx(chosen.validation_balanced_accuracy)
    # another temperature is scored as given, not re-fitted
    hotter = kept(logits, labels, chosen.logit_adjustment, chosen.temperature * 3, chosen.prior_power)
    assert hotter.temperature == chosen.temperature * 3
    assert hotter.validation_ece_after != pytest.approx(chosen.validation_ece_after)
    assert len(hotter.candidates) == 1 and hotter.candidates[0]["temperature"] == chosen.temperature * 3


def test_keep_calibration_carries_the_package_priors_and_says_so(tmp_path: Path) -> None:
    folder = default_package_dir()
    shipped = load_package(folder)
    training, _, _ = _reuse_network(
        folder, tmp_path / "staging", TrainConfig("d", "s", "o"), keep_calibration=True
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert training["calibration"] == manifest["calibration"]
    assert training["network_name"] == f"{shipped.manifest.name} {shipped.manifest.version}"
    assert "its calibration kept" in training["training_data"]["network_from"]
    text = model_card._calibration_choice_text({"kept_from": training["network_name"]})
    assert "kept unchanged from " + training["network_name"] in text
    assert "validation NLL" in model_card._calibration_choice_text({"candidates": []})


def test_keep_calibration_without_a_package_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        make_model.main(["--keep-calibration", "--work", "unused"])
    assert stop.value.code == 2
    assert "--keep-calibration keeps the calibration of the package given to --recalibrate" in (
        capsys.readouterr().err
    )


def test_the_targets_table_never_rounds_a_miss_onto_its_goal() -> None:
    row = {"target": "macro AUC", "scope": "ham10000", "op": ">=", "goal": 0.955, "value": 0.9546}
    row |= {"ci95": [0.9421, 0.9643], "met": False, "whole_interval": False, "n_images": 1005}
    assert "| 0.9546 |" in model_card.targets_table([row])
    assert "| 0.961 |" in model_card.targets_table([{**row, "value": 0.9612, "met": True}])
    below = {**row, "op": "<=", "goal": 0.25, "value": 0.2504, "met": False}
    assert "| 0.2504 |" in model_card.targets_table([below])
