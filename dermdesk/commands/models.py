"""`dermdesk models list|update|use|rollback`: the model packages of this station.

`update` asks the central service for its latest signed model and installs it only after the signature
and every checksum are verified; `use FOLDER` switches to an installed (or the shipped) package;
`rollback` goes back to the model used before the last switch. Every prediction records its model.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dermdesk.commands import CommandContext, CommandError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("models", help="list, update, switch or roll back the model in use")
    actions = parser.add_subparsers(dest="models_action", required=True)
    actions.add_parser("list", help="the shipped and installed packages; * marks the one in use")
    actions.add_parser("update", help="install the central service's latest signed model")
    use = actions.add_parser("use", help="switch to an installed package folder")
    use.add_argument("folder", type=Path)
    actions.add_parser("rollback", help="go back to the model used before the last switch")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.inference.package import ModelPackageError, default_package_dir, load_package
    from dermdesk.sync import updates
    from dermdesk.sync.uploader import UploadError, make_session

    settings = ctx.settings
    try:
        if args.models_action == "list":
            active = (settings.model_dir or default_package_dir()).resolve()
            for folder in [default_package_dir(), *updates.installed_models(settings)]:
                try:
                    package = load_package(folder)
                    label = f"{package.name} {package.version}"
                except ModelPackageError as exc:
                    label = f"damaged: {exc}"
                mark = "*" if folder.resolve() == active else " "
                print(f"{mark} {label}  {folder}")
        elif args.models_action == "update":
            result = updates.install_update(settings, ctx.store, make_session(settings))
            if result is None:
                print("The model in use is the central service's latest.")
            else:
                print(f"Installed and in use: {result[1].name} {result[1].version} ({result[0].model_dir})")
        elif args.models_action == "use":
            updates.use_model(settings, ctx.store, args.folder.resolve())
            print(f"In use: {args.folder}")
        else:
            updated = updates.rollback(settings, ctx.store)
            print(f"In use: {updated.model_dir or default_package_dir()}")
    except (updates.UpdateError, UploadError, ModelPackageError) as exc:
        raise CommandError(str(exc)) from exc
    return 0
