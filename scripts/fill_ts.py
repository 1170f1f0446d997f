"""Fill the unfinished entries of a Qt .ts file from a JSON table {English source: translation}.

    .venv/bin/python scripts/fill_ts.py resources/translations/dermdesk_ko.ts new-texts.json
    .venv/bin/python scripts/fill_ts.py resources/translations/dermdesk_ko.ts   # list what is unfinished

Why a script: after `pyside6-lupdate` adds new texts (type="unfinished"), their translations are written
in one reviewed table instead of by hand in the XML, and lupdate's own layout is kept byte for byte.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

UNFINISHED = re.compile(
    r"(<source>(?P<source>[^<]*)</source>\n(?:\s*<comment>[^<]*</comment>\n)?\s*)"
    r'<translation type="unfinished">(?P<old>[^<]*)</translation>'
)


def fill(ts: Path, table: dict[str, str]) -> list[str]:
    """Write the translations `table` has into `ts`; return the sources still unfinished."""
    left: list[str] = []

    def one(match: re.Match[str]) -> str:
        source = html.unescape(match.group("source"))
        if source not in table:
            left.append(source)
            return match.group(0)
        return f"{match.group(1)}<translation>{html.escape(table[source], quote=False)}</translation>"

    text = UNFINISHED.sub(one, ts.read_text(encoding="utf-8"))
    ts.write_text(text, encoding="utf-8")
    return left


def main() -> None:
    ts = Path(sys.argv[1])
    table = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")) if len(sys.argv) > 2 else {}
    for source in fill(ts, table):
        print(json.dumps(source, ensure_ascii=False))


if __name__ == "__main__":
    main()
