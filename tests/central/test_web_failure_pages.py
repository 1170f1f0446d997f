"""Failures met outside a page's own code, answered on /web as a page in the reader's language (a real
service on 127.0.0.1, a real SQLite file), while the API keeps its JSON; and the pages' dates per language."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import requests

from central.web_helpers import WebCentre, WebClient
from dermdesk.central.web.render import when

KOREAN = "ko-KR,ko;q=0.9,en;q=0.5"


def test_unknown_addresses_wrong_methods_and_bad_values_are_pages_in_the_readers_language(
    centre: WebCentre,
) -> None:
    korean = WebClient(centre)
    korean.accept_language = KOREAN
    english = WebClient(centre)

    missing = korean.get("/web/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert '<html lang="ko">' in missing.text and "그런 페이지가 없습니다." in missing.text
    assert "frame-ancestors 'none'" in missing.headers["content-security-policy"]  # as every page
    assert "There is no such page." in english.get("/web/no-such-page").text

    wrong_method = korean.get("/web/sign-out")  # a form's address typed in
    assert wrong_method.status_code == 405 and "이 페이지는 그렇게 열 수 없습니다." in wrong_method.text
    bad_value = korean.get("/web/sign-in?expired=soon")
    assert bad_value.status_code == 400 and "주소를 이해할 수 없음" in bad_value.text
    assert "Address not understood" in english.get("/web/sign-in?expired=soon").text

    # the API's answers are protocol: the same status and JSON as before, in English
    api = requests.get(centre.url + "/v1/no-such-thing", headers={"Accept-Language": KOREAN}, timeout=10)
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    wrong = requests.get(centre.url + "/v1/cases", headers={"Accept-Language": KOREAN}, timeout=10)
    assert wrong.status_code == 405 and wrong.json() == {"detail": "Method Not Allowed"}
    bad = requests.get(
        centre.url + "/v1/consults/TC-0000001",
        headers={"Authorization": f"Bearer {centre.station_a}", "Accept-Language": KOREAN},
        timeout=10,
    )
    assert bad.status_code == 404 and isinstance(bad.json()["detail"], str)
    assert not any("\uac00" <= c <= "\ud7a3" for c in bad.text)


def test_a_busy_database_is_a_page_that_keeps_the_draft_and_the_api_still_says_503(centre: WebCentre) -> None:
    korean = WebClient(centre)
    korean.accept_language = KOREAN
    database = centre.config.home / "central.sqlite"
    assert database.is_file()
    holder = sqlite3.connect(database, timeout=1, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another writer holds the database past the busy timeout
        busy = korean.get("/web/sign-in")  # a sign-in page starts a session: a write
        assert busy.status_code == 503 and '<html lang="ko">' in busy.text
        assert "아무것도 저장되지 않았습니다" in busy.text and "초안은 이 브라우저에 보관됩니다" in busy.text
        upload = requests.post(
            centre.url + "/v1/cases",
            headers={"Authorization": f"Bearer {centre.station_a}", "Idempotency-Key": "k" * 32},
            data=b"{}",
            timeout=30,
        )
        assert upload.status_code in (400, 422, 503)  # never a page: the station reads JSON
        assert upload.headers["content-type"] == "application/json"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert korean.get("/web/sign-in").status_code == 200  # and the page works again


def test_dates_are_utc_in_each_languages_form() -> None:
    moment = datetime(2026, 12, 7, 14, 5, 9)
    assert when(moment, "en") == "2026-12-07 14:05 UTC"
    assert when(moment, "ko") == "2026년 12월 7일 14:05 UTC"
    seoul = datetime(2026, 12, 7, 23, 5, tzinfo=timezone(timedelta(hours=9)))
    assert when(seoul, "ko") == "2026년 12월 7일 14:05 UTC" and when(seoul, "en") == "2026-12-07 14:05 UTC"
    assert when("2026-01-02T03:04:05+00:00", "ko") == "2026년 1월 2일 03:04 UTC"
    assert when(datetime(2026, 1, 2, 3, 4, tzinfo=UTC), "en") == "2026-01-02 03:04 UTC"
    assert when(None, "ko") == ""
