"""One sending pass as the window and the service run it, against the real central service on
127.0.0.1: the sender lock, pausing, the contact record, and each bad input (wrong token, unreachable or
plain-http address, a clock far off, a full disk, the station closing mid-pass) with nothing lost and
nothing sent twice; consent withdrawals listed as removals; the connection test's answers."""

from __future__ import annotations

import errno
import os
from datetime import UTC, datetime, timedelta

import pytest
from records.helpers import Team

from dermdesk import files
from dermdesk.central.config import CentralConfig
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.contact import load_contact, set_paused
from dermdesk.sync.secret import load_or_create_secret
from dermdesk.sync.sender_lock import sender_lock
from dermdesk.sync.station_sender import check_connection, queue_snapshot, send_pass
from dermdesk.sync.uploader import make_session
from sync.conftest import shareable_case, station_settings
from sync.servers import LiveServer, free_port


def fast(settings: DermDeskSettings):  # type: ignore[no-untyped-def]
    return make_session(settings, backoff_factor=0.01, retries=1)


def central_count(config: CentralConfig) -> int:
    from dermdesk.central import store

    return len(store.all_cases(store.open_engine(config.url)))


def test_a_pass_sends_and_notes_the_contact(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    shareable_case(records, team, "DD-001000", 1)
    station = station_settings(settings, central.url, device_token)
    outcome = send_pass(records, station, session_factory=fast)
    assert outcome.report is not None and len(outcome.report.sent) == 1 and outcome.problem is None
    contact = load_contact(station)
    assert contact.last_success is not None and contact.problem is None
    assert contact.clock_offset_s is not None and contact.clock_warning() is None  # same clock
    assert central_count(central_config) == 1
    empty = send_pass(records, station, session_factory=fast)  # nothing queued: the centre is probed
    assert empty.problem is None and load_contact(station).last_success >= contact.last_success  # type: ignore[operator]


def test_only_one_sender_at_a_time_and_a_pause_holds_both(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    shareable_case(records, team, "DD-001100", 1)
    station = station_settings(settings, central.url, device_token)
    with sender_lock(station):  # the service (or the window) is sending
        outcome = send_pass(records, station, session_factory=fast)
    assert outcome.skipped and outcome.report is None and "Another sender" in outcome.notes[0]
    assert records.outbox.counts()["queued"] == 1 and central_count(central_config) == 0
    set_paused(station, True)
    paused = send_pass(records, station, session_factory=fast)
    assert paused.skipped and "paused" in paused.notes[0] and central_count(central_config) == 0
    set_paused(station, False)
    assert send_pass(records, station, session_factory=fast).report.sent  # type: ignore[union-attr]
    assert central_count(central_config) == 1


def test_a_wrong_token_is_named_and_every_case_stays(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
) -> None:
    shareable_case(records, team, "DD-001200", 1)
    station = station_settings(settings, central.url, "not-this-stations-token")
    outcome = send_pass(records, station, session_factory=fast)
    assert outcome.problem is not None and "refused this station's device token" in outcome.problem
    assert records.outbox.counts()["queued"] == 1 and central_count(central_config) == 0
    assert load_contact(station).last_success is None
    result = check_connection(station, session_factory=fast)
    assert not result.ok and "refused this station's device token" in result.message


def test_an_unreachable_address_keeps_the_cases_with_the_reason(
    records: Records, team: Team, settings: DermDeskSettings
) -> None:
    shareable_case(records, team, "DD-001300", 1)
    station = station_settings(settings, f"http://127.0.0.1:{free_port()}", "token")
    outcome = send_pass(records, station, session_factory=fast)
    assert outcome.problem is not None and "cannot be reached" in outcome.problem
    (row,) = records.outbox.rows()
    assert row.state == "queued" and row.last_error and "cannot be reached" in row.last_error
    assert "nothing answers at that address" in row.last_error and "HTTPConnectionPool" not in row.last_error
    result = check_connection(station, session_factory=fast)
    assert not result.ok and "cannot be reached: nothing answers at that address" in result.message


def test_plain_http_to_another_machine_sends_nothing(
    records: Records, team: Team, settings: DermDeskSettings
) -> None:
    shareable_case(records, team, "DD-001400", 1)
    station = station_settings(settings, "http://central.example.org", "token")
    outcome = send_pass(records, station, session_factory=fast)
    assert outcome.report is None and outcome.problem is not None and "https://" in outcome.problem
    assert records.outbox.counts()["queued"] == 1
    assert "https://" in check_connection(station, session_factory=fast).message


def test_a_clock_far_off_is_detected_from_the_centres_date(
    records: Records, team: Team, settings: DermDeskSettings, central: LiveServer, device_token: str
) -> None:
    """The station's clock three hours fast (its `now`), compared with the server's Date header."""
    shareable_case(records, team, "DD-001500", 1)
    station = station_settings(settings, central.url, device_token)

    def fast_clock() -> datetime:
        return datetime.now(UTC) + timedelta(hours=3)

    outcome = send_pass(records, station, session_factory=fast, now=fast_clock)
    assert outcome.report is not None and len(outcome.report.sent) == 1  # sending still works
    warning = load_contact(station).clock_warning()
    assert warning is not None and "3.0 hours ahead of the central service's" in warning
    result = check_connection(station, session_factory=fast, now=fast_clock)
    assert result.ok and result.clock_warning is not None and "hours ahead" in result.clock_warning


def test_a_full_disk_during_a_pass_loses_nothing(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The station's disk fills while the pass packages and sends: the case's state lives in the records
    (sent once), the contact note that cannot be written is reported, and the next pass works."""
    shareable_case(records, team, "DD-001600", 1)
    station = station_settings(settings, central.url, device_token)

    real = files._write_all

    def full(fd: int, data: bytes) -> None:  # the station's disk is full, not the central service's
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(station.data_dir)):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(files, "_write_all", full)
    first = send_pass(records, station, session_factory=fast)  # the clinic secret cannot even be made
    assert first.report is None and first.problem and "No space left on device" in first.problem
    assert records.outbox.counts()["queued"] == 1 and central_count(central_config) == 0
    monkeypatch.undo()
    load_or_create_secret(station.clinic_secret_path)
    monkeypatch.setattr(files, "_write_all", full)
    outcome = send_pass(records, station, session_factory=fast)
    assert outcome.report is not None and len(outcome.report.sent) == 1
    assert outcome.notes and "disk full" in outcome.notes[0]
    monkeypatch.undo()
    shareable_case(records, team, "DD-001601", 2)
    again = send_pass(records, station, session_factory=fast)
    assert again.report is not None and len(again.report.sent) == 1 and not again.notes
    assert records.outbox.counts()["sent"] == 2 and central_count(central_config) == 2


def test_closing_mid_pass_leaves_the_rest_queued_and_nothing_is_sent_twice(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    central_config: CentralConfig,
    device_token: str,
) -> None:
    for n in range(4):
        shareable_case(records, team, f"DD-00170{n}", n)
    station = station_settings(settings, central.url, device_token)
    asked = {"n": 0}

    def closing() -> bool:  # the window closes while the second case is on its way
        asked["n"] += 1
        return asked["n"] > 2

    first = send_pass(records, station, session_factory=fast, should_stop=closing)
    assert first.report is not None and len(first.report.sent) == 2 and first.problem is None
    counts = records.outbox.counts()
    assert counts["sent"] == 2 and counts["queued"] == 2 and counts["sending"] == 0
    assert all(row.last_error is None for row in records.outbox.rows())  # closing is not a failure
    second = send_pass(records, station, session_factory=fast)
    assert second.report is not None and len(second.report.sent) == 2
    assert records.outbox.counts()["sent"] == 4 and central_count(central_config) == 4


def test_a_consent_withdrawal_is_listed_as_a_removal(
    records: Records, team: Team, settings: DermDeskSettings
) -> None:
    shareable_case(records, team, "DD-001800", 1)
    (row,) = records.outbox.rows()
    records.patients.record_consent(team.staff, "DD-001800", False)
    snapshot = queue_snapshot(records, settings)
    assert snapshot.rows == [] and sum(snapshot.counts.values()) == 0
    (removal,) = snapshot.removals
    assert removal.entry_id == row.entry_id and removal.image_id == row.image_id


def test_the_connection_test_says_when_it_works(
    settings: DermDeskSettings, central: LiveServer, device_token: str
) -> None:
    result = check_connection(station_settings(settings, central.url, device_token), session_factory=fast)
    assert result.ok and "accepts this station's token" in result.message and result.clock_warning is None
    assert not check_connection(settings).ok  # nothing configured


def test_stored_reasons_are_shown_in_the_screens_language() -> None:
    """The outbox keeps reasons in English; the window shows them in Korean, the centre's own words kept."""
    from dermdesk.i18n import current_language, set_language
    from dermdesk.sync.uploader import UNAVAILABLE, UNREACHABLE, reason_in_words

    stored = UNREACHABLE.format(
        reason="nothing answers at that address: is the service running, and the port right?"
    )
    before = current_language()
    try:
        set_language("ko")
        assert reason_in_words(stored) == (
            "중앙 서비스에 연결할 수 없습니다(그 주소에서 응답이 없습니다: "
            "서비스가 실행 중인지, 포트가 맞는지 확인하십시오)"
        )
        assert reason_in_words(UNAVAILABLE.format(reason="HTTP 507: disk full")) == (
            "중앙 서비스를 사용할 수 없습니다(HTTP 507: disk full)"
        )
        assert reason_in_words("HTTP 422: bad case") == "HTTP 422: bad case"  # not ours: as it came
        set_language("en")
        assert reason_in_words(stored) == stored
    finally:
        set_language(before)
