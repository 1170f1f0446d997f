"""The retraining gate on real packages and real held-out HAM10000 images, at the clinical operating point
(benign lesions referred when 95 % of the malignant ones are): a candidate no worse than the model in use
is signed and published with both sets of figures in its card; a worse one is held back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sync.packages import AFTER_NEXT, HAM, NEXT, small_package

from dermdesk.central import store
from dermdesk.central.config import CentralConfig
from dermdesk.central.retrain import current_model_dir, gate_and_publish
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.inference.signing import load_public_key, new_key_pair, verify_package

SPLITS = Path(__file__).resolve().parents[2] / "splits"
LIMIT = 120  # 22 malignant: the operating point needs enough of them to allow a miss


@pytest.fixture
def config(tmp_path: Path) -> tuple[CentralConfig, bytes]:
    config = CentralConfig(home=tmp_path / "central", retrain_threshold=1)
    private_pem, public_pem = new_key_pair()
    config.signing_key_path.parent.mkdir(parents=True)
    config.signing_key_path.write_bytes(private_pem)
    return config, public_pem


def hide_melanoma(manifest: dict[str, Any]) -> None:
    """A candidate that all but ignores melanoma: its malignant probability comes from bcc and akiec only,
    so melanomas rank among the benign lesions (a shift of every class at once would rank as before)."""
    manifest["calibration"]["logit_adjustment"][CLASS_CODES.index("mel")] -= 8.0


def test_an_equal_candidate_is_published_and_a_worse_one_held_back(config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    central, public_pem = config
    assert current_model_dir(central) == default_package_dir()
    good = small_package(tmp_path / "good", NEXT)
    decision = gate_and_publish(central, good, default_package_dir(), HAM, SPLITS / "test.csv", limit=LIMIT)
    assert decision.published and "no worse, published" in decision.reason
    assert decision.candidate["benign_referred_at_target"] == decision.current["benign_referred_at_target"]
    assert "benign lesions referred when 95% of the malignant ones are" in decision.reason
    published = central.models_dir / f"dermdesk-lesion-{NEXT}"
    package = verify_package(published, load_public_key(public_pem))
    assert package.manifest.extra("central_comparison")["decision"] == decision.reason
    assert "comparison with the model in use" in (published / "model-card.md").read_text(encoding="utf-8")
    assert current_model_dir(central) == published

    worse = small_package(tmp_path / "worse", AFTER_NEXT, hide_melanoma)
    held = gate_and_publish(central, worse, current_model_dir(central), HAM, SPLITS / "test.csv", limit=LIMIT)
    assert not held.published and "held back" in held.reason
    assert held.candidate["benign_referred_at_target"] > held.current["benign_referred_at_target"]
    assert store.latest_model(store.open_engine(central.url))["version"] == NEXT
    assert not (central.models_dir / f"dermdesk-lesion-{AFTER_NEXT}").exists()
    assert load_package(worse).manifest.extra("central_comparison")["decision"] == held.reason
