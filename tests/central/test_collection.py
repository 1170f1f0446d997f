"""The received cases as a HAM10000-layout collection the training code reads, and the retraining count:
the API records one queued retraining at the threshold and never trains itself."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import requests
from sync.servers import LiveServer

from dermdesk.central import jobs, store
from dermdesk.central.app import create_app
from dermdesk.central.config import CentralConfig
from dermdesk.central.publish import export_collection
from dermdesk.training.dataset import load_cases


def case_body(n: int, dx: str | None) -> bytes:
    pixels = np.full((40, 48, 3), n * 10 % 255, np.uint8)
    png = cv2.imencode(".png", pixels)[1].tobytes()
    meta = {
        "schema_version": 1,
        "patient_id": "patient_" + hashlib.md5(str(n).encode()).hexdigest(),
        "lesion_id": "lesion_" + hashlib.md5(str(n).encode()).hexdigest(),
        "age_approx": 45,
        "sex": "male",
        "anatom_site_general": "posterior torso",
        "diagnosis": dx,
        "diagnosis_confirm_type": "histopathology" if dx else None,
        "image_type": "dermoscopic",
        "dermoscopic_type": "contact polarized",
        "clin_size_long_diam_mm": None,
        "prediction": None,
        "model_name": None,
        "model_version": None,
        "image_sha256": hashlib.sha256(png).hexdigest(),
    }
    return json.dumps({"metadata": meta, "image_png": base64.b64encode(png).decode()}).encode()


@pytest.fixture
def config(tmp_path: Path) -> CentralConfig:
    return CentralConfig(home=tmp_path / "central", retrain_threshold=3)


def queued_retrainings(config: CentralConfig) -> list[dict[str, object]]:
    return [j for j in jobs.recent(jobs.open_engine(config.url)) if j["state"] == jobs.QUEUED]


def test_cases_become_a_training_collection_and_the_threshold_queues_one_retraining(
    config: CentralConfig, tmp_path: Path
) -> None:
    app = create_app(config)
    token = store.add_device(app.state.engine, "station")
    server = LiveServer(app).start()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for n, dx in enumerate(["mel", "nv", None, "bcc"]):
        response = requests.post(
            server.url + "/v1/cases",
            timeout=5,
            data=case_body(n, dx),
            headers={**headers, "Idempotency-Key": f"key-{n:020d}"},
        )
        assert response.status_code == 201, response.text
        assert len(queued_retrainings(config)) == (1 if n >= 3 else 0)  # the third labelled case: due
    replay = requests.post(
        server.url + "/v1/cases",
        timeout=5,
        data=case_body(3, "bcc"),
        headers={**headers, "Idempotency-Key": f"key-{3:020d}"},
    )
    assert replay.status_code == 200 and replay.json()["replayed"] is True
    server.stop()
    assert len(queued_retrainings(config)) == 1  # recorded once; the replay did not count again
    assert store.new_labelled_cases(app.state.engine) == 3  # nothing trained in the API
    out = tmp_path / "collection"
    assert export_collection(config, out) == 3
    cases, missing = load_cases(out)
    assert missing == 0 and sorted(c.dx for c in cases) == ["bcc", "mel", "nv"]
    assert all(c.image_path.is_file() and c.localization == "back" and c.dx_type == "histo" for c in cases)
