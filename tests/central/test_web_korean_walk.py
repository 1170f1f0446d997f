"""Every dermatologist's page in Korean, in a real browser (Debian's chromium by Selenium) against a real
central service on 127.0.0.1: the header's 한국어 switch, then sign-in (a wrong code, a locked account),
the queue, the case before and after the first impression, the request for more information, the answer,
the amendment, an answer refused by part 1's rules, a refused (forged) form, a 404 and the administrators'
page; and the failure pages and form errors: the session-ended note, an unknown address, a wrong method, an
address with a bad value, a first impression without a diagnosis, an answer without management. Dates read
as Korean writes them (2026년 12월 7일 14:05 UTC). Each page's visible text, titles, options and labels
must hold no untranslated English word: Latin words of 3+ letters are allowed only for names, codes,
units, brands and the demo data's own free text.
"""

from __future__ import annotations

import re

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from central.consult_helpers import picture
from central.test_web_browser import find, sign_in
from central.web_helpers import (
    PASSWORD,
    WebCentre,
)

pytestmark = pytest.mark.slow

ALLOWED = set(
    " ".join(
        (
            # the product, standards and units
            "DermDesk TOTP UTC ISIC min ",
            # the language switch names English in English
            "English ",
            # the model's diagnosis codes shown beside their names, its package's name
            "akiec bcc bkl mel vasc dermdesk lesion ",
            # the people and clinics this walk creates
            "Clinic Hana Seo Out Sider ops ",
        )
    ).split()
)
# free text the clinic and the dermatologist typed (shown as written, never translated)
FREE_TEXT = (
    "Changing naevus on the back; excise or follow?",
    "A closer still of the darker rim, please.",
    "rim note from the clinic",
    "Regular network; benign naevus. Review in 6 months.",
    "Correction: review in 3 months.",
)

VISIBLE = """
const texts = [document.title, document.body.innerText];
const names = ['alt', 'title', 'aria-label', 'placeholder'];
for (const e of document.querySelectorAll('[alt], [title], [aria-label], [placeholder]'))
  for (const a of names) if (e.getAttribute(a)) texts.push(e.getAttribute(a));
for (const o of document.querySelectorAll('option')) texts.push(o.textContent);
for (const b of document.querySelectorAll('button, input[type=submit]')) texts.push(b.textContent || b.value);
return texts.join('\\n');
"""


# a moment as the Korean pages write it: 2026년 12월 7일 14:05 UTC
KOREAN_MOMENT = re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} UTC")


def english_words(text: str) -> list[str]:
    """The Latin words of 3+ letters in `text` that are not names, codes, units or typed free text."""
    for typed in FREE_TEXT:
        text = text.replace(typed, " ")
    text = re.sub(r"\bTC-\d+\b|\bKMA-\d+\b", " ", text)  # consult ids, registration numbers
    return [word for word in re.findall(r"[A-Za-z][A-Za-z0-9]{2,}", text) if word not in ALLOWED]


def click_through(browser: WebDriver, how: str, what: str) -> None:
    """Click, then wait until the next page replaced this one (its elements are gone)."""
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(how, what).click()

    def replaced(_: WebDriver) -> bool:
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:  # chromium caught mid-navigation says so in other words
            if "does not belong to the document" in str(exc.msg):
                return True
            raise
        return False

    WebDriverWait(browser, 15).until(replaced)


def test_every_dermatologist_page_reads_in_korean(centre: WebCentre, browser: WebDriver) -> None:
    consult = centre.send(urgency="urgent", question=FREE_TEXT[0])
    wait = WebDriverWait(browser, 15)
    walked: list[str] = []

    def korean(page: str) -> None:
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ko", page
        shown = browser.execute_script(VISIBLE)
        assert re.search(r"[가-힣]", shown), f"{page}: no Korean at all"
        assert english_words(shown) == [], f"{page}: untranslated {english_words(shown)}\n{shown}"
        walked.append(page)

    # the sign-in page, English first (an English browser); the header's switch makes it Korean
    browser.get(centre.url + "/web/queue")
    assert find(browser, By.ID, "language-switch").text == "한국어"
    click_through(browser, By.ID, "language-switch")
    assert "/web/sign-in" in browser.current_url and "next=" in browser.current_url
    korean("sign-in")
    # Hangul is drawn with the bundled NanumGothic, served beside the style sheet (no boxes on a machine
    # without a Korean font)
    assert browser.execute_script(
        "return document.fonts.ready.then(() => [...document.fonts].some("
        "f => f.family.replace(/\"/g, '') === 'NanumGothic' && f.status === 'loaded'))"
    )

    # a wrong code (TOTP), then a locked account: the core's messages in Korean
    page = browser.find_element(By.TAG_NAME, "html")
    sign_in(browser, "000000")
    wait.until(ec.staleness_of(page))
    korean("sign-in, wrong code")
    for _ in range(6):  # five failures lock the account; the sixth try is told until when
        find(browser, By.ID, "login").clear()
        browser.find_element(By.ID, "login").send_keys("KMA-99999")
        browser.find_element(By.ID, "password").send_keys("not the password")
        browser.find_element(By.ID, "code").send_keys("123456")
        click_through(browser, By.ID, "sign-in")
    assert "UTC" in browser.find_element(By.ID, "error").text
    korean("sign-in, account locked")

    # the failures met outside a page's own code: an unknown address, a wrong method, a bad value
    for address, page in (
        ("/web/no-such-page", "unknown address (404)"),
        ("/web/sign-out", "sign-out opened as a page (405)"),
        ("/web/sign-in?expired=soon", "address with a bad value (400)"),
    ):
        browser.get(centre.url + address)
        find(browser, By.CSS_SELECTOR, "section.message")
        korean(page)
    # the note of a session that ended (where an expired session sends the dermatologist)
    browser.get(centre.url + "/web/sign-in?expired=1")
    assert "세션" in find(browser, By.ID, "note").text
    korean("sign-in, session ended")

    # the queue
    find(browser, By.ID, "password").clear()
    sign_in(browser, centre.code("KMA-12345", steps_ahead=1))
    find(browser, By.ID, "queue")
    korean("queue")
    Select(browser.find_element(By.ID, "filter-state")).select_by_value("all")
    click_through(browser, By.CSS_SELECTOR, ".filters button")
    korean("queue, all states")
    waiting_since = browser.find_element(By.CSS_SELECTOR, "#queue td.nowrap").get_attribute("title")
    assert KOREAN_MOMENT.fullmatch(waiting_since), waiting_since

    # the case before the first impression, then with the model's differential
    find(browser, By.LINK_TEXT, consult).click()
    find(browser, By.ID, "impression-record")
    korean("case before the first impression")
    assert KOREAN_MOMENT.search(browser.find_element(By.CSS_SELECTOR, ".case-head").text)
    # a first impression without a diagnosis (the browser's own check taken away): the page's form error
    browser.execute_script("document.getElementById('impression-diagnosis').removeAttribute('required');")
    click_through(browser, By.ID, "impression-record")
    assert "첫인상" in find(browser, By.ID, "error").text
    korean("first impression without a diagnosis (422)")
    Select(browser.find_element(By.ID, "impression-diagnosis")).select_by_value("nv")
    click_through(browser, By.ID, "impression-record")
    find(browser, By.ID, "differential-table")
    assert browser.find_element(By.ID, "impression").text == "멜라닌세포모반"
    korean("case after the first impression")

    # the request for more information, the clinic's addition
    browser.find_element(By.ID, "more-opinion").send_keys(FREE_TEXT[1])
    click_through(browser, By.ID, "more-send")
    find(browser, By.ID, "flash")
    korean("more information requested")
    added = centre.station_post(
        f"/v1/consults/{consult}/information", {"note": FREE_TEXT[2], "pictures": [picture(9, "uv_365")]}
    )
    assert added.status_code == 201
    browser.get(centre.url + "/web/queue")
    find(browser, By.ID, "queue")
    korean("queue, information added")

    # the answer form, sent
    find(browser, By.LINK_TEXT, consult).click()
    find(browser, By.ID, "answer-send")
    korean("case with the added still")
    # an answer without management (the browser's own check taken away): part 1's reason, in Korean
    browser.execute_script("document.getElementById('answer-management').removeAttribute('required');")
    Select(browser.find_element(By.ID, "answer-diagnosis")).select_by_value("nv")
    browser.find_element(By.ID, "answer-opinion").send_keys(FREE_TEXT[3])
    click_through(browser, By.ID, "answer-send")
    find(browser, By.ID, "error")
    korean("answer without management (422)")
    browser.find_element(By.ID, "answer-opinion").clear()
    Select(browser.find_element(By.ID, "answer-diagnosis")).select_by_value("nv")
    Select(browser.find_element(By.ID, "answer-management")).select_by_value("follow-up")
    browser.find_element(By.ID, "answer-months").send_keys("6")
    browser.find_element(By.ID, "answer-opinion").send_keys(FREE_TEXT[3])
    click_through(browser, By.ID, "answer-send")
    find(browser, By.ID, "amend-send")
    korean("answered, amendment form")
    replies = browser.find_element(By.ID, "replies").text
    assert len(KOREAN_MOMENT.findall(replies)) == 2, replies  # the request for information, the answer

    # the amendment
    Select(browser.find_element(By.ID, "amend-diagnosis")).select_by_value("nv")
    Select(browser.find_element(By.ID, "amend-management")).select_by_value("follow-up")
    browser.find_element(By.ID, "amend-months").send_keys("3")
    browser.find_element(By.ID, "amend-opinion").send_keys(FREE_TEXT[4])
    click_through(browser, By.ID, "amend-send")
    find(browser, By.ID, "flash")
    korean("amendment sent")

    # a second answer to an answered consult: part 1's conflict reason, in Korean
    browser.execute_script(
        "const f = document.querySelector('form[data-draft$=amendment]');"
        "f.querySelector('input[name=kind]').value = 'answer';"
        "f.querySelector('select[name=amends]').remove();"
    )
    Select(browser.find_element(By.ID, "amend-diagnosis")).select_by_value("nv")
    Select(browser.find_element(By.ID, "amend-management")).select_by_value("reassure")
    browser.find_element(By.ID, "amend-opinion").send_keys(FREE_TEXT[4])
    click_through(browser, By.ID, "amend-send")
    find(browser, By.CSS_SELECTOR, "section.message")
    korean("answer refused (answered already)")

    # a forged form (its token changed in the page)
    browser.get(f"{centre.url}/web/consults/{consult}")
    find(browser, By.ID, "amend-send")
    browser.execute_script("document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged');")
    Select(browser.find_element(By.ID, "amend-diagnosis")).select_by_value("mel")
    Select(browser.find_element(By.ID, "amend-management")).select_by_value("excision")
    browser.find_element(By.ID, "amend-opinion").send_keys(FREE_TEXT[4])
    click_through(browser, By.ID, "amend-send")
    find(browser, By.CSS_SELECTOR, "section.message")
    korean("form refused")

    # a consult that is not there
    browser.get(centre.url + "/web/consults/TC-9999999")
    find(browser, By.CSS_SELECTOR, "section.message")
    korean("not found")

    # the administrators' page
    click_through(browser, By.CSS_SELECTOR, "form[action='/web/sign-out'] button")
    find(browser, By.ID, "login").clear()
    browser.find_element(By.ID, "login").send_keys("ops")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "code").send_keys(centre.code("ops"))
    browser.find_element(By.ID, "sign-in").click()
    find(browser, By.ID, "by-clinic")
    korean("statistics")

    assert len(walked) == 22
