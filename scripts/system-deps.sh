#!/usr/bin/env bash
# The system packages the tests need besides the Python ones, on Debian/Ubuntu: Qt's offscreen
# libraries, poppler-utils (pdftotext, pdffonts, pdftoppm read the reports back), binutils (objcopy,
# objdump: PyInstaller's one-folder build on Linux), dicom3tools (dciodvfy) and dcmtk (dcmdump), which
# check and read back the DICOM objects DermDesk writes, chromium with chromium-driver (the browser test of
# the dermatologists' web pages, by Selenium), and orthanc with orthanc-dicomweb (its
# ModalityWorklists plugin comes with orthanc): the PACS and worklist the interop tests start privately,
# with their own configuration and ports (tests/interop/orthanc.py). `make check` and `make test` (so CI
# too) run it.
#
# Idempotent and quick when nothing is missing: it only looks. When something is missing it runs
# `apt-get update` and installs just those packages, as root (or through `sudo -n` where that needs no
# password); otherwise it names what to install in one line and fails, before any test runs.
set -euo pipefail

[ "$(uname -s)" = Linux ] || exit 0 # macOS and Windows: see the README's platform notes

ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig) # /sbin is not on a Debian user's PATH
libraries=$("$ldconfig_bin" -p 2>/dev/null || true)        # read once: `ldconfig -p | grep -q` can SIGPIPE

missing=()
need_library() { # soname, package
  grep -qF "$1" <<<"$libraries" || missing+=("$2")
}
need_tools() { # package, tools...
  local package=$1 tool
  shift
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      missing+=("$package")
      return
    fi
  done
}

need_library libEGL.so.1 libegl1
need_library libGL.so.1 libgl1
need_library libfontconfig.so.1 libfontconfig1
need_library libxkbcommon.so.0 libxkbcommon0
need_library libdbus-1.so.3 libdbus-1-3
need_library libglib-2.0.so.0 libglib2.0-0
need_tools poppler-utils pdftotext pdffonts pdftoppm
need_tools binutils objcopy objdump
need_tools dicom3tools dciodvfy # checks every DICOM object DermDesk writes (tests/interop)
need_tools dcmtk dcmdump        # a second DICOM implementation reads our objects back (tests/interop)
need_tools chromium chromium    # a real browser for the dermatologists' web pages (tests/central)
need_tools chromium-driver chromedriver # Selenium drives it; nothing is downloaded at test time
need_file() { # path, package
  [ -e "$1" ] || missing+=("$2")
}
need_file /usr/sbin/Orthanc orthanc # the tests' own PACS and worklist; the system service is not used
need_file /usr/share/orthanc/plugins/libModalityWorklists.so orthanc
need_file /usr/share/orthanc/plugins/libOrthancDicomWeb.so orthanc-dicomweb

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  echo "system-deps: missing ${missing[*]}; install them as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${missing[*]} (Debian names); install your distribution's equivalents" >&2
  exit 1
fi

echo "system-deps: missing ${missing[*]}; installing them with apt-get"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
# Installing orthanc enables Debian's own Orthanc service; the tests start their own, so stop and disable
# that one rather than leave an open DICOM server behind (no-op in containers without systemd).
if [[ " ${missing[*]} " == *" orthanc "* ]] && command -v systemctl >/dev/null; then
  as_root systemctl disable --now orthanc >/dev/null 2>&1 || true
fi
