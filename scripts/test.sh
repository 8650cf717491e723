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
status=0
"$VENV_PY" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "[test] pytest collected no tests: that is a failure here." >&2
fi
exit "$status"
