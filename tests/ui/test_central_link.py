"""Uploads and model updates from the real station window, offscreen, against a real central service
on 127.0.0.1: cases filed at the station reach the centre with no command; the queue view shows them
queued, then sent; with the server stopped they show as failed with the reason, and go once it is back;
a signed model update is offered, shown with its card's figures beside the current model's, refused to
staff and installed by an administrator (audited); closing the window mid-upload loses nothing and sends
nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from records.helpers import PASSWORD, Team
from sync.conftest import add_capture, add_patient, confirm
from sync.packages import NEXT, REFERENCE, small_package
from sync.servers import LiveServer

from dermdesk.central import store
from dermdesk.central.app import create_app
from dermdesk.central.config import CentralConfig
from dermdesk.central.publish import publish_package
from dermdesk.commands import CommandContext
from dermdesk.inference.signing import new_key_pair
from dermdesk.logs import setup_logging
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings, load_settings
from dermdesk.sync.uploader import make_session
from dermdesk.ui.common.sign_in_dialogs import LoginDialog
from dermdesk.ui.shell.main_window import MainWindow
from dermdesk.ui.shell.records_station import RecordsStation

pytestmark = pytest.mark.usefixtures("cheap_hashing")

WAIT_MS = 60_000
SMALL = (320, 240)


@dataclass
class Centre:
    config: CentralConfig
    server: LiveServer

    def cases(self) -> int:
        return len(store.all_cases(store.open_engine(self.config.url)))


@pytest.fixture
def centre(tmp_path: Path, station_dirs: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[Centre]:
    config = CentralConfig(home=tmp_path / "central", retrain_threshold=10_000)
    private_pem, public_pem = new_key_pair()
    config.signing_key_path.parent.mkdir(parents=True)
    config.signing_key_path.write_bytes(private_pem)
    server = LiveServer(create_app(config)).start()
    token = store.add_device(store.open_engine(config.url), "clinic-a-station-1")
    monkeypatch.setenv("DERMDESK_UPLOAD_URL", server.url)
    monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", token)
    monkeypatch.setenv("DERMDESK_UPDATE_PUBLIC_KEY", public_pem.decode())
    yield Centre(config, server)
    server.stop()


@pytest.fixture
def command_context(centre: Centre) -> CommandContext:
    """The window's settings point at the centre (as a clinic's IT would have set them)."""
    loaded = load_settings()
    settings = loaded.settings.model_copy(update={"resolution": SMALL, "fps": 30.0})
    return CommandContext(
        settings=settings,
        store=loaded.store,
        log_file=setup_logging(settings.logs_dir),
        notices=loaded.notices,
    )


def fast(settings: DermDeskSettings):  # type: ignore[no-untyped-def]
    return make_session(settings, backoff_factor=0.01, retries=1)


@pytest.fixture
def station(qtbot, main_window: MainWindow) -> RecordsStation:  # type: ignore[no-untyped-def]
    attached = RecordsStation(main_window, central_options={"session_factory": fast})
    qtbot.waitUntil(lambda: attached.sign_in.dialog is not None, timeout=WAIT_MS)
    return attached


def team_of(station: RecordsStation) -> Team:
    records = station.session.require_records()
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    team = Team(
        admin,
        records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD),
        records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD),
    )
    station.sign_in.close()
    station.sign_in.ask()
    return team


def sign_in(qtbot, station: RecordsStation, username: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: isinstance(station.sign_in.dialog, LoginDialog), timeout=WAIT_MS)
    dialog = station.sign_in.dialog
    assert isinstance(dialog, LoginDialog)
    dialog.username.setText(username)
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: station.session.user is not None and station.session.user.username == username,
        timeout=WAIT_MS,
    )


def file_case(records: Records, team: Team, number: str, seed: int) -> None:
    """A consented patient's picture, signed off by a doctor: queued for the centre in that transaction."""
    add_patient(records, team, number)
    add_capture(records, team, number, seed)
    confirm(records, team, number)


def entry_ids(records: Records) -> list[int]:
    return sorted(row.entry_id for row in records.outbox.rows())


@pytest.mark.slow
def test_cases_go_by_themselves_fail_while_the_centre_is_away_and_an_update_is_installed(
    qtbot, station: RecordsStation, centre: Centre, main_window: MainWindow
) -> None:
    team = team_of(station)
    records = station.session.require_records()
    link = station.central
    link.send_timer.stop()  # until the cases are filed and seen queued
    sign_in(qtbot, station, "sam")
    view = station.open_queue()
    file_case(records, team, "DD-002800", 1)
    file_case(records, team, "DD-002801", 2)
    first = entry_ids(records)
    link.refresh()
    qtbot.waitUntil(lambda: all(view.state_of(e) == "queued" for e in first), timeout=WAIT_MS)
    assert "2 queued" in link.status_label.text() and centre.cases() == 0
    link.send_timer.start(300)  # the period is minutes in a clinic; the timer is the mechanism
    qtbot.waitUntil(lambda: all(view.state_of(e) == "sent" for e in first), timeout=WAIT_MS)
    assert centre.cases() == 2
    assert "2 sent" in link.status_label.text() and link.status_label.isVisible()
    assert "Last successful contact: never" not in view.contact.text()

    centre.server.stop()
    file_case(records, team, "DD-002802", 3)
    (third,) = set(entry_ids(records)) - set(first)
    qtbot.waitUntil(lambda: view.state_of(third) == "failed, will retry", timeout=WAIT_MS)
    assert "cannot be reached" in view.problem.text() and view.problem.isVisible()
    assert "not reaching the central service" in link.status_label.text()
    centre.server.start()
    qtbot.waitUntil(lambda: view.state_of(third) == "sent", timeout=WAIT_MS)
    assert centre.cases() == 3 and records.outbox.counts()["sent"] == 3

    def better(manifest: dict[str, Any]) -> None:
        manifest["metrics"]["test"]["balanced_accuracy"] = 0.7412

    publish_package(
        centre.config, small_package(Path(centre.config.home) / "cand", NEXT, better), {}, REFERENCE
    )
    with qtbot.waitSignal(link.sig_offer, timeout=WAIT_MS) as offered:
        link.update_timer.timeout.emit()  # the daily check
    offer = offered.args[0]
    assert offer is not None and offer.version == NEXT
    assert f"model update {NEXT} waiting" in link.status_label.text()
    dialog = station.open_update()
    assert dialog is not None and not dialog.install_button.isEnabled()  # staff: an admin decides
    assert "administrator" in dialog.message.text()
    dialog.close()

    station.session.sign_out()
    sign_in(qtbot, station, "admin")
    dialog = station.open_update()
    assert dialog is not None and dialog.install_button.isEnabled()
    label, current, offered_value, change = dialog.figure_row("balanced_accuracy")
    assert label == "Balanced accuracy" and offered_value == "0.741" and current not in ("—", "0.741")
    assert change.startswith(("+", "-"))
    qtbot.mouseClick(dialog.install_button, Qt.MouseButton.LeftButton)
    assert "Installed" in dialog.message.text()
    assert main_window.model.settings.model_dir == offer.folder
    assert load_settings().settings.model_dir == offer.folder  # saved
    switches = [e for e in records.audit.list(team.admin) if e.action == "model switch"]
    assert len(switches) == 1 and switches[0].username == "admin"
    assert "model update" not in link.status_label.text()


@pytest.mark.slow
def test_closing_the_window_mid_upload_loses_nothing_and_sends_nothing_twice(
    qtbot, station: RecordsStation, centre: Centre, main_window: MainWindow
) -> None:
    team = team_of(station)
    records = station.session.require_records()
    for n in range(6):
        file_case(records, team, f"DD-00290{n}", n)
    started = centre.cases()
    qtbot.waitUntil(lambda: station.central.snapshot is not None, timeout=WAIT_MS)  # the start-up pass ended
    station.central.send_now()
    qtbot.waitUntil(
        lambda: records.outbox.counts()["sending"] > 0 or centre.cases() > started, timeout=WAIT_MS
    )
    main_window.close()  # mid-pass: the case on its way finishes, the rest stay queued
    settings = load_settings().settings
    reopened = Records.open(settings)
    try:
        counts = reopened.outbox.counts()
        assert counts["sending"] == 0 and counts["sent"] + counts["queued"] == 6
        assert centre.cases() == counts["sent"]
        from dermdesk.sync.station_sender import send_pass

        send_pass(reopened, settings, session_factory=fast)
        assert reopened.outbox.counts()["sent"] == 6 and centre.cases() == 6
    finally:
        reopened.close()


def test_the_token_is_never_shown_and_test_connection_says_what_came_back(
    qtbot, centre: Centre, command_context: CommandContext
) -> None:
    import os
    import stat

    from dermdesk.ui.admin.connection_section import ConnectionSection
    from dermdesk.ui.admin.settings_page import SettingsPage

    settings = command_context.settings
    saved: list[DermDeskSettings] = []

    def apply(updated: DermDeskSettings) -> None:
        command_context.store.save(updated)
        saved.append(updated)

    page = SettingsPage(settings, apply, sections=[ConnectionSection()])
    qtbot.addWidget(page)
    page.show()
    section = page.sections[0]
    assert isinstance(section, ConnectionSection)
    assert section.token.text() == "" and "A token is stored" in section.token.placeholderText()
    assert section.token.echoMode() == section.token.EchoMode.Password
    assert "device_token" not in section.changes()  # nothing typed: the stored token stays
    section.test_connection()
    qtbot.waitUntil(lambda: section.test_button.isEnabled() and "Testing" not in section.test_result.text())
    assert "accepts this station's token" in section.test_result.text()
    section.token.setText("not-this-stations-token")
    section.test_connection()
    qtbot.waitUntil(lambda: section.test_button.isEnabled() and "Testing" not in section.test_result.text())
    assert "refused this station's device token" in section.test_result.text()
    section.url.setText("http://central.example.org")
    section.test_connection()
    assert "use https://" in section.test_result.text()  # refused before anything is sent
    section.url.setText(centre.server.url)
    section.token.setText("a-new-token-from-it")
    assert page.save() is not None and saved[-1].device_token == "a-new-token-from-it"
    assert section.token.text() == "" and "A token is stored" in section.token.placeholderText()
    if os.name == "posix":
        assert stat.S_IMODE(command_context.store.path.stat().st_mode) == 0o600


@pytest.mark.slow
def test_a_tampered_update_is_shown_as_refused_and_nothing_is_offered(
    qtbot, station: RecordsStation, centre: Centre, main_window: MainWindow
) -> None:
    import json

    team_of(station)
    link = station.central
    qtbot.waitUntil(lambda: link.snapshot is not None, timeout=WAIT_MS)  # the start-up pass and check
    publish_package(centre.config, small_package(Path(centre.config.home) / "cand", NEXT), {}, REFERENCE)
    (folder,) = [p for p in centre.config.models_dir.iterdir() if not p.name.startswith(".")]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["referral"]["thresholds"]["mel"] = 0.99  # edited after signing
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with qtbot.waitSignal(link.sig_update_problem, timeout=WAIT_MS) as problem:
        link.update_timer.timeout.emit()
    assert problem.args[0].startswith("A model update was refused and nothing was installed")
    assert "not signed by a key this station trusts" in problem.args[0]
    assert link.offer is None and not station.update_action.isEnabled()
    assert main_window.statusBar().currentMessage() == problem.args[0]
    assert main_window.model.settings.model_dir is None
