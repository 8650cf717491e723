#!/usr/bin/env bash
# Installs what is missing, starts a throwaway PostgreSQL server on 127.0.0.1, runs the
# whole test suite headless and exits with pytest's status. Extra arguments go to pytest.
source "$(dirname "$0")/_setup.sh"
ensure_system_packages "${SYSTEM_PACKAGES[@]}"

ensure_venv
ensure_translations
cd "$PROJECT_ROOT"
start_throwaway_pg

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
# Parallel workers (pytest-xdist), one test file per worker at a time, so a module's
# window or server is built once: most of the suite waits on subprocesses, servers, X and
# the browser. ANTREAN_TEST_WORKERS=0 runs everything in this one process.
workers="${ANTREAN_TEST_WORKERS:-$(( $(nproc) < 4 ? $(nproc) : 4 ))}"
parallel=()
if [ "$workers" -gt 1 ]; then
  parallel=(-n "$workers" --dist loadfile)
fi
status=0
"$VENV_PY" -m pytest "${parallel[@]}" "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "[test] pytest collected no tests: that is a failure here." >&2
fi
exit "$status"
