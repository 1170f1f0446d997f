"""The installer scripts that are not exercised by the frozen build test: Linux menu entry, Windows script."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"


def test_the_linux_menu_entry_points_at_the_unpacked_folder(tmp_path: Path) -> None:
    unpacked = tmp_path / "opt" / "dermdesk-0.1.0"
    unpacked.mkdir(parents=True)
    for name in ("dermdesk.desktop", "install-desktop-entry.sh"):
        (unpacked / name).write_bytes((INSTALLER / "linux" / name).read_bytes())
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"))
    done = subprocess.run(
        ["sh", str(unpacked / "install-desktop-entry.sh")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    entry = (tmp_path / "xdg" / "applications" / "dermdesk.desktop").read_text(encoding="utf-8")
    assert f"Exec={unpacked}/dermdesk/dermdesk\n" in entry
    assert f"Icon={unpacked}/dermdesk.png\n" in entry
    assert "@DERMDESK_DIR@" not in entry and "Type=Application" in entry


def test_the_windows_script_installs_the_built_folder_and_keeps_data_out_of_it() -> None:
    iss = (INSTALLER / "dermdesk.iss").read_text(encoding="utf-8")
    assert "DefaultDirName={autopf}\\DermDesk" in iss
    assert 'Source: "dist\\dermdesk\\*"' in iss and "SourceDir=.." in iss
    assert (ROOT / "resources" / "icons" / "dermdesk.ico").is_file()
    shortcuts = re.findall(r'^Name: "\{group\}\\([^"]+)"', iss, re.MULTILINE)
    assert shortcuts == ["DermDesk", "DermDesk self-test", "Uninstall DermDesk"]
    assert "[UninstallDelete]" not in iss.replace("; No [UninstallDelete]", "")
    spec = (INSTALLER / "dermdesk.spec").read_text(encoding="utf-8")
    assert 'executable("dermdesk-gui", console=False)' in spec  # what the Start-menu entry opens
    assert "upx=False" in spec and "upx=True" not in spec
