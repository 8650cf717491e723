#!/usr/bin/env bash
# Installs what is missing, starts a throwaway PostgreSQL server on 127.0.0.1, runs the
# whole test suite headless and exits with pytest's status. Extra arguments go to pytest.
source "$(dirname "$0")/_setup.sh"
ensure_system_packages "${SYSTEM_PACKAGES[@]}"

# PostgreSQL server binaries: use an installed major version, install one if none.
find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PG_BIN="$(find_pg_bin)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  ensure_system_packages postgresql
  PG_BIN="$(find_pg_bin)"
fi
ensure_venv
ensure_translations
cd "$PROJECT_ROOT"

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
# Throwaway cluster: durability off for speed, loopback only, socket in the temp folder.
as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
export ANTREAN_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
export ANTREAN_TEST_PG_BIN="$PG_BIN"
export ANTREAN_TEST_PG_DATA="$PG_DIR/data"
printf '[test] PostgreSQL %s on 127.0.0.1:%s\n' "$("$PG_BIN/postgres" --version | awk '{print $3}')" "$PG_PORT"

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
status=0
"$VENV_PY" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "[test] pytest collected no tests: that is a failure here." >&2
fi
exit "$status"
