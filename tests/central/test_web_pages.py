"""The dermatologists' pages on a real server on 127.0.0.1 (SQLite file), driven over HTTP as a browser
would: sign-in with TOTP, CSRF on every form, clinics that are not yours are 404, the differential after a
first impression, replies through part 1's rules, limits on text, escaping, expiry and the audit."""

from __future__ import annotations

import gettext
import re
from dataclasses import replace
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import update
from sync.servers import LiveServer

from central.consult_helpers import picture
from central.web_helpers import (
    WebCentre,
    WebClient,
    start_centre,
)
from dermdesk.central import audit, consult_store, store
from dermdesk.central.app import create_app
from dermdesk.central.web.sessions import web_sessions


@pytest.fixture
def doctor(centre: WebCentre) -> WebClient:
    client = WebClient(centre)
    response = client.sign_in("KMA-12345")
    assert response.status_code == 303 and response.headers["location"] == "/web/queue"
    return client


def actions(centre: WebCentre) -> list[str]:
    return [e["action"] for e in audit.entries(centre.engine)]


def test_the_session_cookie_is_secure_httponly_and_strict_and_pages_forbid_framing(centre: WebCentre) -> None:
    client = WebClient(centre)
    page = client.get("/web/sign-in")
    cookie = page.headers["set-cookie"].lower()
    assert (
        "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie and "path=/web" in cookie
    )
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    signed = client.post(
        "/web/sign-in",
        {"login": "KMA-12345", "password": "correct horse battery staple", "code": centre.code("KMA-12345")},
    )
    assert signed.status_code == 303
    assert "secure" in signed.headers["set-cookie"].lower()
    assert client.get("/web/queue").status_code == 200
    assert WebClient(centre).get("/web/queue").headers["location"].startswith("/web/sign-in?next=")


def test_wrong_replayed_and_expired_codes_are_refused_on_the_page(centre: WebCentre) -> None:
    client = WebClient(centre)
    code = centre.code("KMA-12345")
    assert client.sign_in("KMA-12345", code).status_code == 303
    other = WebClient(centre)
    replay = other.sign_in("KMA-12345", code)
    assert replay.status_code == 401 and "This code was used already" in replay.text
    assert other.get("/web/queue").status_code == 303  # not signed in
    wrong = other.sign_in("KMA-12345", f"{(int(code) + 1) % 1_000_000:06d}")
    assert wrong.status_code == 401 and "Wrong code" in wrong.text
    expired = other.sign_in("KMA-12345", centre.code("KMA-12345", steps_ahead=-4))
    assert expired.status_code == 401 and "expired" in expired.text
    assert 'value="KMA-12345"' in expired.text  # the name stays filled in; password and code do not


def test_forms_without_or_with_a_wrong_csrf_token_are_refused_and_change_nothing(
    centre: WebCentre, doctor: WebClient
) -> None:
    consult = centre.send()
    doctor.get(f"/web/consults/{consult}")
    key = doctor.form_key()
    form = {"kind": "answer", "opinion": "benign", "diagnosis": "nv", "management": "reassure", "key": key}
    for token in (None, "forged-" + "x" * 30, ""):
        refused = doctor.post(f"/web/consults/{consult}/reply", form, csrf=token)
        assert refused.status_code == 403 and "Nothing was saved" in refused.text
    refused = doctor.post(f"/web/consults/{consult}/impression", {"diagnosis": "nv"}, csrf=None)
    assert refused.status_code == 403
    assert doctor.post("/web/sign-out", {}, csrf=None).status_code == 403
    assert "answer given" not in actions(centre) and "first impression recorded" not in actions(centre)
    # a sign-in form with a foreign token is refused as well (login CSRF)
    stranger = WebClient(centre)
    stranger.get("/web/sign-in")
    assert (
        stranger.post(
            "/web/sign-in",
            {
                "login": "KMA-12345",
                "password": "correct horse battery staple",
                "code": centre.code("KMA-12345", 1),
            },
            csrf=doctor.csrf(),
        ).status_code
        == 403
    )
    doctor.get(f"/web/consults/{consult}")
    doctor.post(f"/web/consults/{consult}/reply", form)
    assert "answer given" in actions(centre)


def test_another_clinics_consult_is_not_found_on_every_path(centre: WebCentre, doctor: WebClient) -> None:
    theirs = centre.send(centre.station_b)
    page = doctor.get(f"/web/consults/{theirs}")
    assert page.status_code == 404 and "no such consult" in page.text.lower()
    assert doctor.get("/web/consults/TC-9999999").status_code == 404
    assert doctor.get(f"/web/consults/{theirs}/media/{picture(1)['sha256']}").status_code == 404
    doctor.get("/web/queue")
    assert doctor.post(f"/web/consults/{theirs}/impression", {"diagnosis": "nv"}).status_code == 404
    form = {"kind": "answer", "opinion": "x", "diagnosis": "nv", "management": "reassure", "key": "a" * 32}
    assert doctor.post(f"/web/consults/{theirs}/reply", form).status_code == 404
    assert theirs not in doctor.get("/web/queue?state=all").text
    assert "consult viewed" not in actions(centre)


def test_the_differential_waits_for_a_first_impression_and_every_view_is_audited(
    centre: WebCentre, doctor: WebClient
) -> None:
    consult = centre.send()
    assert consult in doctor.get("/web/queue").text
    before = doctor.get(f"/web/consults/{consult}").text
    assert "Record first impression" in before and "differential-table" not in before
    assert "Melanoma</td>" not in before
    media = doctor.get(f"/web/consults/{consult}/media/{picture(1)['sha256']}")
    assert media.status_code == 200 and media.headers["content-type"] == "image/png"
    assert media.content.startswith(b"\x89PNG")
    recorded = doctor.post(f"/web/consults/{consult}/impression", {"diagnosis": "nv"})
    assert recorded.status_code == 303
    after = doctor.get(f"/web/consults/{consult}").text
    assert (
        "differential-table" in after
        and "Melanoma</td>" in after
        and 'id="impression">Melanocytic naevus' in after
    )
    doctor.post(f"/web/consults/{consult}/impression", {"diagnosis": "mel"})  # a second one: the first stays
    assert 'id="impression">Melanocytic naevus' in doctor.get(f"/web/consults/{consult}").text
    entries = audit.entries(centre.engine)
    assert [e["action"] for e in entries].count("consult viewed") == 3
    assert [e["detail"] for e in entries if e["action"] == "first impression recorded"] == [
        {"diagnosis": "nv"}
    ]
    assert "queue viewed" in [e["action"] for e in entries]


def test_more_information_then_answer_then_amendment_follow_part_one(
    centre: WebCentre, doctor: WebClient
) -> None:
    consult = centre.send()
    doctor.get(f"/web/consults/{consult}")
    asked = doctor.post(
        f"/web/consults/{consult}/reply",
        {"kind": "more information", "opinion": "A closer still, please.", "key": doctor.form_key()[::-1]},
    )
    assert asked.status_code == 303 and "sent=more%20information" in asked.headers["location"]
    assert (
        centre.station_post(
            f"/v1/consults/{consult}/information", {"note": "closer", "pictures": [picture(9)]}
        ).status_code
        == 201
    )
    page = doctor.get(f"/web/consults/{consult}").text
    assert "added later" in page and "Information added by the clinic" in page
    form = {
        "kind": "answer",
        "opinion": "Benign naevus.",
        "diagnosis": "nv",
        "management": "follow-up",
        "follow_up_months": "6",
        "key": doctor.form_key(),
    }
    answered = doctor.post(f"/web/consults/{consult}/reply", form)
    assert answered.status_code == 303
    again = doctor.post(f"/web/consults/{consult}/reply", form)  # a double click: the same key
    assert again.status_code == 303
    other_key = dict(form, key="b" * 32)
    refused = doctor.post(f"/web/consults/{consult}/reply", other_key)
    assert refused.status_code == 409 and "answered already" in refused.text and "amendment" in refused.text
    page = doctor.get(f"/web/consults/{consult}").text
    assert "Amend your answer" in page and "Send answer" not in page
    amended = doctor.post(
        f"/web/consults/{consult}/reply",
        {
            "kind": "amendment",
            "amends": "2",
            "opinion": "On review: dysplastic; excise.",
            "diagnosis": "mel",
            "management": "excision",
            "key": doctor.form_key(),
        },
    )
    assert amended.status_code == 303 and "version=3" in amended.headers["location"]
    status = consult_store.status(centre.engine, 1, 1, consult)
    assert [(a.version, a.kind) for a in status.answers] == [
        (1, "more information"),
        (2, "answer"),
        (3, "amendment"),
    ]


def test_a_cancelled_consult_cannot_be_answered_and_says_why(centre: WebCentre, doctor: WebClient) -> None:
    consult = centre.send()
    doctor.get(f"/web/consults/{consult}")
    key = doctor.form_key()
    assert centre.station_post(f"/v1/consults/{consult}/cancel", {}).status_code == 200
    refused = doctor.post(
        f"/web/consults/{consult}/reply",
        {"kind": "answer", "opinion": "benign", "diagnosis": "nv", "management": "reassure", "key": key},
    )
    assert refused.status_code == 409 and "cancelled by the clinic" in refused.text
    page = doctor.get(f"/web/consults/{consult}").text
    assert "cancelled this consult; no reply can be sent" in page and "Send answer" not in page


def test_huge_texts_meet_a_clear_limit_and_the_text_is_kept(centre: WebCentre, doctor: WebClient) -> None:
    consult = centre.send()
    doctor.get(f"/web/consults/{consult}")
    long = "Seborrhoeic keratosis features. " * 150  # 4800 characters
    form = {
        "kind": "answer",
        "opinion": long,
        "diagnosis": "bkl",
        "management": "reassure",
        "key": doctor.form_key(),
    }
    refused = doctor.post(f"/web/consults/{consult}/reply", form)
    assert refused.status_code == 422 and "the limit is 4000" in refused.text
    assert long.strip() in refused.text  # re-rendered in the form, nothing lost
    unfinished = doctor.post(f"/web/consults/{consult}/reply", dict(form, opinion="Benign.", management=""))
    assert unfinished.status_code == 422 and "an answer needs a management" in unfinished.text
    months = doctor.post(
        f"/web/consults/{consult}/reply", dict(form, opinion="Benign.", management="follow-up")
    )
    assert (
        months.status_code == 422
        and "follow-up (and only follow-up) needs the number of months" in months.text
    )
    assert "Benign." in months.text  # the draft is in the form again
    huge = dict(form, opinion="x" * 500_000)
    too_big = doctor.post(f"/web/consults/{consult}/reply", huge)
    assert too_big.status_code == 413 and "4000 characters" in too_big.text
    assert "answer given" not in actions(centre)


def test_free_text_is_escaped(centre: WebCentre, doctor: WebClient) -> None:
    consult = centre.send(question="Is this <script>alert('x')</script> benign? <b>bold</b>")
    page = doctor.get(f"/web/consults/{consult}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page


def test_an_expired_session_mid_answer_asks_to_sign_in_and_stores_nothing(
    centre: WebCentre, doctor: WebClient
) -> None:
    consult = centre.send()
    doctor.get(f"/web/consults/{consult}")
    form = {
        "kind": "answer",
        "opinion": "Benign.",
        "diagnosis": "nv",
        "management": "reassure",
        "key": doctor.form_key(),
    }
    with centre.engine.begin() as conn:
        conn.execute(update(web_sessions).values(expires_at=store.utcnow() - timedelta(seconds=1)))
    sent = doctor.post(f"/web/consults/{consult}/reply", form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/web/sign-in?next=%2Fweb%2Fconsults%2F{consult}&expired=1"
    assert "answer given" not in actions(centre)
    page = doctor.get(sent.headers["location"])
    assert "Your session ended" in page.text and "draft is kept in this browser" in page.text
    again = doctor.post(
        "/web/sign-in",
        {
            "login": "KMA-12345",
            "password": "correct horse battery staple",
            "code": centre.code("KMA-12345", 1),
            "next": f"/web/consults/{consult}",
        },
    )
    assert again.headers["location"] == f"/web/consults/{consult}"
    assert doctor.get("/web/sign-in?next=//evil.example/").headers["location"] == "/web/queue"


def test_the_queue_sorts_by_urgency_then_waiting_and_filters(centre: WebCentre, doctor: WebClient) -> None:
    routine = centre.send(urgency="routine")
    urgent_old = centre.send(urgency="urgent")
    soon = centre.send(urgency="soon")
    urgent_new = centre.send(urgency="urgent")
    centre.send(centre.station_b, urgency="urgent")  # another clinic's: never listed
    html = doctor.get("/web/queue").text
    order = [html.index(f">{c}<") for c in (urgent_old, urgent_new, soon, routine)]
    assert order == sorted(order)
    doctor.get(f"/web/consults/{soon}")
    doctor.post(
        f"/web/consults/{soon}/reply",
        {"kind": "more information", "opinion": "closer", "key": doctor.form_key()[::-1]},
    )
    assert soon not in doctor.get("/web/queue").text  # waiting for the clinic, not for a dermatologist
    assert soon in doctor.get("/web/queue?state=more+information+requested").text
    assert routine not in doctor.get("/web/queue?state=more+information+requested").text
    assert routine in doctor.get("/web/queue?clinic=1").text
    assert "No consults here" in doctor.get("/web/queue?clinic=2").text  # not theirs: nothing, not an error


def test_administrators_see_figures_and_escalated_consults_first(
    centre: WebCentre, doctor: WebClient
) -> None:
    late = centre.send(urgency="urgent")
    answered = centre.send(urgency="routine")
    with centre.engine.begin() as conn:
        conn.execute(update(consult_store.consults).values(created_at=store.utcnow() - timedelta(hours=6)))
    doctor.get(f"/web/consults/{answered}")
    doctor.post(
        f"/web/consults/{answered}/reply",
        {
            "kind": "answer",
            "opinion": "Benign.",
            "diagnosis": "nv",
            "management": "reassure",
            "key": doctor.form_key(),
        },
    )
    assert doctor.get("/web/admin").status_code == 404  # a dermatologist is no administrator
    ops = WebClient(centre)
    assert ops.sign_in("ops").headers["location"] == "/web/admin"
    page = ops.get("/web/admin").text
    assert page.index("Escalated consults") < page.index("By clinic") and late in page
    assert 'id="open-total">1<' in page and 'id="median">6.0 h<' in page
    assert "Dr Hana Seo" in page
    assert ops.get("/web/queue").status_code == 404
    assert "statistics viewed" in actions(centre)


def test_two_api_workers_share_the_sessions_on_sqlite_and_postgresql(
    tmp_path: Path, database_url: str | None
) -> None:
    """Sessions live in the database: a second worker over the same database knows a session the first
    started, and a sign-out on one ends it on both."""
    centre = start_centre(tmp_path / "central", database_url)
    second = LiveServer(create_app(centre.config)).start()
    try:
        first = WebClient(centre)
        assert first.sign_in("KMA-12345").status_code == 303
        consult = centre.send(urgency="urgent")
        other = WebClient(replace(centre, url=second.url))
        other.cookie = first.cookie
        assert consult in other.get("/web/queue").text
        other.get(f"/web/consults/{consult}")
        form = {
            "kind": "answer",
            "opinion": "Benign.",
            "diagnosis": "nv",
            "management": "reassure",
            "key": other.form_key(),
        }
        assert other.post(f"/web/consults/{consult}/reply", form).status_code == 303
        assert "answer given" in actions(centre)
        first.get("/web/queue")
        assert first.post("/web/sign-out", {}).headers["location"] == "/web/sign-in"
        assert other.get("/web/queue").headers["location"].startswith("/web/sign-in")
    finally:
        second.stop()
        centre.server.stop()
        centre.engine.dispose()


MARK = re.compile(r"⟦[^⟧]*⟧")


class Marked(gettext.NullTranslations):
    """Every message wrapped in ⟦ ⟧, so a string that bypassed gettext shows up unwrapped."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


class Visible(HTMLParser):
    """The text a person sees: text nodes outside script, style and textarea (the user's own text), and
    alt, title, aria-label and placeholder values."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style", "textarea")
        self.texts += [v for k, v in attrs if k in ("alt", "title", "aria-label", "placeholder") and v]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style", "textarea")

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def test_every_visible_string_of_the_pages_goes_through_gettext(
    centre: WebCentre, doctor: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dermdesk.central.web import pages, render

    monkeypatch.setattr(render, "translations", lambda language: Marked())
    monkeypatch.setattr(pages, "translations", lambda language: Marked())
    # clinical words come from the glossary (translated there): marked the same way
    monkeypatch.setattr(render, "clinical", lambda kind, value, language: f"⟦{value}⟧")
    render.environment.cache_clear()
    try:
        consult = centre.send(urgency="urgent")
        theirs = centre.send(centre.station_b)
        data = {
            consult,
            theirs,
            "Clinic A",
            "Clinic B",
            "Dr Hana Seo",
            "ops",
            "Changing naevus on the back; excise or follow?",
            "한국어",  # the language switch names each language in itself, never translated
            "English",
        }
        seen = [doctor.get("/web/queue").text, doctor.get(f"/web/consults/{consult}").text]
        doctor.post(f"/web/consults/{consult}/impression", {"diagnosis": "nv"})
        seen.append(doctor.get(f"/web/consults/{consult}?sent=impression").text)
        doctor.post(
            f"/web/consults/{consult}/reply",
            {"kind": "more information", "opinion": "x" * 4100, "key": "c" * 32},
        )
        seen += [doctor.last_html, doctor.get(f"/web/consults/{theirs}").text]
        seen.append(doctor.post(f"/web/consults/{consult}/reply", {}, csrf=None).text)
        ops = WebClient(centre)
        seen.append(ops.get("/web/sign-in?expired=1").text)
        seen.append(
            ops.post("/web/sign-in", {"login": "ops", "password": "wrong password!", "code": "000000"}).text
        )
        ops.sign_in("ops", centre.code("ops", 1))
        seen.append(ops.get("/web/admin").text)
        # the failure pages met outside a page's own code: unknown address, wrong method, bad value
        seen += [ops.get(path).text for path in ("/web/nowhere", "/web/sign-out", "/web/sign-in?expired=x")]
        for html in seen:
            parser = Visible()
            parser.feed(html)
            for text in parser.texts:
                rest = MARK.sub("", text)
                for value in data:
                    rest = rest.replace(value, "")
                rest = re.sub(
                    r"TC-\d{7}|\d{4}-\d\d-\d\d \d\d:\d\d UTC|\((akiec|bcc|bkl|df|mel|nv|vasc)\)|"
                    r"dermdesk-lesion|\d+(\.\d+)?",
                    "",
                    rest,
                )
                assert re.fullmatch(r"[\s%·,:.()+−–/-]*", rest), f"not marked for translation: {text[:80]!r}"
    finally:
        render.environment.cache_clear()


def test_the_header_switches_the_language_and_the_choice_outlives_the_session(
    centre: WebCentre, doctor: WebClient
) -> None:
    consult = centre.send(urgency="urgent")
    doctor.accept_language = "en-GB,en;q=0.9"
    queue = doctor.get("/web/queue").text
    assert '<html lang="en">' in queue and ">한국어</a>" in queue and "Consults" in queue
    switched = doctor.get("/web/language?to=ko&next=%2Fweb%2Fqueue%3Fstate%3Dall")
    assert switched.status_code == 303 and switched.headers["location"] == "/web/queue?state=all"
    cookie = switched.headers["set-cookie"]
    assert "dd_language=ko" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    korean = doctor.get("/web/queue?state=all").text
    assert '<html lang="ko">' in korean and ">English</a>" in korean
    assert "긴급" in korean  # the glossary's urgency term
    case = doctor.get(f"/web/consults/{consult}").text
    assert "질문" in case and "Question" not in case
    # the choice beats the browser's language and survives signing out and in again
    doctor.post("/web/sign-out", {})
    assert '<html lang="ko">' in doctor.get("/web/sign-in").text
    # an unknown language or a foreign target changes nothing and goes nowhere else
    odd = doctor.get("/web/language?to=xx&next=https%3A%2F%2Fevil.example%2F")
    assert odd.status_code == 303 and odd.headers["location"] == "/web/" and "set-cookie" not in odd.headers
    doctor.get("/web/language?to=en&next=%2Fweb%2Fsign-in")
    assert '<html lang="en">' in doctor.get("/web/sign-in").text


def test_a_korean_browser_gets_korean_pages_and_core_messages_in_korean(centre: WebCentre) -> None:
    client = WebClient(centre)
    client.accept_language = "ko-KR,ko;q=0.9,en;q=0.5"
    page = client.get("/web/sign-in").text
    assert '<html lang="ko">' in page and "로그인" in page
    refused = client.post("/web/sign-in", {"login": "KMA-12345", "password": "wrong password!", "code": "1"})
    assert refused.status_code == 401 and "Wrong name" not in refused.text
    for _ in range(5):
        client.post("/web/sign-in", {"login": "KMA-12345", "password": "wrong password!", "code": "1"})
    locked = client.last_html
    assert "locked" not in locked and "UTC" in locked and "5" in locked


def test_the_hangul_font_is_served_without_the_tables_browsers_refuse(centre: WebCentre) -> None:
    import struct

    import requests

    from dermdesk.resources import resource_path

    def tables(font: bytes) -> dict[bytes, bytes]:
        count = struct.unpack_from(">H", font, 4)[0]
        records = [struct.unpack_from(">4sIII", font, 12 + 16 * i) for i in range(count)]
        return {tag: font[offset : offset + length] for tag, _, offset, length in records}

    shipped = tables((resource_path("fonts") / "NanumGothic.ttf").read_bytes())
    assert shipped[b"TSI3"] == b""  # what OTS refuses ("TSI3: zero-length table")
    response = requests.get(centre.url + "/web/static/NanumGothic.ttf", timeout=10)
    assert response.status_code == 200 and response.headers["content-type"] == "font/ttf"
    served = tables(response.content)
    assert not [tag for tag in served if tag.startswith(b"TSI") or not served[tag]]
    assert {tag: data for tag, data in shipped.items() if not tag.startswith(b"TSI")} == served
