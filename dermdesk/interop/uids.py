"""DICOM UIDs: made under the clinic's own root when it has one, else UUID-derived (`2.25.…`).

Why both: a clinic (or its PACS vendor) may own an ISO OID root and want every object under it; a
clinic without one still gets globally unique UIDs from a random UUID written as a decimal integer
under 2.25, as PS3.5 B.2 allows. Either way a UID has at most 64 characters of digits and dots.
"""

from __future__ import annotations

import re
import uuid

from dermdesk.i18n import _

MAX_LENGTH = 64
UUID_ROOT = "2.25"
_UID = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")
MAX_ROOT_LENGTH = 32  # leaves at least 31 digits (over 100 random bits) for the UUID part


def is_valid_uid(text: str) -> bool:
    """True for a syntactically valid DICOM UID (digits and dots, no leading zeros, ≤ 64 characters)."""
    return len(text) <= MAX_LENGTH and bool(_UID.match(text))


def check_root(root: str) -> str:
    """The clinic's UID root, checked; ValueError with a sentence for IT when it cannot be used."""
    root = root.strip().rstrip(".")
    if not is_valid_uid(root) or len(root) > MAX_ROOT_LENGTH:
        raise ValueError(
            _(
                "The DICOM UID root {root!r} is not usable: digits and dots, no leading zeros, "
                "at most {MAX_ROOT_LENGTH} characters (or leave it empty for UUID-derived 2.25 "
                "UIDs)."
            ).format(root=root, MAX_ROOT_LENGTH=MAX_ROOT_LENGTH)
        )
    return root


def new_uid(root: str | None = None) -> str:
    """A new, globally unique UID under `root` (the clinic's) or under 2.25."""
    number = uuid.uuid4().int
    if not root:
        return f"{UUID_ROOT}.{number}"
    root = check_root(root)
    digits = str(number)[: MAX_LENGTH - len(root) - 1].lstrip("0") or "1"
    return f"{root}.{digits}"
