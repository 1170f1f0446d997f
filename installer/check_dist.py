"""Fail when the built folder holds what a clinic install must not: training or central dependencies.

    python installer/check_dist.py dist/dermdesk

Two looks: every path in the folder (packages, extension modules, shared libraries), and every module
name in the executable's PYZ archive (pure-Python modules live there, not on disk). Prints what it
found; exit 1 on any finding.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from excluded import FORBIDDEN_IN_DIST

ALLOWED_PREFIXES = ("scipy_openblas",)
"""numpy's own BLAS build is named after the SciPy project (libscipy_openblas64_*.so); it is not scipy."""


def findings(folder: Path) -> list[str]:
    """Paths in `folder` whose name is, or starts like, a forbidden package or library."""
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        stem = path.name.split(".")[0].lower().removeprefix("lib").removeprefix("_")
        for name in FORBIDDEN_IN_DIST:
            if "/" in name:
                if f"/{name}/" in f"/{rel}/" or f"/{name}." in f"/{rel}":
                    found.append(f"{rel} ({name})")
            elif stem.startswith(ALLOWED_PREFIXES):
                continue
            elif stem == name or stem.startswith((f"{name}-", f"{name}_")):
                found.append(f"{rel} ({name})")
    return sorted(set(found))


def frozen_modules(folder: Path) -> dict[str, list[str]]:
    """Module names in the PYZ archive of each executable at the top of `folder`."""
    from PyInstaller.archive.readers import CArchiveReader

    modules = {}
    for exe in sorted(folder.iterdir()):
        if exe.is_file() and exe.name.split(".")[0] in ("dermdesk", "dermdesk-gui"):
            archive = CArchiveReader(str(exe))
            modules[exe.name] = sorted(archive.open_embedded_archive("PYZ.pyz").toc)
    return modules


def module_findings(folder: Path) -> list[str]:
    """Forbidden packages among the frozen modules (`dermdesk/training` is the module dermdesk.training)."""
    found = []
    for exe, names in frozen_modules(folder).items():
        for forbidden in FORBIDDEN_IN_DIST:
            package = forbidden.replace("/", ".")
            hits = [n for n in names if n == package or n.startswith(package + ".")]
            found += [f"{exe}: module {hit} ({forbidden})" for hit in hits[:3]]
    if not frozen_modules(folder):
        found.append("no dermdesk executable at the top of the folder")
    return found


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "dist/dermdesk")
    if not folder.is_dir():
        print(f"check_dist: {folder} is not a folder; build it first", file=sys.stderr)
        return 1
    bad = findings(folder) + module_findings(folder)
    for line in bad:
        print(f"check_dist: must not ship: {line}", file=sys.stderr)
    if bad:
        return 1
    modules = sum(len(names) for names in frozen_modules(folder).values())
    names = ", ".join(FORBIDDEN_IN_DIST)
    print(f"check_dist: {folder} holds none of {names} ({modules} frozen modules looked at)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
