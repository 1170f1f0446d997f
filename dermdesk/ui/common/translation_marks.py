"""`QT_TRANSLATE_NOOP` with a type: marks a module-level text for `pyside6-lupdate` (which finds the
call by its name) and returns it unchanged; the text is translated where it is shown, with
`QCoreApplication.translate(context, text)`. PySide6's own version is typed as returning `object`."""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """`source`, unchanged; lupdate files it under `context`."""
    return source
