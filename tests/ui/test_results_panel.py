"""The results panel on its own: a diagnosis, a refusal, a missing model (no model is run)."""

from __future__ import annotations

import numpy as np
import pytest

from dermdesk.inference.gate import SUITABLE, GateVerdict, lighting_verdict
from dermdesk.inference.live import LiveResult
from dermdesk.inference.live_display import HEATMAP_ALPHA, LiveDisplay, heatmap_rgba
from dermdesk.inference.postprocess import Assessment
from dermdesk.inference.preprocess import CropBox
from dermdesk.ui.analysis.results_panel import DISCLAIMER, TRIAGE_COLOURS, ResultsPanel


def assessment(triage: str, refer: bool) -> Assessment:
    probabilities = {
        "akiec": 0.01,
        "bcc": 0.02,
        "bkl": 0.03,
        "df": 0.01,
        "mel": 0.61,
        "nv": 0.30,
        "vasc": 0.02,
    }
    return Assessment(
        probabilities=probabilities,
        ranking=sorted(probabilities, key=probabilities.__getitem__, reverse=True),
        triage=triage,
        triage_name=triage.replace("_", " ").title(),
        refer=refer,
        referral_reasons=[],
        guidance="Suspected skin cancer (melanoma): refer." if refer else "No referral criterion met.",
    )


def display(verdict: GateVerdict, advice: Assessment | None) -> LiveDisplay:
    crop = CropBox(10, 10, 100)
    return LiveDisplay(LiveResult(1, verdict, advice, advice, crop, None, 5.0, 3), None, None)


@pytest.fixture
def panel(qtbot) -> ResultsPanel:
    widget = ResultsPanel()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_diagnosis_shows_ranked_bars_badge_and_referral(panel: ResultsPanel) -> None:
    panel.show_model({"name": "dermdesk-lesion", "version": "1.0.0", "sha256": "x"})
    panel.show_live(display(SUITABLE, assessment("malignant", refer=True)))
    assert panel.ranking() == ["Melanoma", "Melanocytic naevus", "Benign keratosis"]
    assert panel.live.bars.entries()[0] == ("Melanoma", 0.61)
    assert TRIAGE_COLOURS["malignant"][0] in panel.live.badge.styleSheet()
    assert "Refer to a dermatologist" in panel.live.referral.text()
    assert "Suspected skin cancer" in panel.live.referral.text()
    assert panel.message_text() == ""
    assert panel.model_label.text() == "Model: dermdesk-lesion 1.0.0"
    assert DISCLAIMER == "Decision support, not a diagnosis"


@pytest.mark.parametrize("group", list(TRIAGE_COLOURS))
def test_each_triage_group_has_its_colour(panel: ResultsPanel, group: str) -> None:
    panel.show_live(display(SUITABLE, assessment(group, refer=False)))
    assert TRIAGE_COLOURS[group][0] in panel.live.badge.styleSheet()
    assert "Refer" not in panel.live.referral.text()


def test_a_refused_picture_shows_the_reason_instead_of_a_diagnosis(panel: ResultsPanel) -> None:
    panel.show_live(display(SUITABLE, assessment("benign_mole", refer=False)))
    uv = lighting_verdict("uv_365")
    panel.show_live(display(uv, None))
    assert panel.ranking() == []
    assert panel.message_text() == uv.message
    panel.show_live(display(SUITABLE, assessment("benign_mole", refer=False)))
    assert panel.message_text() == "" and panel.ranking()


def test_a_missing_model_disables_the_toggles(panel: ResultsPanel) -> None:
    panel.show_model_failed("The model could not be loaded: no model package found")
    assert panel.message_text().startswith("The model could not be loaded")
    assert not panel.heatmap_button.isEnabled() and not panel.pause_button.isEnabled()
    assert panel.model_label.text() == "Model: not loaded"


def test_the_heatmap_is_transparent_where_the_model_did_not_look() -> None:
    cam = np.zeros((7, 5, 5), np.float32)
    cam[4, 2, 2] = 3.0  # class 4 looked at the centre only
    rgba = heatmap_rgba(cam, 4, side=50)
    assert rgba.shape == (50, 50, 4) and rgba.dtype == np.uint8
    assert rgba[25, 25, 3] == pytest.approx(HEATMAP_ALPHA * 255, abs=2)
    assert rgba[0, 0, 3] <= 5
