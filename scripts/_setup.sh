# shellcheck shell=bash
# Shared by run.sh and test.sh: make a fresh Debian/Ubuntu machine ready, idempotently.
# Sourced, not executed. Sets PROJECT_ROOT and VENV_PY.

set -euo pipefail
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$PROJECT_ROOT/.venv"
VENV_PY="$VENV/bin/python"

# System libraries the Python packages load at run time:
#   libzbar0 (pyzbar), libusb-1.0-0 (USB printers), libpulse0 + pulseaudio (Qt Multimedia
#   and a null sink for tests), espeak-ng (Indonesian voice fragments), the xcb/EGL/GL/
#   fontconfig libraries Qt's platform plugins need, xvfb for screenshots of real windows,
#   xvfb + openbox + xdotool + x11-utils (xprop) for the tests that type as a USB scanner
#   on a real X display, binutils (objdump) for the PyInstaller build, nginx and openssl
#   for the test that puts the documented TLS reverse proxy in front of wa-server,
#   chromium + chromium-driver for the web board's browser tests (headless; selenium
#   drives the local chromedriver), poppler-utils (pdftotext, pdftoppm) to read back and
#   picture the report's PDF in tests and docs/screenshots.
SYSTEM_PACKAGES=(
  libzbar0 libusb-1.0-0 libpulse0 pulseaudio espeak-ng sox
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 fonts-dejavu-core
  xvfb xauth openbox xdotool x11-utils libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-xinerama0 libxcb-cursor0 libgssapi-krb5-2
  binutils nginx openssl chromium chromium-driver poppler-utils
)

log() { printf '[setup] %s\n' "$*" >&2; }

missing_system_packages() {
  local pkg missing=()
  command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian/Ubuntu: nothing we can check
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  printf '%s\n' "${missing[@]+"${missing[@]}"}"
}

ensure_system_packages() {
  local missing
  mapfile -t missing < <(missing_system_packages "$@" | sed '/^$/d')
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "These system packages are missing: ${missing[*]}"
    log "Install them once as root, then run this script again:"
    log "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    exit 2
  fi
  log "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
}

ensure_venv() {
  local stamp="$VENV/.antrean-installed" want
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    ensure_system_packages python3-venv
  fi
  if [ ! -x "$VENV_PY" ]; then
    log "Creating $VENV"
    python3 -m venv "$VENV"
  fi
  # Reinstall only when the declared dependencies changed.
  want="$(sha256sum "$PROJECT_ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "Installing the project and its test extras into .venv (first run takes a few minutes)"
    "$VENV_PY" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV_PY" -m pip install -q --disable-pip-version-check -e "$PROJECT_ROOT[test]"
    echo "$want" > "$stamp"
  fi
}

ensure_translations() {
  # Qt .qm catalogues are built from the .ts sources, never committed.
  local ts qm
  for ts in "$PROJECT_ROOT"/resources/i18n/*.ts; do
    [ -e "$ts" ] || continue
    qm="${ts%.ts}.qm"
    if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
      (cd "$PROJECT_ROOT" && "$VENV_PY" -m kiosk.tools.translations compile >/dev/null)
      break
    fi
  done
}

# A throwaway PostgreSQL server on 127.0.0.1 (free port, temp folder), stopped on exit.
# Exports ANTREAN_TEST_PG_URL, ANTREAN_TEST_PG_BIN, ANTREAN_TEST_PG_DATA. Needs ensure_venv first.
# With "durable" (benchmarks) the server keeps fsync on, as a real office server would.
start_throwaway_pg() {
  local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${1:-}" = "durable" ] && speed=""
  # PostgreSQL server binaries: use an installed major version, install one if none.
  find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
  PG_BIN="$(find_pg_bin)"
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    ensure_system_packages postgresql
    PG_BIN="$(find_pg_bin)"
  fi
  PG_DIR="$(mktemp -d -t antrean-pg.XXXXXX)"
  PG_PORT="$("$VENV_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_pg_owner() {
    # initdb and postgres refuse to run as root: use the postgres system user then.
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
  }
  stop_pg() {
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  }
  trap stop_pg EXIT INT TERM

  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
    chown postgres "$PG_DIR"
  fi
  as_pg_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
  # Loopback only, socket in the temp folder; for tests durability is off for speed.
  as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR $speed -c max_connections=200" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
  export ANTREAN_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
  export ANTREAN_TEST_PG_BIN="$PG_BIN"
  export ANTREAN_TEST_PG_DATA="$PG_DIR/data"
  printf '[setup] PostgreSQL %s on 127.0.0.1:%s\n' "$("$PG_BIN/postgres" --version | awk '{print $3}')" "$PG_PORT" >&2
}
