"""`dermdesk models list|update|use|rollback`: the model packages of this station.

`update` asks the central service for its latest signed model and installs it only after the signature
and every checksum are verified, and only when its version is higher than the one in use; `use FOLDER`
switches to an installed (or the shipped) package and `rollback` goes back to the model used before the
last switch: both need an administrator's sign-in (`DERMDESK_USER`/`DERMDESK_PASSWORD` or asked for) and
are audited, and a refused attempt is audited too. Every prediction records its model.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dermdesk.commands import CommandContext, CommandError
from dermdesk.commands.records_session import open_records, sign_in
from dermdesk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("models", help=_("list, update, switch or roll back the model in use"))
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION", required=True)
    actions.add_parser("list", help=_("the shipped and installed packages; * marks the one in use"))
    actions.add_parser("update", help=_("install the central service's latest signed model"))
    use = actions.add_parser("use", help=_("switch to an installed package folder (administrators)"))
    use.add_argument("folder", type=Path, metavar="FOLDER")
    actions.add_parser(
        "rollback", help=_("go back to the model used before the last switch (administrators)")
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dermdesk.inference.package import ModelPackageError, default_package_dir
    from dermdesk.inference.trust import trusted_keys, verify_trusted
    from dermdesk.sync import updates
    from dermdesk.sync.uploader import UploadError, make_session

    settings = ctx.settings
    try:
        if args.models_action == "list":
            active = (settings.model_dir or default_package_dir()).resolve()
            keys = trusted_keys(settings.update_public_key)
            for folder in [default_package_dir(), *updates.installed_models(settings)]:
                try:
                    package = verify_trusted(folder, keys)
                    label = f"{package.name} {package.version}"
                except ModelPackageError as exc:
                    label = _("refused: {reason}").format(reason=exc)
                mark = "*" if folder.resolve() == active else " "
                print(f"{mark} {label}  {folder}")
        elif args.models_action == "update":
            result = updates.install_update(settings, ctx.store, make_session(settings))
            if result is None:
                print(_("The model in use is the central service's latest."))
            else:
                print(
                    _("Installed and in use: {model} {version} ({folder})").format(
                        model=result[1].name, version=result[1].version, folder=result[0].model_dir
                    )
                )
        else:
            _switch_as_admin(args, ctx)
    except (updates.UpdateError, UploadError, ModelPackageError) as exc:
        raise CommandError(str(exc)) from exc
    return 0


def _switch_as_admin(args: argparse.Namespace, ctx: CommandContext) -> None:
    """`use` or `rollback`: an administrator signs in, the switch is made, then audited."""
    from dermdesk.inference.package import default_package_dir
    from dermdesk.records.access import Permission
    from dermdesk.records.audit import AuditAction
    from dermdesk.sync import updates

    action = AuditAction.MODEL_SWITCH if args.models_action == "use" else AuditAction.MODEL_ROLLBACK
    before = str(ctx.settings.model_dir or default_package_dir())
    with open_records(ctx) as records:
        user = sign_in(records)[0]
        records.audit.require(user, Permission.MANAGE_MODELS, action)
        if args.models_action == "use":
            updated = updates.use_model(ctx.settings, ctx.store, args.folder.resolve())
        else:
            updated = updates.rollback(ctx.settings, ctx.store)
        after = str(updated.model_dir or default_package_dir())
        records.audit.model_change(user, action, {"from": before, "to": after})
    print(_("In use: {folder}").format(folder=after))
