"""The central service's small holes, each closed: no API description without a token, "Bearer" required,
only known model names, a deeply nested body is a 4xx, a refused case leaves no picture behind, only
published model folders are served, a decompression bomb is refused before decoding; and the station
does not send its token over http:// to another machine."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import requests
from records.helpers import Team
from test_decoding import png_bomb

from dermdesk.central.config import CentralConfig
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.uploader import UploadError, make_session
from sync.servers import LiveServer
from sync.test_uploader import post, valid_body


def images_on_disk(config: CentralConfig) -> list[Path]:
    return (
        sorted(p for p in config.images_dir.rglob("*") if p.is_file()) if config.images_dir.exists() else []
    )


def test_the_api_description_is_not_served(central: LiveServer, device_token: str) -> None:
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert requests.get(central.url + path, timeout=5).status_code == 404
        headers = {"Authorization": f"Bearer {device_token}"}
        assert requests.get(central.url + path, headers=headers, timeout=5).status_code == 404


def test_a_token_without_bearer_is_refused(central: LiveServer, device_token: str) -> None:
    bare = requests.get(central.url + "/v1/models/latest", headers={"Authorization": device_token}, timeout=5)
    assert bare.status_code == 401
    other = requests.get(
        central.url + "/v1/models/latest", headers={"Authorization": f"Basic {device_token}"}, timeout=5
    )
    assert other.status_code == 401
    proper = requests.get(
        central.url + "/v1/models/latest", headers={"Authorization": f"Bearer {device_token}"}, timeout=5
    )
    assert proper.status_code == 404  # authenticated; nothing published yet


def test_only_known_model_names_and_numeric_versions_are_accepted(
    records: Records, team: Team, settings: DermDeskSettings, central: LiveServer, device_token: str
) -> None:
    body: dict[str, Any] = valid_body(records, team, settings)
    for field, value in (("model_name", "anything-at-all"), ("model_version", "latest; drop")):
        changed = {**body, "metadata": {**body["metadata"], field: value}}
        refused = post(central.url, device_token, json.dumps(changed).encode(), key=f"{field:_<20}")
        assert refused.status_code == 422 and field in refused.json()["detail"]
    assert post(central.url, device_token, json.dumps(body).encode(), key="b" * 20).status_code == 201


def test_a_deeply_nested_body_is_a_client_error(central: LiveServer, device_token: str) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    answer = post(central.url, device_token, deep)
    assert answer.status_code == 422 and "nested too deeply" in answer.json()["detail"]


def test_a_refused_case_leaves_no_picture_behind(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    body = valid_body(records, team, settings)
    assert post(central.url, device_token, json.dumps(body).encode(), key="a" * 20).status_code == 201
    kept = images_on_disk(central_config)
    pixels = cv2.imdecode(np.frombuffer(base64.b64decode(body["image_png"]), np.uint8), cv2.IMREAD_COLOR)
    pixels[0, 0] = (pixels[0, 0].astype(int) + 1) % 256
    png = cv2.imencode(".png", pixels)[1].tobytes()
    conflicting = {
        "metadata": {**body["metadata"], "image_sha256": hashlib.sha256(png).hexdigest()},
        "image_png": base64.b64encode(png).decode(),
    }
    answer = post(central.url, device_token, json.dumps(conflicting).encode(), key="a" * 20)
    assert answer.status_code == 409
    assert images_on_disk(central_config) == kept  # the refused case's picture is not kept


def test_a_decompression_bomb_is_refused_before_decoding(
    records: Records, team: Team, settings: DermDeskSettings, central: LiveServer, device_token: str
) -> None:
    body = valid_body(records, team, settings)
    bomb = png_bomb(12_000)  # 144 megapixels in well under a megabyte
    case = {
        "metadata": {**body["metadata"], "image_sha256": hashlib.sha256(bomb).hexdigest()},
        "image_png": base64.b64encode(bomb).decode(),
    }
    answer = post(central.url, device_token, json.dumps(case).encode(), key="c" * 20)
    assert answer.status_code == 422 and "too large" in answer.json()["detail"]


def test_files_of_unpublished_model_folders_are_not_served(
    central: LiveServer, central_config: CentralConfig, device_token: str
) -> None:
    from dermdesk.inference.package import default_package_dir

    staged = central_config.models_dir / "dermdesk-lesion-9.9.9"
    staged.mkdir(parents=True)
    shutil.copyfile(default_package_dir() / "manifest.json", staged / "manifest.json")
    headers = {"Authorization": f"Bearer {device_token}"}
    url = central.url + "/v1/models/dermdesk-lesion/9.9.9/manifest.json"
    assert requests.get(url, headers=headers, timeout=5).status_code == 404


@pytest.mark.parametrize(
    ("url", "allow", "refused"),
    [
        ("http://central.example.org", False, True),
        ("http://192.168.1.20:8443", False, True),
        ("http://127.0.0.1:8000", False, False),
        ("http://localhost:8000", False, False),
        ("http://central.example.org", True, False),
        ("https://central.example.org", False, False),
    ],
)
def test_http_is_refused_for_other_machines_unless_allowed(
    settings: DermDeskSettings, url: str, allow: bool, refused: bool
) -> None:
    configured = settings.with_overrides(upload_url=url, device_token="t", upload_allow_http=allow)
    if refused:
        with pytest.raises(UploadError, match="in clear"):
            make_session(configured)
    else:
        make_session(configured).close()
