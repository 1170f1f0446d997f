"""Demo consults on the dermatologists' web pages, and their screenshots — never for a real service.

    python scripts/web_demo.py --out docs/pictures          # seed, screenshot, stop
    python scripts/web_demo.py --serve --port 8765           # seed and keep serving (sign-in printed)
    python scripts/web_demo.py --language ko --out docs      # the same in Korean (header's switch)

Starts a central service on 127.0.0.1 over a fresh temporary folder, adds two clinics, a dermatologist
assigned to both and an administrator (web passwords and TOTP secrets printed), and sends consults the way
a station does (device API): urgent, soon and routine ones, one with more information (a still and a
WebM clip), one answered, one urgent and escalated. The pictures are the virtual dermatoscope's HAM10000
images (CC BY-NC-SA 4.0, resources/CREDITS.md); the second light of a lesion is the same picture re-toned
and the overview photo is made from it: demonstration only. With --out, headless chromium (Selenium,
Debian's chromium-driver) saves the pages at desktop (1366x900) and tablet (820x1180) widths; with
--language ko the browser first uses the header's 한국어 switch, the clinics' free text is Korean too and
the files are named derm-web-…-ko.png.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pyotp
import requests
import uvicorn
from sqlalchemy import update

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "demo web password"
# the clinics' free text in Korean, for the Korean screenshots (free text is shown as typed, never translated)
KOREAN = {
    "New dark lesion on the calf, grown in 2 months. Melanoma?": (
        "종아리의 새로 생긴 짙은 병변, 2개월 사이 커짐. 흑색종?"
    ),
    "Changing naevus on the back, irregular border. Excise or follow?": (
        "등의 변하는 모반, 경계가 불규칙함. 절제할까요, 지켜볼까요?"
    ),
    "Itchy papule on the forearm.": "아래팔의 가려운 구진.",
    "Scaly patch on the cheek for a year.": "1년 된 뺨의 인설성 반.",
    "Stable naevus; reassure?": "변화 없는 모반; 안심시켜도 될까요?",
    "Regular network, no regression. Benign naevus.": "규칙적인 색소망, 퇴행 없음. 양성 모반.",
    "Pink nodule on the shin.": "정강이의 분홍색 결절.",
    "A closer still and a short clip, please.": "더 가까운 사진과 짧은 영상을 부탁드립니다.",
    "Closer still and a 2 s clip.": "더 가까운 사진과 2초 영상.",
    "Atypical network with blue-white veil at 2 o'clock. Excise with 2 mm margins.": (
        "2시 방향에 청백색 베일을 동반한 비전형 색소망. 2 mm 변연으로 절제하세요."
    ),
}
LANGUAGE = "en"


def said(text: str) -> str:
    """The demo's free text in the demo's language."""
    return KOREAN.get(text, text) if LANGUAGE == "ko" else text


PICTURES = REPO / "resources" / "virtual_dermatoscope"


def png(image: np.ndarray) -> dict[str, str]:
    data = cv2.imencode(".png", image)[1].tobytes()
    return {"png_base64": base64.b64encode(data).decode(), "sha256": hashlib.sha256(data).hexdigest()}


def lights(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The picture, a re-toned copy for the second light and a made-up overview photo around it."""
    image = cv2.imread(str(PICTURES / name))
    image = cv2.resize(image, (400, 300), interpolation=cv2.INTER_CUBIC)
    other = cv2.convertScaleAbs(image, alpha=1.15, beta=12)
    canvas = np.full((480, 640, 3), (150, 170, 215), np.uint8)  # skin-coloured background (BGR)
    small = cv2.resize(image, (120, 90))
    canvas[195:285, 260:380] = small
    return image, other, cv2.GaussianBlur(canvas, (7, 7), 0)


def clip(image: np.ndarray) -> dict[str, Any] | None:
    """Two seconds panning over the picture as WebM (VP8), or None where OpenCV cannot write it."""
    folder = Path(tempfile.mkdtemp())
    path = folder / "clip.webm"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"VP80"), 10, (320, 240))
    if not writer.isOpened():
        return None
    for i in range(20):
        writer.write(np.ascontiguousarray(image[i * 2 : i * 2 + 240, i * 3 : i * 3 + 320]))
    writer.release()
    data = path.read_bytes()
    shutil.rmtree(folder)
    return {
        "webm_base64": base64.b64encode(data).decode(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "seconds": 2.0,
    }


def request(name: str, urgency: str, site: str, age: int, question: str, mel: float) -> dict[str, Any]:
    from dermdesk.inference.classes import CLASS_CODES

    polarised, white, overview = lights(name)
    rest = (1 - mel) / (len(CLASS_CODES) - 1)
    probabilities = {c: (mel if c == "mel" else rest) for c in CLASS_CODES}
    probabilities["nv"], probabilities["bkl"] = rest + 0.25, max(0.0, rest - 0.1)
    total = sum(probabilities.values())
    return {
        "schema_version": 1,
        "patient_id": "patient_" + hashlib.md5(name.encode()).hexdigest(),
        "lesion_id": "lesion_" + hashlib.md5(name.encode() + b"l").hexdigest(),
        "age_approx": age,
        "sex": "female" if age % 10 else "male",
        "anatom_site_general": site,
        "research_consent": True,
        "question": said(question),
        "urgency": urgency,
        "history": {
            "duration_weeks": 10,
            "recent_change": True,
            "itch": False,
            "bleeding": False,
            "melanoma_family": True,
            "skin_type": 2,
        },
        "pictures": [
            {"kind": "dermoscopic", "light": "white_polarised", **png(polarised)},
            {"kind": "dermoscopic", "light": "white", **png(white)},
            {"kind": "overview", "light": None, **png(overview)},
        ],
        "prediction": {
            "probabilities": {c: round(p / total, 4) for c, p in probabilities.items()},
            "model_name": "dermdesk-lesion",
            "model_version": "1.2.0",
            "refer": mel > 0.3,
        },
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(home: Path, port: int) -> tuple[str, str, dict[str, str], uvicorn.Server]:
    from dermdesk.central import admin, clinics, consult_store, store
    from dermdesk.central.app import create_app
    from dermdesk.central.config import CentralConfig
    from dermdesk.central.web import accounts

    config = CentralConfig(home=home)
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    engine = store.open_engine(config.url)
    tokens = {}
    for name in ("Seoul Skin Clinic", "Busan Family Practice"):
        clinic = clinics.add_clinic(engine, name)
        tokens[name] = store.add_device(engine, f"{name} station 1")
        clinics.attach_device(engine, store.device_for_token(engine, tokens[name]) or 0, clinic)
    clinics.add_dermatologist(engine, "Dr Hana Seo", "KMA-12345")
    clinics.add_dermatologist(engine, "Dr Min-jun Park", "KMA-23456")
    for reg in ("KMA-12345", "KMA-23456"):
        for clinic_name in tokens:
            clinics.assign(engine, reg, clinic_name)
    admin.add_admin(engine, "ops")
    secrets = {
        who: accounts.enrol(engine, role, who, PASSWORD).secret  # type: ignore[arg-type]
        for role, who in (("dermatologist", "KMA-12345"), ("dermatologist", "KMA-23456"), ("admin", "ops"))
    }

    def send(clinic: str, body: dict[str, Any]) -> str:
        response = requests.post(
            url + "/v1/consults",
            data=json.dumps(body),
            headers={
                "Authorization": f"Bearer {tokens[clinic]}",
                "Idempotency-Key": uuid.uuid4().hex,
                "Content-Type": "application/json",
            },
            timeout=30,
        )
        response.raise_for_status()
        return str(response.json()["consult_id"])

    seoul, busan = tokens
    files = sorted(p.name for p in PICTURES.glob("*.jpg"))
    late = send(
        busan,
        request(
            files[6],
            "urgent",
            "lower extremity",
            65,
            "New dark lesion on the calf, grown in 2 months. Melanoma?",
            0.55,
        ),
    )
    first = send(
        seoul,
        request(
            files[7],
            "urgent",
            "posterior torso",
            45,
            "Changing naevus on the back, irregular border. Excise or follow?",
            0.42,
        ),
    )
    send(seoul, request(files[0], "soon", "upper extremity", 30, "Itchy papule on the forearm.", 0.08))
    send(busan, request(files[12], "routine", "head/neck", 70, "Scaly patch on the cheek for a year.", 0.05))
    answered = send(
        seoul, request(files[1], "routine", "anterior torso", 55, "Stable naevus; reassure?", 0.04)
    )
    person = clinics.dermatologist(engine, 2)  # answers through the store, as the pages and the API do
    from dermdesk.sync.consult_payload import AnswerSubmission

    consult_store.open_for_review(engine, person, answered)
    consult_store.submit_answer(
        engine,
        config.images_dir,
        config.consult_media_dir,
        person,
        answered,
        uuid.uuid4().hex,
        AnswerSubmission(
            kind="answer",
            opinion=said("Regular network, no regression. Benign naevus."),
            diagnosis="nv",
            management="reassure",
        ),
    )
    more = send(seoul, request(files[13], "soon", "lower extremity", 40, "Pink nodule on the shin.", 0.12))
    consult_store.open_for_review(engine, person, more)
    consult_store.submit_answer(
        engine,
        config.images_dir,
        config.consult_media_dir,
        person,
        more,
        uuid.uuid4().hex,
        AnswerSubmission(kind="more information", opinion=said("A closer still and a short clip, please.")),
    )
    still, _, _ = lights(files[13])
    addition: dict[str, Any] = {
        "note": said("Closer still and a 2 s clip."),
        "pictures": [{"kind": "dermoscopic", "light": "white_polarised", **png(still)}],
    }
    made = clip(still)
    if made:
        addition["clip"] = made
    requests.post(
        url + f"/v1/consults/{more}/information",
        data=json.dumps(addition),
        headers={
            "Authorization": f"Bearer {tokens[seoul]}",
            "Idempotency-Key": uuid.uuid4().hex,
            "Content-Type": "application/json",
        },
        timeout=30,
    ).raise_for_status()
    with engine.begin() as conn:  # some waiting: the answered one took 3 h, the late urgent one is escalated
        for name, hours in ((late, 6), (answered, 3.2), (first, 1.5)):
            conn.execute(
                update(consult_store.consults)
                .where(consult_store.consults.c.id == consult_store.parse_name(name))
                .values(created_at=store.utcnow() - timedelta(hours=hours))
            )
    print(f"web pages: {url}/web/sign-in  password: {PASSWORD!r}")
    for who, secret in secrets.items():
        print(f"  {who}: TOTP secret {secret}")
    return first, more, secrets, server


def screenshots(url: str, first: str, more: str, secrets: dict[str, str], out: Path) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from central.browser import chromium
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    out.mkdir(parents=True, exist_ok=True)

    suffix = "-ko" if LANGUAGE == "ko" else ""

    def in_language(driver: Any) -> None:
        """The header's switch, as a dermatologist would use it (kept in a cookie afterwards)."""
        if find(driver, By.TAG_NAME, "html").get_attribute("lang") != LANGUAGE:
            driver.find_element(By.ID, "language-switch").click()
            WebDriverWait(driver, 15).until(
                lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == LANGUAGE
            )

    def sign_in(driver: Any, login: str, step: int) -> None:
        driver.get(url + "/web/sign-in")
        in_language(driver)
        driver.find_element(By.ID, "login").send_keys(login)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "code").send_keys(pyotp.TOTP(secrets[login]).at(time.time() + 30 * step))
        driver.find_element(By.ID, "sign-in").click()

    def find(driver: Any, how: str, what: str) -> Any:
        """The element once the page that has it is loaded (a click that navigates does not wait)."""
        return WebDriverWait(driver, 15).until(ec.element_to_be_clickable((how, what)))

    def shot(driver: Any, name: str, full: bool = False) -> None:
        if full:
            width = driver.get_window_size()["width"]
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, height + 100)
        driver.save_screenshot(str(out / f"derm-web-{name}{suffix}.png"))
        print(out / f"derm-web-{name}{suffix}.png")

    for label, (width, height), login, step in (
        ("desktop", (1366, 900), "KMA-12345", 0),
        ("tablet", (820, 1180), "KMA-23456", 0),
    ):
        driver = chromium(width, height)
        try:
            driver.get(url + "/web/sign-in")
            in_language(driver)
            if label == "desktop":
                shot(driver, "sign-in")
            sign_in(driver, login, step)
            find(driver, By.ID, "queue")
            shot(driver, f"queue-{label}")
            find(driver, By.LINK_TEXT, first).click()
            find(driver, By.ID, "impression-record")
            shot(driver, f"case-before-impression-{label}")
            Select(driver.find_element(By.ID, "impression-diagnosis")).select_by_value("mel")
            driver.find_element(By.ID, "impression-record").click()
            find(driver, By.ID, "differential-table")
            find(driver, By.CSS_SELECTOR, "[data-zoom=in]").click()
            find(driver, By.ID, "answer-opinion").send_keys(
                said("Atypical network with blue-white veil at 2 o'clock. Excise with 2 mm margins.")
            )
            shot(driver, f"case-{label}", full=True)
            if label == "desktop":
                driver.set_window_size(width, height)
                driver.get(f"{url}/web/consults/{more}")
                find(driver, By.ID, "question")
                shot(driver, "case-information-added-desktop", full=True)
                driver.set_window_size(width, height)
                driver.get(f"{url}/web/no-such-page")  # a failure page, in the pages' language
                find(driver, By.CSS_SELECTOR, "section.message")
                shot(driver, "not-found")
        finally:
            driver.quit()
    driver = chromium(1366, 900)
    try:
        sign_in(driver, "ops", 0)
        find(driver, By.ID, "by-clinic")
        shot(driver, "admin-desktop")
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="save screenshots here")
    parser.add_argument("--serve", action="store_true", help="keep serving until Ctrl+C")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--language", choices=("en", "ko"), default="en", help="the pages' language")
    args = parser.parse_args()
    global LANGUAGE
    LANGUAGE = args.language
    home = Path(tempfile.mkdtemp(prefix="dermdesk-web-demo-"))
    port = args.port or free_port()
    first, more, secrets, server = seed(home / "central", port)
    try:
        if args.out:
            screenshots(f"http://127.0.0.1:{port}", first, more, secrets, args.out)
        while args.serve:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.should_exit = True
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
