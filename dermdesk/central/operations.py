"""`dermdesk-central jobs ...`, `sweep` and `bench`: running the service's background work and checking it.

jobs run                    the job runner, until SIGTERM/SIGINT (exit 1 if another one runs)
jobs list [--json]          the runner's state (and why it is not running) and the recent jobs
jobs show ID                one job and the end of its log
sweep [--older-than S]      remove pictures no case refers to, older than S seconds (default 3600)
bench ...                   the load benchmark (bench.py)
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from dermdesk.central.config import CentralConfig


def add_commands(commands: Any) -> None:
    job_commands = commands.add_parser("jobs", help="the retraining jobs and their runner").add_subparsers(
        dest="action", required=True
    )
    job_commands.add_parser("run", help="run the job runner until stopped")
    listing = job_commands.add_parser("list", help="the runner's state and the recent jobs")
    listing.add_argument("--json", action="store_true")
    show = job_commands.add_parser("show", help="one job and the end of its log")
    show.add_argument("job", type=int)
    sweep = commands.add_parser("sweep", help="remove stored pictures no case refers to")
    sweep.add_argument("--older-than", type=float, default=3600.0, help="seconds (default 3600)")
    from dermdesk.central.bench import add_arguments

    add_arguments(commands.add_parser("bench", help="load benchmark: N clinics on loopback"))


def run_command(config: CentralConfig, args: argparse.Namespace) -> int:
    if args.command == "sweep":
        from dermdesk.central import store

        removed = store.sweep_pictures(
            store.open_engine(config.url), config.images_dir, older_than_s=args.older_than
        )
        print(f"removed {removed} picture(s) no case refers to")
        return 0
    if args.command == "bench":
        from dermdesk.central.bench import run_bench

        return run_bench(args)
    if args.action == "run":
        from dermdesk.central.runner import run_forever

        config.home.mkdir(parents=True, exist_ok=True)
        return run_forever(config)
    from dermdesk.central import admin, jobs

    engine = jobs.open_engine(config.url)
    if args.action == "list":
        data = admin.overview(engine, config)
        if args.json:
            print(json.dumps(data, indent=1))
            return 0
        runner = data["runner"]
        print(f"job runner: {runner['state']} ({runner['detail']})")
        if "warning" in runner:
            print(f"warning: {runner['warning']}")
        for job in data["jobs"]:
            print(
                f"{job['id']:>5} {job['kind']:<8} {job['state']:<8} attempt {job['attempts']} "
                f"queued {job['queued_at'][:19]}  {job['progress'] or ''}"
            )
            if job["result"] and job["state"] in (jobs.DONE, jobs.FAILED):
                print(f"      {job['result'].splitlines()[0][:200]}")
        return 0
    job = jobs.describe(engine, args.job)
    if job is None:
        raise ValueError(f"no job {args.job}")
    print(json.dumps(job, indent=1))
    print(admin.log_tail(config, args.job))
    return 0
