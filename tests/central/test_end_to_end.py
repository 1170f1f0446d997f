"""End to end on loopback (one to three minutes: a real `--quick` retraining):
a real `dermdesk-central serve` process whose current model is the shipped package, two clinics' data
dirs, cases queued and uploaded, a `--quick` fine-tuning triggered at the threshold, and the candidate
scored against the current model on held-out images and held back because it is worse; the clinics are
offered nothing and keep their model. (The publish, download, verify, activate and predict chain runs on
a live service in tests/sync/test_updates.py and tests/central/test_retrain_gate.py: a two-epoch
`--quick` candidate is never as good as the model in use, so it cannot show the publishing path here.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from records.helpers import PASSWORD
from sync.conftest import PREDICTION, add_patient
from sync.packages import HAM
from sync.servers import free_port

from dermdesk.central import store
from dermdesk.central.config import CentralConfig
from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.inference.signing import new_key_pair
from dermdesk.records import Records
from dermdesk.settings import load_settings
from dermdesk.sync.updates import install_update
from dermdesk.sync.uploader import Uploader, make_session

pytestmark = [pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def clinic_cases(records: Records, prefix: str, image_ids: list[tuple[str, str]]) -> None:
    from dermdesk.records import CaptureMetadata, CaptureRequest, NewDiagnosis, NewLesion

    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
    from records.helpers import Team

    team = Team(admin, staff, doctor)
    for n, (image_id, dx) in enumerate(image_ids):
        number = f"{prefix}-{n:04d}"
        add_patient(records, team, number)
        records.captures.save(
            staff,
            CaptureRequest(
                record_number=number,
                image=(HAM / "images" / f"{image_id}.jpg").read_bytes(),
                new_lesion=NewLesion("posterior torso"),
                metadata=CaptureMetadata(lighting_mode="white_polarised", polarised=True, contact=True),
                prediction=PREDICTION,
            ),
        )
        records.diagnoses.record(
            doctor, number, "L1", NewDiagnosis("histopathology", dx_code=dx), sign_off_password=PASSWORD
        )


def test_two_clinics_upload_the_centre_retrains_and_holds_a_worse_candidate_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The centre's model is the shipped package: the candidate is fine-tuned from its weights for two
    quick epochs (with INT8 calibrated on 32 pictures) and comes out worse."""
    home = tmp_path / "central"
    private_pem, public_pem = new_key_pair()
    (home / "keys").mkdir(parents=True)
    (home / "keys" / "signing-key.pem").write_bytes(private_pem)
    config = CentralConfig(home=home)
    current = default_package_dir()  # the shipped package (with model.pt) is the centre's current model
    engine = store.open_engine(config.url)
    tokens = [store.add_device(engine, name) for name in ("clinic-a", "clinic-b")]
    port = free_port()
    env = {
        **os.environ,
        "DERMDESK_CENTRAL_HOME": str(home),
        "DERMDESK_CENTRAL_RETRAIN_THRESHOLD": "6",
        "DERMDESK_CENTRAL_BASE_DATA": str(HAM),
        "DERMDESK_CENTRAL_BASE_SPLITS": str(ROOT / "splits"),
        "DERMDESK_CENTRAL_BASE_MODEL": str(current),
        "DERMDESK_CENTRAL_QUICK": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "dermdesk.central.cli", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path / ".",
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/v1/models/latest", timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        rows = (HAM / "HAM10000_metadata.csv").read_text().splitlines()[1:]
        train_ids = {line.split(",")[0] for line in (ROOT / "splits" / "train.csv").read_text().splitlines()}
        picked = [(r.split(",")[1], r.split(",")[2]) for r in rows if r.split(",")[1] in train_ids]
        for clinic, token, cases in (("A", tokens[0], picked[:3]), ("B", tokens[1], picked[3:6])):
            data = tmp_path / f"clinic-{clinic}"
            monkeypatch.setenv("DERMDESK_DATA_DIR", str(data))
            monkeypatch.setenv("DERMDESK_CONFIG_DIR", str(data / "config"))
            monkeypatch.setenv("DERMDESK_UPLOAD_URL", url)
            monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", token)
            monkeypatch.setenv("DERMDESK_UPDATE_PUBLIC_KEY", public_pem.decode())
            settings = load_settings().settings
            with Records.open(settings) as records:
                clinic_cases(records, f"C{clinic}", cases)
                assert len(Uploader(records, settings).run_once().sent) == 3
        deadline = time.monotonic() + 600  # the quick retraining and the gate
        while store.new_labelled_cases(engine) and time.monotonic() < deadline:
            assert server.poll() is None, "the service stopped"
            time.sleep(2)
        assert store.new_labelled_cases(engine) == 0, "the retraining did not finish in time"
        assert store.latest_model(engine) is None  # held back: nothing published
        candidate = load_package(home / "work" / "candidates" / "dermdesk-lesion-1.0.1")
        comparison = candidate.manifest["central_comparison"]
        assert "worse, held back" in comparison["decision"]
        assert comparison["candidate"]["balanced_accuracy"] < comparison["current"]["balanced_accuracy"]
        assert "comparison with the model in use" in (candidate.root / "model-card.md").read_text()
        assert {c["used_by_model"] for c in store.all_cases(engine)} == {"1.0.1"}
        loaded = load_settings()  # clinic B: offered nothing, keeps the shipped model
        assert install_update(loaded.settings, loaded.store, make_session(loaded.settings)) is None
        assert load_settings().settings.model_dir is None
    finally:
        server.terminate()
        server.wait(10)
