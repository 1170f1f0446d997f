"""End to end on loopback, with real `--quick` retrainings in a real `dermdesk-central serve` process and
two clinics' data dirs whose cases are queued and uploaded; the tests make their own key pairs.

1. The centre's current model is a `--quick` model (built once for the module) whose calibration was
   spoilt so that it calls every picture a vascular lesion: a genuinely bad model, whose malignant
   probability is exactly 0.0 for every picture on every CPU, so it ranks nothing. At the
   threshold the centre fine-tunes its weights for two more quick epochs and calibrates the candidate
   afresh; the candidate finds the naevi at least, so it is genuinely better, is signed and published;
   clinic A downloads it, verifies the signature and every checksum, installs and activates it (its
   settings' `model_dir` switches), and `dermdesk classify` predicts with it. The gate compares the two at
   the clinical operating point: to refer 95 % of the malignant lesions the spoilt model must refer every
   benign one too (a shift that left its probabilities above 0 would have kept its ranking, which is all
   the operating point reads).
   The retraining runs as `make model` does, under `torchrun`, here with two processes, started by the
   job runner (`dermdesk-central jobs run`), a process of its own beside the API.
2. The centre's current model is the shipped package: the same quick fine-tuning comes out worse and is
   held back; the clinics are offered nothing and keep their model.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from records.helpers import PASSWORD
from sqlalchemy.engine import Engine
from sync.conftest import PREDICTION, add_patient
from sync.packages import HAM
from sync.servers import free_port

from dermdesk.central import store
from dermdesk.central.config import CentralConfig
from dermdesk.central.retrain import BENIGN_SLACK, next_version
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.package import default_package_dir, load_package, write_manifest
from dermdesk.inference.signing import (
    load_private_key,
    load_public_key,
    new_key_pair,
    sign_package,
    verify_package,
)
from dermdesk.records import Records
from dermdesk.settings import load_settings
from dermdesk.sync.updates import install_update
from dermdesk.sync.uploader import Uploader, make_session

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # a quick model, then retrainings
ROOT = Path(__file__).resolve().parents[2]
SPLITS = ROOT / "splits"
THRESHOLD = 6


@dataclass(frozen=True)
class Central:
    """A running `dermdesk-central serve` process and what a test needs to talk to it."""

    url: str
    home: Path
    engine: Engine
    tokens: list[str]
    public_pem: bytes
    process: subprocess.Popen[bytes]
    runner: subprocess.Popen[bytes]


@contextmanager
def central_service(tmp_path: Path, current_model: Path, processes: int = 1) -> Iterator[Central]:
    """The service with its own key pair, two devices, a retraining threshold of 6 and `--quick`
    retraining on HAM10000 plus the clinics' cases, fine-tuning from `current_model`."""
    home = tmp_path / "central"
    private_pem, public_pem = new_key_pair()
    (home / "keys").mkdir(parents=True)
    (home / "keys" / "signing-key.pem").write_bytes(private_pem)
    engine = store.open_engine(CentralConfig(home=home).url)
    tokens = [store.add_device(engine, name) for name in ("clinic-a", "clinic-b")]
    port = free_port()
    env = {
        **os.environ,
        "DERMDESK_CENTRAL_HOME": str(home),
        "DERMDESK_CENTRAL_RETRAIN_THRESHOLD": str(THRESHOLD),
        "DERMDESK_CENTRAL_BASE_DATA": str(HAM),
        "DERMDESK_CENTRAL_BASE_SPLITS": str(SPLITS),
        "DERMDESK_CENTRAL_BASE_MODEL": str(current_model),
        "DERMDESK_CENTRAL_QUICK": "1",
        "DERMDESK_CENTRAL_TRAINING_PROCESSES": str(processes),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "dermdesk.central.cli", "serve", "--port", str(port)], env=env, cwd=tmp_path
    )
    # the API only records that a retraining is due; the job runner, a process of its own, trains
    runner = subprocess.Popen(
        [sys.executable, "-m", "dermdesk.central.cli", "jobs", "run"], env=env, cwd=tmp_path
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/v1/models/latest", timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and process.poll() is None, "the service did not start"
                time.sleep(0.2)
        yield Central(url, home, engine, tokens, public_pem, process, runner)
    finally:
        for started in (runner, process):
            started.terminate()
            started.wait(30)


def clinic_cases(records: Records, prefix: str, image_ids: list[tuple[str, str]]) -> None:
    """Consented patients, a capture each, and a signed-off histopathology diagnosis each."""
    from records.helpers import Team

    from dermdesk.records import CaptureMetadata, CaptureRequest, NewDiagnosis, NewLesion

    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
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


def use_clinic(monkeypatch: pytest.MonkeyPatch, data: Path, central: Central, token: str) -> dict[str, str]:
    """Point the settings at one clinic's data dir, connected to the centre; the same as an environment."""
    env = {
        "DERMDESK_DATA_DIR": str(data),
        "DERMDESK_CONFIG_DIR": str(data / "config"),
        "DERMDESK_UPLOAD_URL": central.url,
        "DERMDESK_DEVICE_TOKEN": token,
        "DERMDESK_UPDATE_PUBLIC_KEY": central.public_pem.decode(),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def two_clinics_upload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, central: Central) -> None:
    """Three labelled training-split HAM10000 pictures per clinic, queued and uploaded: the threshold."""
    rows = (HAM / "HAM10000_metadata.csv").read_text(encoding="utf-8").splitlines()[1:]
    train_ids = {
        line.split(",")[0] for line in (SPLITS / "train.csv").read_text(encoding="utf-8").splitlines()
    }
    picked = [(r.split(",")[1], r.split(",")[2]) for r in rows if r.split(",")[1] in train_ids]
    per_clinic = THRESHOLD // 2
    for index, clinic in enumerate("AB"):
        use_clinic(monkeypatch, tmp_path / f"clinic-{clinic}", central, central.tokens[index])
        settings = load_settings().settings
        with Records.open(settings) as records:
            clinic_cases(records, f"C{clinic}", picked[index * per_clinic : (index + 1) * per_clinic])
            assert len(Uploader(records, settings).run_once().sent) == per_clinic


def wait_for_retraining(central: Central) -> None:
    deadline = time.monotonic() + 600  # the quick retraining and the gate
    while store.new_labelled_cases(central.engine) and time.monotonic() < deadline:
        assert central.process.poll() is None, "the service stopped"
        assert central.runner.poll() is None, "the job runner stopped"
        time.sleep(2)
    assert store.new_labelled_cases(central.engine) == 0, "the retraining did not finish in time"


@pytest.fixture(scope="module")
def quick_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make_model --quick` from ImageNet weights (1–2 minutes): the centre's current model in test 1.

    With colour constancy, which the candidate fine-tuned from it must inherit."""
    out = tmp_path_factory.mktemp("quick-model")
    built = out / "built"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dermdesk.training.make_model",
            "--quick",
            "--data",
            str(HAM),
            "--splits",
            str(SPLITS),
            "--work",
            str(out / "work"),
            "--out",
            str(built),
            "--version",
            "0.0.1",
            "--colour-constancy",
            "shades_of_grey",
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return spoilt_copy(built / "dermdesk-lesion-0.0.1", out / "dermdesk-lesion-0.0.1")


def spoilt_copy(source: Path, target: Path) -> Path:
    """`source` with its calibration pushed so far towards vascular lesions that every picture is one and
    every other class's probability underflows to 0.0, whatever the temperature."""
    shutil.copytree(source, target)
    manifest = load_package(target).manifest.to_dict()
    manifest["calibration"]["logit_adjustment"][CLASS_CODES.index("vasc")] += (
        1e6  # every other class 0.0 exactly
    )
    write_manifest(target, manifest)
    return target


def test_two_clinics_upload_the_centre_retrains_publishes_and_a_clinic_predicts_with_the_new_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_model: Path
) -> None:
    assert "torch" in load_package(quick_model).manifest.files  # the retraining fine-tunes from it
    with central_service(tmp_path, quick_model, processes=2) as central:
        two_clinics_upload(tmp_path, monkeypatch, central)
        wait_for_retraining(central)

        latest = store.latest_model(central.engine)
        assert latest is not None and latest["version"] == "0.0.2", "the candidate was not published"
        published = central.home / "models" / str(latest["folder"])
        comparison = load_package(published).manifest.extra("central_comparison")
        assert "no worse, published" in comparison["decision"]
        assert comparison["current"]["benign_referred_at_target"] == 1.0  # every benign lesion referred
        assert comparison["candidate"]["benign_referred_at_target"] < 1.0
        assert "(current, 0.0.1)" in comparison["decision"]
        candidate = load_package(published).manifest
        assert candidate.input.colour_constancy == "shades_of_grey"  # the current model's recipe
        assert candidate.extra("training")["config"]["init_weights"] is not None  # fine-tuned, not ImageNet
        assert candidate.extra("training")["processes"] == 2  # trained under torchrun, two processes
        assert "process 1 of 2 (gloo)" in (central.home / "work" / "training.log").read_text(encoding="utf-8")
        assert {c["used_by_model"] for c in store.all_cases(central.engine)} == {"0.0.2"}
        verify_package(published, load_public_key(central.public_pem))  # signed with the centre's key

        env = use_clinic(monkeypatch, tmp_path / "clinic-A", central, central.tokens[0])
        loaded = load_settings()
        assert loaded.settings.model_dir is None  # the shipped model until now
        # Updates only move forward: the clinic runs the centre's current model (0.0.1, signed by the
        # centre), not the shipped 1.0.0, which is newer than this quick round trip's versions.
        current = Path(shutil.copytree(quick_model, tmp_path / "clinic-A-current" / "dermdesk-lesion-0.0.1"))
        sign_package(current, load_private_key((central.home / "keys" / "signing-key.pem").read_bytes()))
        loaded.store.save(loaded.settings.model_copy(update={"model_dir": current}))
        loaded = load_settings()
        result = install_update(loaded.settings, loaded.store, make_session(loaded.settings))
        assert result is not None
        settings, package = result
        assert package.version == "0.0.2" and package.manifest_sha256 == latest["manifest_sha256"]
        assert settings.model_dir == tmp_path / "clinic-A" / "models" / "dermdesk-lesion-0.0.2"
        assert load_settings().settings.model_dir == settings.model_dir  # saved: in use from now on
        verify_package(settings.model_dir, load_public_key(central.public_pem))  # as installed

        picture = HAM / "images" / "ISIC_0024306.jpg"
        classified = subprocess.run(
            [sys.executable, "-m", "dermdesk", "classify", "--json", "--no-tta", str(picture)],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        record = json.loads(classified.stdout.strip().splitlines()[-1])
        assert record["model"]["version"] == "0.0.2"
        assert abs(sum(record["probabilities"].values()) - 1) < 1e-3


def test_two_clinics_upload_the_centre_retrains_and_holds_a_worse_candidate_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The centre's model is the shipped package without its torch weights, so the candidate trains from
    ImageNet for two quick epochs (INT8 calibrated on 32 pictures) and comes out worse. (Fine-tuned from
    1.0.0's weights it came out worse too; from 2.0.0's, two quick epochs leave it as good, and published.)"""
    current = Path(shutil.copytree(default_package_dir(), tmp_path / "current" / default_package_dir().name))
    manifest = load_package(current).manifest.to_dict()
    (current / manifest["files"].pop("torch")).unlink()
    (current / "manifest.sig").unlink(missing_ok=True)
    write_manifest(current, manifest)
    with central_service(tmp_path, current) as central:
        two_clinics_upload(tmp_path, monkeypatch, central)
        wait_for_retraining(central)

        assert store.latest_model(central.engine) is None  # held back: nothing published
        version = next_version(load_package(default_package_dir()).version)
        candidate = load_package(central.home / "work" / "candidates" / f"dermdesk-lesion-{version}")
        comparison = candidate.manifest.extra("central_comparison")
        assert "worse, held back" in comparison["decision"]
        current, candidate_figures = comparison["current"], comparison["candidate"]
        ranks_worse = candidate_figures["benign_referred_at_target"] > current["benign_referred_at_target"]
        burdens_more = candidate_figures["benign_referred"] - current["benign_referred"] > BENIGN_SLACK
        assert ranks_worse or burdens_more  # worse at the operating point, or at its own thresholds
        assert "comparison with the model in use" in (candidate.root / "model-card.md").read_text(
            encoding="utf-8"
        )
        assert {c["used_by_model"] for c in store.all_cases(central.engine)} == {version}
        loaded = load_settings()  # clinic B: offered nothing, keeps the shipped model
        assert install_update(loaded.settings, loaded.store, make_session(loaded.settings)) is None
        assert load_settings().settings.model_dir is None
