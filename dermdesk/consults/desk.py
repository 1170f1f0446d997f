"""The consult actions the window and `dermdesk consult` share: preview, send, more information, and the
words an answer is shown in."""

from __future__ import annotations

from collections.abc import Iterable

from dermdesk.consults.clips import Clip
from dermdesk.consults.outgoing import build_request, lines, screen
from dermdesk.records import Records, UserInfo
from dermdesk.records.consults import ConsultDraft, ConsultInfo, ReplyInfo
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.consult_payload import ConsultRequest
from dermdesk.sync.secret import load_or_create_secret

HISTORY_FIELDS = (
    "duration_weeks",
    "recent_change",
    "itch",
    "bleeding",
    "pain",
    "melanoma_personal",
    "melanoma_family",
    "skin_type",
)


def preview(
    records: Records, settings: DermDeskSettings, user: UserInfo, draft: ConsultDraft
) -> tuple[ConsultRequest, list[str]]:
    """Exactly what would leave for `draft`, and its lines for the sender to read (nothing is queued)."""
    facts = records.consults.preview(user, draft, screen)
    request = build_request(facts, load_or_create_secret(settings.clinic_secret_path))
    return request, lines(request)


def send(records: Records, user: UserInfo, draft: ConsultDraft) -> ConsultInfo:
    """File the consult and queue it (the sender takes it from the outbox)."""
    return records.consults.create(user, draft, screen)


def more_information(
    records: Records,
    user: UserInfo,
    consult_id: int,
    image_ids: Iterable[int] = (),
    *,
    clip: Clip | None = None,
    note: str = "",
) -> ConsultInfo:
    return records.consults.add_information(
        user,
        consult_id,
        image_ids,
        screen,
        note=note,
        clip_path=clip.name if clip else None,
        clip_seconds=clip.seconds if clip else None,
    )


def reply_lines(reply: ReplyInfo) -> list[str]:
    """One reply as people read it (inbox, CLI, report, letter, timeline)."""
    return reply.lines()


def summary_line(info: ConsultInfo) -> str:
    flag = " — URGENT, unanswered: refer in person" if info.escalated else ""
    return (
        f"consult {info.id} ({info.central_id or 'not at the centre yet'}): {info.record_number} "
        f"{info.lesion_label}, {info.urgency}, {info.shown_state}{flag}"
    )
