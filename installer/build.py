"""Build the one-folder app (dist/dermdesk), check it, and optionally pack the Linux tarball.

    python installer/build.py [--force] [--tarball]

The PyInstaller build takes minutes, so it is skipped when the folder was built from exactly the current
sources: a key (sha256 of the code, resources, installer files, pyproject.toml and the installed
distributions' versions) is kept in build/pyinstaller/dermdesk.key and compared first. After a build the
folder is checked for excluded dependencies (installer/check_dist.py). Prints the folder and whether it
was built or reused; exit code non-zero when the build or the check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import tarfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
APP = DIST / "dermdesk"
WORK = ROOT / "build" / "pyinstaller"
KEY_FILE = WORK / "dermdesk.key"
SOURCES = ("dermdesk", "resources", "installer")
SKIP_PARTS = {"__pycache__", ".mypy_cache", ".ruff_cache"}

sys.path.insert(0, str(ROOT / "installer"))
from check_dist import findings, module_findings  # noqa: E402


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def executable() -> Path:
    return APP / ("dermdesk.exe" if sys.platform == "win32" else "dermdesk")


def source_files() -> list[Path]:
    """pyproject.toml and the files under SOURCES that git does not ignore (no caches, no *.tmp);
    every file under them when git is not there (a source tarball)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *SOURCES],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        files = [ROOT / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        files = [p for top in SOURCES for p in (ROOT / top).rglob("*") if not SKIP_PARTS & set(p.parts)]
    return sorted({ROOT / "pyproject.toml", *(p for p in files if p.is_file())})


def source_key() -> str:
    """sha256 over every source file's path and bytes, pyproject.toml and the installed versions."""
    digest = hashlib.sha256()
    for path in source_files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    digest.update("\n".join(installed).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def up_to_date(key: str) -> bool:
    return executable().is_file() and KEY_FILE.is_file() and KEY_FILE.read_text().strip() == key


def build() -> float:
    """Run PyInstaller on installer/dermdesk.spec; the seconds it took."""
    KEY_FILE.unlink(missing_ok=True)
    started = time.perf_counter()
    command = [
        sys.executable, "-m", "PyInstaller", str(ROOT / "installer" / "dermdesk.spec"),
        "--distpath", str(DIST), "--workpath", str(WORK), "--noconfirm", "--log-level", "WARN",
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - started


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def tarball() -> Path:
    """dist/dermdesk-<version>-linux-x86_64.tar.gz: the folder, a .desktop entry and its installer."""
    name = f"dermdesk-{version()}"
    out = DIST / f"{name}-linux-x86_64.tar.gz"
    linux = ROOT / "installer" / "linux"
    tmp = out.with_suffix(".tmp")
    with tarfile.open(tmp, "w:gz") as archive:
        archive.add(APP, arcname=f"{name}/dermdesk")
        archive.add(linux / "dermdesk.desktop", arcname=f"{name}/dermdesk.desktop")
        archive.add(linux / "install-desktop-entry.sh", arcname=f"{name}/install-desktop-entry.sh")
        archive.add(ROOT / "resources" / "icons" / "dermdesk.png", arcname=f"{name}/dermdesk.png")
        archive.add(linux / "README.txt", arcname=f"{name}/README.txt")
    tmp.replace(out)
    return out


@contextlib.contextmanager
def build_lock() -> Iterator[None]:
    """One build at a time in this checkout (a test session and `make dist` may overlap); POSIX only."""
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: builds there are run by hand, one at a time
        yield
        return
    with (WORK / "build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build dist/dermdesk unless it is up to date.")
    parser.add_argument("--force", action="store_true", help="build even if the folder is up to date")
    parser.add_argument("--tarball", action="store_true", help="also pack the Linux tarball")
    args = parser.parse_args(argv)
    with build_lock():
        return build_and_check(args.force, args.tarball)


def build_and_check(force: bool, with_tarball: bool) -> int:
    key = source_key()
    if not force and up_to_date(key):
        print(f"build: {APP} is up to date with the sources (key {key[:12]}), not rebuilt")
    else:
        seconds = build()
        WORK.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(key + "\n")
        print(f"build: {APP} built in {seconds:.0f} s, {folder_size(APP) / 2**20:.0f} MiB")
    bad = findings(APP) + module_findings(APP)
    for line in bad:
        print(f"build: must not ship: {line}", file=sys.stderr)
    if bad:
        KEY_FILE.unlink(missing_ok=True)
        return 1
    if with_tarball:
        if not sys.platform.startswith("linux"):
            print("build: the tarball is for Linux; see installer/README.md for this platform")
            return 1
        out = tarball()
        print(f"build: {out.relative_to(ROOT)} ({out.stat().st_size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
