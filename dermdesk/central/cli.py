"""`dermdesk-central`: run the service and manage its keys and devices.

    dermdesk-central keys init [--dir DIR]      create the Ed25519 signing key pair (outside any repository)
    dermdesk-central devices add NAME [--clinic C]  register a clinic station; prints its token once
    dermdesk-central clinics add NAME | list     the clinics (each device belongs to one)
    dermdesk-central dermatologists add NAME REG | assign REG CLINIC | list
                                                the specialists who answer consults (token printed once)
    dermdesk-central admins add NAME            register an administrator (GET /v1/admin/jobs); token once
    dermdesk-central web enrol (--dermatologist REG | --admin NAME) [--password-stdin]
                                                set a web password and a new TOTP second factor (the
                                                otpauth URI and secret are printed once)
    dermdesk-central web unlock LOGIN           lift a lock-out after repeated failed sign-ins
    dermdesk-central serve [--host H] [--port P] [--workers N]
                                                run the HTTP API with N worker processes over one database
                                                (TLS: put a reverse proxy in front, or pass
                                                --ssl-certfile/--ssl-keyfile)
    dermdesk-central jobs run                   the job runner: carries out the queued retrainings
    dermdesk-central jobs list | show ID        the runner's state, the jobs, one job's log
    dermdesk-central sweep [--older-than S]     remove stored pictures no case refers to
    dermdesk-central bench [...]                load benchmark: N clinics on loopback (bench.py)
The folder is `DERMDESK_CENTRAL_HOME` (or --home).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from dermdesk.central.config import CentralConfig
from dermdesk.files import write_atomic
from dermdesk.i18n import N_, _, current_language, ngettext, set_language

LANGUAGE_ENV = "DERMDESK_CENTRAL_LANGUAGE"  # "en", "ko" or "system" (the default: the OS's locale)
# the words jobs.py stores for the runner's and the jobs' states and the runner's fixed progress notes:
# the JSON (API, --json) keeps them as they are; the plain listing says them in the reader's language
STATE_WORDS = (
    N_("never started"),
    N_("stopped"),
    N_("not responding"),
    N_("running"),
    N_("queued"),
    N_("done"),
    N_("failed"),
    N_("starting"),
    N_("finished"),
    N_("interrupted"),
    N_("retrain"),
)


def main(argv: list[str] | None = None) -> int:
    """The command; messages for people in DERMDESK_CENTRAL_LANGUAGE ("en", "ko"), else the system's
    language. The language before it is restored at the end (tests and scripts call this in-process)."""
    before = current_language()
    set_language(os.environ.get(LANGUAGE_ENV) or "system")
    try:
        return _main(argv)
    finally:
        set_language(before)


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="dermdesk-central", description=_("DermDesk central retraining service")
    )
    parser.add_argument("--home", type=Path, help=_("the service's folder (default: DERMDESK_CENTRAL_HOME)"))
    commands = parser.add_subparsers(dest="command", required=True)
    keys = commands.add_parser("keys", help=_("signing keys")).add_subparsers(dest="action", required=True)
    init = keys.add_parser("init", help=_("create the signing key pair"))
    init.add_argument("--dir", type=Path, help=_("where to write the keys (default: <home>/keys)"))
    devices = commands.add_parser("devices", help=_("clinic stations")).add_subparsers(
        dest="action", required=True
    )
    add = devices.add_parser("add", help=_("register a station and print its token"))
    add.add_argument("name")
    add.add_argument("--clinic", help=_("the clinic this station belongs to (needed to send consults)"))
    clinics = commands.add_parser("clinics", help=_("clinics")).add_subparsers(dest="action", required=True)
    clinics.add_parser("add", help=_("add a clinic")).add_argument("name")
    clinics.add_parser("list", help=_("list clinics and their devices"))
    derms = commands.add_parser("dermatologists", help=_("dermatologists answering consults")).add_subparsers(
        dest="action", required=True
    )
    derm_add = derms.add_parser("add", help=_("register a dermatologist and print their token"))
    derm_add.add_argument("name")
    derm_add.add_argument("registration", help=_("their medical registration number"))
    derm_assign = derms.add_parser("assign", help=_("let a dermatologist answer a clinic's consults"))
    derm_assign.add_argument("registration")
    derm_assign.add_argument("clinic")
    derms.add_parser("list", help=_("list dermatologists and their clinics"))
    admins = commands.add_parser("admins", help=_("administrators")).add_subparsers(
        dest="action", required=True
    )
    admins.add_parser("add", help=_("register an administrator and print the token")).add_argument("name")
    _add_web_commands(commands)
    serve = commands.add_parser("serve", help=_("run the HTTP API"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--workers", type=int, default=1, help=_("API worker processes (one database)"))
    serve.add_argument("--ssl-certfile")
    serve.add_argument("--ssl-keyfile")
    _add_operations(commands)
    args = parser.parse_args(argv)
    config = CentralConfig.from_environment(args.home)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "keys":
            return _keys_init(config, args.dir)
        if args.command == "devices":
            return _devices_add(config, args.name, args.clinic)
        if args.command in ("clinics", "dermatologists"):
            return _people(config, args)
        if args.command == "admins":
            return _admins_add(config, args.name)
        if args.command == "serve":
            return _serve(config, args)
        if args.command == "web":
            return _web(config, args)
        return run_command(config, args)
    except (OSError, ValueError) as exc:
        print(_("dermdesk-central: {reason}").format(reason=exc), file=sys.stderr)
        return 1


def _keys_init(config: CentralConfig, folder: Path | None) -> int:
    from dermdesk.inference.signing import new_key_pair

    target = folder or config.signing_key_path.parent
    private_path, public_path = target / "signing-key.pem", target / "signing-key.pub.pem"
    if private_path.exists():
        raise ValueError(
            _("{path} exists; refusing to replace a signing key clinics trust").format(path=private_path)
        )
    target.mkdir(parents=True, exist_ok=True)
    private_pem, public_pem = new_key_pair()
    write_atomic(private_path, private_pem, mode=0o600, exclusive=True)  # never replaces a key
    write_atomic(public_path, public_pem)
    print(_("signing key: {path}").format(path=private_path))
    print(_("public key (configure it in every clinic): {path}").format(path=public_path))
    print(public_pem.decode("ascii"), end="")
    return 0


def _devices_add(config: CentralConfig, name: str, clinic: str | None) -> int:
    from dermdesk.central import clinics, store

    config.home.mkdir(parents=True, exist_ok=True)
    engine = store.open_engine(config.url)
    clinic_id = clinics.clinic_id(engine, clinic) if clinic else None  # before the device exists
    try:
        token = store.add_device(engine, name)
    except Exception as exc:  # sqlalchemy IntegrityError: the name is taken
        raise ValueError(
            _("cannot add device {name}: {problem} (is the name taken?)").format(
                name=repr(name), problem=exc.__class__.__name__
            )
        ) from exc
    if clinic_id is not None:
        device_id = store.device_for_token(engine, token)
        assert device_id is not None
        clinics.attach_device(engine, device_id, clinic_id)
    print(token)
    return 0


def _admins_add(config: CentralConfig, name: str) -> int:
    from dermdesk.central import admin, jobs

    config.home.mkdir(parents=True, exist_ok=True)
    engine = jobs.open_engine(config.url)
    try:
        token = admin.add_admin(engine, name)
    except Exception as exc:  # sqlalchemy IntegrityError: the name is taken
        raise ValueError(
            _("cannot add administrator {name}: {problem} (is the name taken?)").format(
                name=repr(name), problem=exc.__class__.__name__
            )
        ) from exc
    print(token)
    return 0


def _add_web_commands(commands: Any) -> None:
    web = commands.add_parser("web", help=_("sign-in to the web pages")).add_subparsers(
        dest="action", required=True
    )
    enrol = web.add_parser(
        "enrol", help=_("set a password and a TOTP second factor; prints the otpauth URI once")
    )
    who = enrol.add_mutually_exclusive_group(required=True)
    who.add_argument("--dermatologist", metavar="REG", help=_("their registration number (the login)"))
    who.add_argument("--admin", metavar="NAME", help=_("an administrator's name (the login)"))
    enrol.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    web.add_parser("unlock", help=_("lift a lock-out after failed sign-ins")).add_argument("login")


def _web(config: CentralConfig, args: argparse.Namespace) -> int:
    """`web enrol` and `web unlock`."""
    import getpass

    from dermdesk.central import jobs
    from dermdesk.central.web import accounts

    config.home.mkdir(parents=True, exist_ok=True)
    engine = jobs.open_engine(config.url)
    if args.action == "unlock":
        accounts.unlock(engine, args.login)
        print(_("{login} may sign in again").format(login=args.login))
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(_("New web password: "))
        if getpass.getpass(_("Again: ")) != password:
            raise ValueError(_("the two passwords differ; nothing was changed"))
    if args.dermatologist:
        enrolment = accounts.enrol(engine, "dermatologist", args.dermatologist, password)
    else:
        enrolment = accounts.enrol(engine, "admin", args.admin, password)
    print(_("login: {login}").format(login=enrolment.login))
    print(_("TOTP secret (shown once): {secret}").format(secret=enrolment.secret))
    print(_("add to an authenticator app: {uri}").format(uri=enrolment.uri))
    return 0


def _people(config: CentralConfig, args: argparse.Namespace) -> int:
    """`clinics add|list` and `dermatologists add|assign|list`."""
    import json

    from dermdesk.central import clinics, store

    config.home.mkdir(parents=True, exist_ok=True)
    engine = store.open_engine(config.url)
    if args.command == "clinics":
        if args.action == "add":
            number = clinics.add_clinic(engine, args.name)
            print(_("clinic {number}: {name}").format(number=number, name=args.name))
        else:
            print(json.dumps(clinics.list_clinics(engine), ensure_ascii=False, indent=2))
        return 0
    if args.action == "add":
        _person, token = clinics.add_dermatologist(engine, args.name, args.registration)
        print(token)
    elif args.action == "assign":
        clinics.assign(engine, args.registration, args.clinic)
        print(
            _("{registration} answers consults of {clinic}").format(
                registration=args.registration, clinic=args.clinic
            )
        )
    else:
        print(json.dumps(clinics.list_dermatologists(engine), ensure_ascii=False, indent=2))
    return 0


def _serve(config: CentralConfig, args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from dermdesk.central.config import HOME_ENV

    if args.workers < 1:
        raise ValueError(_("--workers must be at least 1, not {workers}").format(workers=args.workers))
    config.home.mkdir(parents=True, exist_ok=True)
    from dermdesk.central import clinics, consult_store, jobs  # noqa: F401 (their tables, created below)
    from dermdesk.central.web import pages  # noqa: F401 (the web pages' tables)

    jobs.open_engine(config.url).dispose()  # tables created once, before the workers start
    set_language("en")  # the API's texts are protocol (English); the pages pick theirs per request
    os.environ[HOME_ENV] = str(config.home)  # each worker builds the app from the environment
    uvicorn.run(
        "dermdesk.central.app:app_from_environment",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        timeout_keep_alive=30,
    )
    return 0


def _add_operations(commands: Any) -> None:
    """`jobs run|list|show`, `sweep` and `bench`: the service's background work and its checks."""
    job_commands = commands.add_parser("jobs", help=_("the retraining jobs and their runner")).add_subparsers(
        dest="action", required=True
    )
    job_commands.add_parser("run", help=_("run the job runner until stopped"))
    listing = job_commands.add_parser("list", help=_("the runner's state and the recent jobs"))
    listing.add_argument("--json", action="store_true")
    show = job_commands.add_parser("show", help=_("one job and the end of its log"))
    show.add_argument("job", type=int)
    sweep = commands.add_parser("sweep", help=_("remove stored pictures no case refers to"))
    sweep.add_argument("--older-than", type=float, default=3600.0, help=_("seconds (default 3600)"))
    from dermdesk.central.bench import add_arguments

    add_arguments(commands.add_parser("bench", help=_("load benchmark: N clinics on loopback")))


def run_command(config: CentralConfig, args: argparse.Namespace) -> int:
    """`jobs …`, `sweep` and `bench` (their output is this command's)."""
    if args.command == "sweep":
        from dermdesk.central import store

        removed = store.sweep_pictures(
            store.open_engine(config.url), config.images_dir, older_than_s=args.older_than
        )
        print(
            ngettext(
                "removed {count} picture no case refers to",
                "removed {count} pictures no case refers to",
                removed,
            ).format(count=removed)
        )
        return 0
    if args.command == "bench":
        from dermdesk.central.bench import measure

        result = measure(args)
        if args.json:
            print(json.dumps(result, indent=1))
        else:
            for key, value in result.items():
                print(f"{key:<28} {value}")
        return 0 if result["exactly_once"] and not result["server_errors"] else 1
    if args.action == "run":
        from dermdesk.central.jobs import RunnerBusyError
        from dermdesk.central.runner import run_forever

        config.home.mkdir(parents=True, exist_ok=True)
        try:
            return run_forever(config)
        except RunnerBusyError as exc:
            print(_("dermdesk-central: {reason}").format(reason=exc), file=sys.stderr)
            return 1
    from dermdesk.central import admin, jobs

    engine = jobs.open_engine(config.url)
    if args.action == "list":
        data = admin.overview(engine, config)
        if args.json:
            print(json.dumps(data, indent=1))
            return 0
        runner = data["runner"]
        print(_("job runner: {state} ({detail})").format(state=_(runner["state"]), detail=runner["detail"]))
        if "warning" in runner:
            print(_("warning: {warning}").format(warning=runner["warning"]))
        for job in data["jobs"]:
            line = _("{id} {kind} {state} attempt {attempts} queued {queued}  {progress}").format(
                id=f"{job['id']:>5}",
                kind=f"{_(job['kind']):<8}",
                state=f"{_(job['state']):<8}",
                attempts=job["attempts"],
                queued=job["queued_at"][:19],
                progress=_(job["progress"]) if job["progress"] else "",
            )
            print(line.rstrip())
            if job["result"] and job["state"] in (jobs.DONE, jobs.FAILED):
                print(f"      {job['result'].splitlines()[0][:200]}")
        return 0
    job = jobs.describe(engine, args.job)
    if job is None:
        raise ValueError(_("no job {number}").format(number=args.job))
    print(json.dumps(job, indent=1))
    print(admin.log_tail(config, args.job))
    return 0


if __name__ == "__main__":
    sys.exit(main())
