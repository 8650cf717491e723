#!/usr/bin/env bash
# Runs a benchmark script with the project's venv and a throwaway, durable PostgreSQL
# on 127.0.0.1 (ANTREAN_TEST_PG_URL), e.g.: ./scripts/bench.sh benchmarks/checkin.py
source "$(dirname "$0")/_setup.sh"
ensure_system_packages "${SYSTEM_PACKAGES[@]}"
ensure_venv
ensure_translations
cd "$PROJECT_ROOT"
start_throwaway_pg durable
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
status=0
"$VENV_PY" "$@" || status=$?
exit "$status"
