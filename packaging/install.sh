#!/bin/sh
# Installs commandcenter from this offline bundle: a virtual environment of its own, the
# `commandcenter` launcher on the PATH, the desktop entry and the icons. Nothing is
# downloaded: pip takes every package from wheels/ (--no-index) and checks each one
# against the hashes in requirements.txt.
#
#   ./install.sh                  for this user (~/.local), or system-wide when run as root
#   ./install.sh --prefix DIR     under DIR (DIR/bin, DIR/lib/commandcenter, DIR/share)
#   ./install.sh --python PATH    the Python 3.11 to build the environment with
#   ./install.sh --no-desktop     without the desktop entry and icons
#   ./install.sh --uninstall      remove what an install with the same --prefix put there
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
want="3.11"
prefix=""
python=""
desktop=1
action=install

say() { printf '%s\n' "$*" >&2; }
fail() { say "install.sh: $*"; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || fail "--prefix needs a folder"; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --python) [ $# -ge 2 ] || fail "--python needs a path"; python="$2"; shift 2 ;;
    --python=*) python="${1#--python=}"; shift ;;
    --no-desktop) desktop=0; shift ;;
    --uninstall) action=uninstall; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
done

if [ -z "$prefix" ]; then
  if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi
mkdir -p "$prefix" 2>/dev/null || fail "cannot create $prefix"
prefix="$(cd "$prefix" && pwd)"
venv="$prefix/lib/commandcenter"
launcher="$prefix/bin/commandcenter"
share="$prefix/share"

refresh_desktop() {
  command -v update-desktop-database >/dev/null 2>&1 &&
    update-desktop-database -q "$share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 &&
    gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
  rm -rf "$venv"
  rm -f "$launcher" "$share/applications/commandcenter.desktop"
  find "$share/icons/hicolor" -path '*/apps/commandcenter.*' -delete 2>/dev/null || true
  refresh_desktop
  say "commandcenter removed from $prefix (its settings and store in your home stay)"
  exit 0
fi

# The wheels are built for one Python: look for it.
is_wanted() {
  "$1" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" \
    2>/dev/null
}
if [ -n "$python" ]; then
  is_wanted "$python" || fail "$python is not Python $want (this bundle's wheels are for $want)"
else
  for candidate in "python$want" python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && is_wanted "$candidate"; then
      python="$(command -v "$candidate")"
      break
    fi
  done
  [ -n "$python" ] || fail "this bundle needs Python $want (python$want); install it, e.g.
  apt-get install python$want python$want-venv     (Debian, Ubuntu)
  dnf install python$want                          (RHEL, Rocky, openEuler)
or name one with --python PATH"
fi
"$python" -c "import venv, ensurepip" 2>/dev/null ||
  fail "$python cannot make virtual environments: install python$want-venv"

started=$(date +%s)
say "installing commandcenter into $venv (Python: $python)…"
# an earlier install stays aside until the new one is complete, and comes back if it fails
rm -rf "$venv.old"
[ -d "$venv" ] && mv "$venv" "$venv.old"
restore() { rm -rf "$venv"; [ -d "$venv.old" ] && mv "$venv.old" "$venv"; }
"$python" -m venv "$venv" || { restore; fail "$python could not make $venv"; }
# only the bundle: no index, no pip configuration (its mirrors and find-links), no cache
PIP_CONFIG_FILE=/dev/null PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$venv/bin/python" -m pip install --quiet --no-index --no-cache-dir \
  --find-links "$here/wheels" --only-binary=:all: --require-hashes \
  -r "$here/requirements.txt" ||
  { restore; fail "pip could not install the bundle's wheels (see above)"; }
rm -rf "$venv.old"

mkdir -p "$prefix/bin"
ln -sf "$venv/bin/commandcenter" "$launcher"

if [ "$desktop" -eq 1 ]; then
  mkdir -p "$share/applications"
  sed "s|^Exec=.*|Exec=$launcher|; s|^TryExec=.*|TryExec=$launcher|" \
    "$here/share/applications/commandcenter.desktop" > "$share/applications/commandcenter.desktop"
  (cd "$here/share" && find icons -type f) | while read -r icon; do
    mkdir -p "$share/$(dirname "$icon")"
    cp "$here/share/$icon" "$share/$icon"
  done
  refresh_desktop
fi

version="$("$launcher" --version 2>/dev/null)" || fail "the installed launcher does not start"
say "$version installed in $(( $(date +%s) - started )) s: $launcher"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) say "note: $prefix/bin is not on your PATH; add it, or start $launcher" ;;
esac
