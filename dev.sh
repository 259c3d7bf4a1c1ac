#!/usr/bin/env bash
# Sets up everything commandcenter needs, then runs the client or the tests.
#
#   ./dev.sh run [options…]   set up, then start the client on the embedded data center
#   ./dev.sh test [pytest…]   set up, run the checks (ruff, ruff format, mypy, lint-imports),
#                             then the whole test suite
#   ./dev.sh bundle [--platform linux_x86_64|win_amd64]
#                             the offline bundle: dist/commandcenter-<version>-<platform>-offline.tar.gz
#   ./dev.sh lock [--upgrade] pin the dependencies per platform (requirements/*.txt)
#
# System libraries come from apt-get when running as root; otherwise the exact
# command to run is printed. Python packages go into .venv beside this script.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
venv="$here/.venv"

# Qt's xcb platform, EGL/GL, PulseAudio (QtMultimedia), the libraries QtWebEngine
# loads, and CJK fonts so Chinese never renders as boxes.
run_packages=(
  python3 python3-venv
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
  libxkbcommon0 libegl1 libgl1 libopengl0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libpulse0 libasound2 libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6
  libxkbfile1 libxshmfence1 libgbm1
  fonts-noto-cjk
)
# Tests: a virtual display (xdotool for a real mouse drag across widgets, xprop for what
# the installed client tells the window system, desktop-file-validate for its entry),
# GStreamer's RTSP server (driven through the system Python's GObject bindings) with
# x264, a PostgreSQL server, and an OpenLDAP server (slapd) with its tools.
test_packages=(
  xvfb xauth xdotool x11-utils desktop-file-utils
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-tools
  postgresql
  slapd ldap-utils
)

say() { printf '%s\n' "$*" >&2; }

ensure_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "note: not a Debian/Ubuntu system; make sure these are installed: $*"
    return 0
  fi
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "commandcenter needs these system packages. Run:"
    say ""
    say "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    say ""
    say "then run this command again."
    exit 1
  fi
}

# Runs one check; if it fails, says which and stops.
check() {
  local what="$1"
  shift
  if ! "$@"; then
    say ""
    say "./dev.sh test: $what failed (see above); the tests were not run."
    exit 1
  fi
}

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  say "commandcenter needs Python 3.11 or newer (python3 --version says: $(python3 --version 2>&1 || echo none))."
  exit 1
}

ensure_venv() {
  local extras="$1"
  if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    "$(find_python)" -m venv "$venv"
  fi
  # Reinstall only when the project's requirements changed.
  local stamp="$venv/.installed-$extras"
  local want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing Python packages into $venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    "$venv/bin/python" -m pip install -q -e ".[$extras]"
    echo "$want" > "$stamp"
  fi
  # The interface's Chinese comes from the Qt Linguist sources compiled here.
  "$venv/bin/python" tools/translations.py build
}

command="${1:-run}"
shift || true
case "$command" in
  run)
    ensure_system_packages "${run_packages[@]}"
    ensure_venv postgres
    exec "$venv/bin/commandcenter" run "$@"
    ;;
  test)
    ensure_system_packages "${run_packages[@]}" "${test_packages[@]}"
    ensure_venv test
    # the checks, cheapest first; the first to fail stops the run before the tests
    check "ruff check (lint)" "$venv/bin/ruff" check --quiet .
    check "ruff format --check (layout; '.venv/bin/ruff format .' rewrites it)" \
      "$venv/bin/ruff" format --check --quiet .
    check "mypy (types)" "$venv/bin/mypy"
    check "lint-imports (the layers in pyproject.toml)" "$venv/bin/lint-imports"
    # Qt tests need a display: a private virtual one, torn down afterwards (and one more
    # for each worker, which tests/conftest.py starts). The files are shared out among
    # as many workers as the machine has cores; `-n 0` after the command runs them in one.
    exec xvfb-run -a -s "-screen 0 1920x1080x24" \
      "$venv/bin/python" -m pytest -n auto --dist loadfile "$@"
    ;;
  bundle)
    ensure_venv dev
    exec "$venv/bin/python" tools/bundle.py build "$@"
    ;;
  lock)
    ensure_venv dev
    exec "$venv/bin/python" tools/bundle.py lock "$@"
    ;;
  *)
    say "usage: ./dev.sh run [options…] | ./dev.sh test [pytest options…] | ./dev.sh bundle [--platform P] | ./dev.sh lock [--upgrade]"
    exit 2
    ;;
esac
