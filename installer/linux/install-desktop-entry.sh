#!/bin/sh
# Put DermDesk in the desktop's application menu for this user, pointing at the folder this script is in.
# Nothing is written outside ~/.local/share/applications; clinical data goes to the user's data folder
# (~/.local/share/DermDesk), never into this folder. To remove: delete that .desktop file and this folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$apps"
sed "s|@DERMDESK_DIR@|$here|g" "$here/dermdesk.desktop" > "$apps/dermdesk.desktop"
chmod 644 "$apps/dermdesk.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "DermDesk added to the application menu ($apps/dermdesk.desktop)."
echo "Check the installation with: $here/dermdesk/dermdesk selftest"
