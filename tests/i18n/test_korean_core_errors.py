"""The core's refusals in Korean (issue 27), each from the real thing with the screen set to Korean: a
model download from a real HTTP server on 127.0.0.1 that stops short, the upload refusing to start
without a device token, a DICOM import of a file that is not DICOM, an unplugged camera, a tampered model
package, a settings value the station does not know, a live frame too dark to classify."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import requests

from dermdesk.capture.frames import CameraError
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from dermdesk.i18n import set_language
from dermdesk.inference.live import quality_verdict
from dermdesk.inference.package import ModelPackageError, default_package_dir, load_package
from dermdesk.interop.dicom_import import DicomImportError, read_still
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.updates import UpdateError, _download
from dermdesk.sync.uploader import UploadError, make_session
from dermdesk.tasks import TaskCancelledError


@pytest.fixture(autouse=True)
def korean() -> Iterator[None]:
    set_language("ko")
    yield
    set_language("en")


class ShortFile(BaseHTTPRequestHandler):
    """Announces 100 bytes of a model file and sends 10."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "10")
        self.end_headers()
        self.wfile.write(b"0123456789")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def short_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ShortFile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_model_file_that_arrives_short_is_refused_in_korean(short_server: str, tmp_path: Path) -> None:
    with requests.Session() as session, pytest.raises(UpdateError) as refused:
        _download(session, f"{short_server}/model-int8.bin", tmp_path / "model-int8.bin", 100)
    assert (
        str(refused.value)
        == "모델 파일 model-int8.bin이(가) 완전히 도착하지 않았습니다(100바이트 중 10바이트)."
    )


def test_uploads_without_a_device_token_are_refused_in_korean(tmp_path: Path) -> None:
    settings = DermDeskSettings(data_dir=tmp_path, upload_url="https://central.example", device_token="")
    with pytest.raises(UploadError) as refused:
        make_session(settings)
    assert str(refused.value).startswith("장치 토큰이 설정되어 있지 않습니다(DERMDESK_DEVICE_TOKEN).")


def test_a_file_that_is_not_dicom_is_refused_in_korean(tmp_path: Path) -> None:
    path = tmp_path / "notes.dcm"
    path.write_text("not a DICOM file", encoding="utf-8")
    with pytest.raises(DicomImportError) as refused:
        read_still(path)
    assert "notes.dcm" in str(refused.value) and "DICOM 파일이 아닙니다" in str(refused.value)


def test_an_unplugged_camera_is_said_in_korean() -> None:
    camera = VirtualDermatoscope((160, 120), fps=1000.0)
    camera.open()
    try:
        camera.set_unplugged(True)
        with pytest.raises(CameraError) as refused:
            camera.read()
    finally:
        camera.close()
    assert "연결이 끊겼습니다(모의)" in str(refused.value)


def test_a_tampered_model_package_is_refused_in_korean(tmp_path: Path) -> None:
    package = Path(shutil.copytree(default_package_dir(), tmp_path / "package"))
    weights = package / "model-int8.bin"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelPackageError) as refused:
        load_package(package)
    assert "체크섬과 일치하지 않습니다" in str(refused.value) and "사용하지 않습니다" in str(refused.value)


def test_an_unknown_language_setting_is_refused_in_korean(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="알 수 없는 언어 'fr'"):
        DermDeskSettings(data_dir=tmp_path, language="fr")


def test_a_dark_live_frame_and_a_cancelled_task_are_said_in_korean() -> None:
    dark = np.zeros((240, 320, 3), dtype=np.uint8)
    verdict = quality_verdict(dark, "white")
    assert verdict is not None and verdict.message.startswith("이 프레임에는 실시간 조언이 없습니다 — ")
    assert "더마토스코프" in verdict.message  # the glossary's term (issue 27), not 더모스코프
    assert str(TaskCancelledError()) == "작업이 취소되었습니다."
