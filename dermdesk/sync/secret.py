"""The clinic secret keying the pseudonyms: made on first use, kept in the data folder, never sent.

Losing it only means new pseudonyms (the central service sees new patients); leaking it lets someone who
also holds the clinic's records link pseudonyms back, so it is readable by the station's user only (0600).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dermdesk.files import write_atomic
from dermdesk.i18n import _

SECRET_BYTES = 32


class ClinicSecretError(RuntimeError):
    """The clinic secret cannot be read or created; the message is for clinic IT."""


def load_or_create_secret(path: Path) -> bytes:
    """The secret at `path`, creating it (0600, atomically) the first time."""
    if path.exists():
        data = path.read_bytes()
        if len(data) < SECRET_BYTES:
            raise ClinicSecretError(
                _("the clinic secret {path} is damaged (too short); restore it from backup").format(path=path)
            )
        if os.name == "posix" and path.stat().st_mode & 0o077:
            path.chmod(0o600)
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(path, secrets.token_bytes(SECRET_BYTES), mode=0o600, exclusive=True)
    except FileExistsError:
        pass  # another process created it meanwhile: theirs wins
    except OSError as exc:
        raise ClinicSecretError(
            _("cannot create the clinic secret {path}: {value}").format(path=path, value=exc.strerror or exc)
        ) from exc
    return path.read_bytes()
