"""`dermdesk consult`: ask a dermatologist about a lesion and file the answer.

    dermdesk consult consent REC --given|--withdrawn     the patient's teleconsultation consent
    dermdesk consult send REC LESION --question Q [--urgency U] [--image ID ...] [--history K=V ...]
                                                          [--preview]   (prints exactly what will leave)
    dermdesk consult more ID [--image ID ...] [--clip FILE.webm | --record-seconds N [--source S]]
    dermdesk consult list [--patient REC]
    dermdesk consult status ID                           its state and replies (audited view)
    dermdesk consult acknowledge ID                      a doctor has read the answer (audited)
    dermdesk consult cancel ID
    dermdesk consult sync                                send the consult outbox, fetch replies

`send`, `more` and `cancel` only queue; `sync` (or the window's background pass) sends.
"""

from __future__ import annotations

import argparse

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import emit, open_records, sign_in, values_text
from dermdesk.i18n import N_, _

URGENCIES = ("routine", "soon", "urgent")
HISTORY_HELP = N_(
    "history facts: duration_weeks=N, recent_change, itch, bleeding, pain, melanoma_personal, "
    "melanoma_family (=yes/no), skin_type=1-6"
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "consult", help=_("ask a dermatologist (teledermatology) and file the answer")
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    consent = actions.add_parser("consent", help=_("record the patient's teleconsultation consent"))
    consent.add_argument("patient", metavar="REC")
    given = consent.add_mutually_exclusive_group(required=True)
    given.add_argument("--given", action="store_true")
    given.add_argument("--withdrawn", action="store_true")
    send = actions.add_parser("send", help=_("queue a consult about a lesion"))
    send.add_argument("patient", metavar="REC")
    send.add_argument("lesion", metavar="LABEL")
    send.add_argument("--question", required=True)
    send.add_argument(
        "--urgency",
        default="routine",
        help=_("one of: {names}").format(names=values_text("urgency", URGENCIES)),
    )
    send.add_argument(
        "--image", type=int, action="append", help=_("a picture id (default: newest white stills)")
    )
    send.add_argument("--history", action="append", default=[], metavar="K=V", help=_(HISTORY_HELP))
    send.add_argument("--preview", action="store_true", help=_("print what would leave; queue nothing"))
    more = actions.add_parser("more", help=_("queue more information the dermatologist asked for"))
    more.add_argument("consult", type=int, metavar="ID")
    more.add_argument("--image", type=int, action="append", default=[])
    more.add_argument("--note", default="")
    clip = more.add_mutually_exclusive_group()
    clip.add_argument("--clip", help=_("a WebM clip file"))
    clip.add_argument("--record-seconds", type=float, help=_("record a clip from the source now"))
    more.add_argument("--source", default="virtual", help=_("virtual, camera:N or file:PATH"))
    listing = actions.add_parser("list", help=_("consults and their states"))
    listing.add_argument("--patient")
    for name, about in (
        ("status", _("a consult's state and replies")),
        ("acknowledge", _("a doctor has read the answer")),
        ("cancel", _("cancel a consult that has not been answered")),
    ):
        actions.add_parser(name, help=about).add_argument("consult", type=int, metavar="ID")
    actions.add_parser("sync", help=_("send queued consults and fetch replies"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.consults import desk
    from dermdesk.consults.clips import ClipRefused

    with open_records(ctx) as records:
        if args.action == "sync":
            return _sync(records, ctx, args.json)
        user = sign_in(records)[0]
        consults = records.consults
        if args.action == "consent":
            consults.set_consent(user, args.patient, bool(args.given))
            state = _("given") if args.given else _("withdrawn")
            print(
                _("Teleconsultation consent of {patient}: {state}").format(
                    patient=args.patient.upper(), state=state
                )
            )
        elif args.action == "send":
            draft = _draft(args)
            request, shown = desk.preview(records, ctx.settings, user, draft)
            if args.preview:
                emit(args.json, request.model_dump(exclude={"pictures"}), [_("What will leave:"), *shown])
                return 0
            info = desk.send(records, user, draft)
            emit(args.json, info, [desk.summary_line(info), _("What will leave:"), *shown])
        elif args.action == "more":
            try:
                clip = _clip(args, ctx)
            except ClipRefused as exc:
                raise CommandError(str(exc)) from exc
            info = desk.more_information(records, user, args.consult, args.image, clip=clip, note=args.note)
            emit(args.json, info, desk.summary_line(info))
        elif args.action == "list":
            infos = consults.inbox(user, record_number=args.patient)
            emit(args.json, infos, [desk.summary_line(i) for i in infos] or [_("No consults.")])
        elif args.action == "status":
            info = consults.get(user, args.consult)
            text = [desk.summary_line(info), _("Question: {question}").format(question=info.question)]
            text += [line for reply in info.replies for line in desk.reply_lines(reply)]
            if info.last_error:
                text.append(_("Last sending problem: {problem}").format(problem=info.last_error))
            emit(args.json, info, text)
        elif args.action == "acknowledge":
            info = consults.acknowledge(user, args.consult)
            emit(args.json, info, _("Answer of consult {id} acknowledged.").format(id=info.id))
        else:
            info = consults.cancel(user, args.consult)
            emit(args.json, info, desk.summary_line(info))
    return 0


def _draft(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from dermdesk.records.consults import ConsultDraft

    history: dict[str, object] = {}
    for item in args.history:
        key, _sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if key in ("duration_weeks", "skin_type"):
            if not value.strip().isdigit():
                raise CommandError(_("--history {key} needs a whole number").format(key=key))
            history[key] = int(value)
        elif key in ("recent_change", "itch", "bleeding", "pain", "melanoma_personal", "melanoma_family"):
            history[key] = value.strip().lower() in ("", "yes", "y", "true", "1")
        else:
            raise CommandError(
                _("unknown history fact {key!r}; {facts}").format(key=key, facts=_(HISTORY_HELP))
            )
    return ConsultDraft(
        args.patient,
        args.lesion,
        args.question,
        args.urgency,
        history,
        tuple(args.image) if args.image else None,
    )


def _clip(args: argparse.Namespace, ctx: CommandContext):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from dermdesk.consults.clips import import_clip, record_clip
    from dermdesk.consults.sender import clips_dir

    folder = clips_dir(ctx.settings)
    if args.clip:
        return import_clip(Path(args.clip), folder)
    if args.record_seconds is None:
        return None
    from dermdesk.consults.clips import ClipRefused
    from dermdesk.source_spec import SourceSpec, open_source
    from dermdesk.sync.consult_payload import MAX_CLIP_SECONDS

    if not 0 < args.record_seconds <= MAX_CLIP_SECONDS:  # before the camera is opened
        raise ClipRefused(
            _("A clip may last up to {most:g} seconds (asked for {asked:g}).").format(
                most=MAX_CLIP_SECONDS, asked=args.record_seconds
            )
        )
    source = open_source(SourceSpec.parse(args.source), ctx.settings)
    source.open()
    try:
        return record_clip(source.read, args.record_seconds, float(ctx.settings.fps), folder)
    finally:
        source.close()


def _sync(records, ctx: CommandContext, as_json: bool) -> int:  # type: ignore[no-untyped-def]
    from dermdesk.consults.sender import ConsultSender
    from dermdesk.sync.uploader import UploadError

    try:
        report = ConsultSender(records, ctx.settings).run_once()
    except UploadError as exc:
        raise CommandError(str(exc)) from exc
    data = {
        "sent": report.sent,
        "failed": report.failed,
        "replies": report.replies,
        "escalated": report.escalated,
        "stopped": report.stopped,
    }
    emit(as_json, data, _("Consults: {summary}").format(summary=report.summary()))
    if report.stopped:
        raise CommandError(report.stopped)
    return 0
