"""Part 1's loop, end to end, in a real browser (Debian's chromium by Selenium) against a real central
service on 127.0.0.1: sign-in with password and TOTP (a replayed code refused), the queue, a first
impression, then the model's differential, a request for more information, the station's addition through
the device API, a session that expires mid-answer (the draft comes back after signing in again), the
answer, which the station reads; a forged form is refused."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select, update

from central.consult_helpers import picture
from central.web_helpers import (
    PASSWORD,
    WebCentre,
    WebClient,
)
from dermdesk.central import audit, store
from dermdesk.central.web.accounts import STEP_SECONDS, web_logins
from dermdesk.central.web.sessions import web_sessions
from dermdesk.sync.consult_payload import ConsultStatus

pytestmark = pytest.mark.slow


def sign_in(browser: WebDriver, code: str) -> None:
    browser.find_element(By.ID, "login").clear()
    browser.find_element(By.ID, "login").send_keys("KMA-12345")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "code").send_keys(code)
    browser.find_element(By.ID, "sign-in").click()


def find(browser: WebDriver, how: str, what: str) -> WebElement:
    """The element once its page has loaded (a click that navigates does not wait for the next page)."""
    return WebDriverWait(browser, 15).until(ec.element_to_be_clickable((how, what)))


def text(browser: WebDriver, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def wait_for_a_fresh_code(centre: WebCentre, login: str) -> str:
    """A code newer than the last one accepted: the service takes at most one 30 s step ahead of now."""
    with centre.engine.connect() as conn:
        last = conn.execute(select(web_logins.c.last_totp_step).where(web_logins.c.login == login)).scalar()
    while int(time.time()) // STEP_SECONDS + 1 <= last:
        time.sleep(0.5)
    return centre.code(login, steps_ahead=1)


def test_a_dermatologist_answers_a_consult_in_the_browser(centre: WebCentre, browser: WebDriver) -> None:
    consult = centre.send(urgency="urgent", question="Changing naevus <script>alert(1)</script> on the back?")
    wait = WebDriverWait(browser, 15)

    # a code someone has used already is refused; the next one lets the dermatologist in
    used = centre.code("KMA-12345")
    assert WebClient(centre).sign_in("KMA-12345", used).status_code == 303
    browser.get(centre.url + "/web/queue")
    assert "/web/sign-in" in browser.current_url
    sign_in(browser, used)
    assert "This code was used already" in find(browser, By.ID, "error").text
    browser.find_element(By.ID, "password").clear()
    sign_in(browser, centre.code("KMA-12345", steps_ahead=1))
    find(browser, By.ID, "queue")
    cookie = browser.get_cookie("dd_session")
    assert cookie and cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    # the queue, then the case: the question stays text, the differential waits for a first impression
    find(browser, By.LINK_TEXT, consult).click()
    find(browser, By.ID, "impression-record")
    assert "<script>alert(1)</script>" in text(browser, "question")
    assert not browser.find_elements(By.ID, "differential-table")
    images = browser.find_elements(By.CSS_SELECTOR, ".zoom img")
    assert len(images) == 2 and all(
        browser.execute_script("return arguments[0].naturalWidth", i) for i in images
    )
    browser.find_element(By.CSS_SELECTOR, "[data-zoom=in]").click()
    assert "scale(1.5)" in images[0].get_attribute("style")
    Select(browser.find_element(By.ID, "impression-diagnosis")).select_by_value("nv")
    browser.find_element(By.ID, "impression-record").click()
    table = wait.until(lambda b: b.find_element(By.ID, "differential-table"))
    assert table.text.splitlines()[0].startswith("Melanoma 40")
    assert text(browser, "impression") == "Melanocytic naevus"

    # more information, which the station adds through the device API
    browser.find_element(By.ID, "more-opinion").send_keys("A closer still of the darker rim, please.")
    browser.find_element(By.ID, "more-send").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "flash"), "Request for more information sent"))
    find(browser, By.ID, "state")
    assert text(browser, "state") == "more information requested"
    added = centre.station_post(
        f"/v1/consults/{consult}/information", {"note": "rim", "pictures": [picture(9)]}
    )
    assert added.status_code == 201
    browser.get(centre.url + "/web/queue")
    assert "information added" in browser.find_element(By.ID, "queue").text
    find(browser, By.LINK_TEXT, consult).click()
    find(browser, By.ID, "answer-send")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".zoom img")) == 3

    # the session expires while the answer is typed: after signing in again the draft is back
    opinion = "Symmetric network; the rim is a regular pigment network. Benign naevus; review in 6 months."
    Select(browser.find_element(By.ID, "answer-diagnosis")).select_by_value("nv")
    Select(browser.find_element(By.ID, "answer-management")).select_by_value("follow-up")
    browser.find_element(By.ID, "answer-months").send_keys("6")
    browser.find_element(By.ID, "answer-opinion").send_keys(opinion)
    with centre.engine.begin() as conn:
        conn.execute(update(web_sessions).values(expires_at=store.utcnow() - timedelta(seconds=1)))
    browser.find_element(By.ID, "answer-send").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "note"), "Your session ended"))
    assert "answer given" not in [e["action"] for e in audit.entries(centre.engine)]
    sign_in(browser, wait_for_a_fresh_code(centre, "KMA-12345"))
    wait.until(lambda b: b.current_url.endswith(f"/web/consults/{consult}"))
    assert find(browser, By.CSS_SELECTOR, ".draft-restored").is_displayed()
    assert browser.find_element(By.ID, "answer-opinion").get_attribute("value") == opinion
    assert Select(browser.find_element(By.ID, "answer-management")).first_selected_option.text == "follow-up"
    browser.find_element(By.ID, "answer-send").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "flash"), "Answer sent"))
    assert text(browser, "state") == "answered"
    find(browser, By.ID, "amend-send")

    # a forged form (its token changed in the page) is refused and changes nothing
    browser.execute_script("document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged');")
    browser.find_element(By.ID, "amend-opinion").send_keys("forged amendment")
    Select(browser.find_element(By.ID, "amend-diagnosis")).select_by_value("mel")
    Select(browser.find_element(By.ID, "amend-management")).select_by_value("excision")
    browser.find_element(By.ID, "amend-send").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Form refused"))

    # the station reads the answer; the centre's audit has every step
    response = requests.get(
        f"{centre.url}/v1/consults/{consult}",
        headers={"Authorization": f"Bearer {centre.station_a}"},
        timeout=10,
    )
    status = ConsultStatus.model_validate(response.json())
    assert status.state == "answered"
    assert [(a.kind, a.diagnosis, a.follow_up_months) for a in status.answers] == [
        ("more information", None, None),
        ("answer", "nv", 6),
    ]
    assert status.answers[-1].opinion == opinion and status.answers[-1].specialist_name == "Dr Hana Seo"
    actions = [e["action"] for e in audit.entries(centre.engine)]
    for step in (
        "sign-in refused",
        "signed in",
        "queue viewed",
        "consult viewed",
        "first impression recorded",
        "more information given",
        "information added",
        "answer given",
    ):
        assert step in actions, step
