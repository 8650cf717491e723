#!/usr/bin/env bash
# Static checks CI runs before the tests: ruff (a deliberate rule set, pyproject.toml),
# the layer contracts (import-linter, pyproject.toml), mypy --strict on the core, the use
# cases, storage and the settings model, and the list of code that only tests call.
source "$(dirname "$0")/_setup.sh"
ensure_venv
cd "$PROJECT_ROOT"
export PYTHONDONTWRITEBYTECODE=1
status=0
step() {
  local name="$1"; shift
  if "$@"; then log "$name: ok"; else log "$name: FAILED"; status=1; fi
}
step "ruff" "$VENV_PY" -m ruff check --no-cache kiosk display tests benchmarks scripts main.py
step "import contracts" "$VENV/bin/lint-imports" --no-cache
step "mypy --strict" "$VENV_PY" -m mypy --no-incremental
# The shared unwired checker sits beside the project (../shared); a clone without it skips.
unwired="$PROJECT_ROOT/../shared/tools/unwired.py"
if [ -f "$unwired" ]; then
  step "unwired (code only tests call)" "$VENV_PY" "$unwired"
else
  log "unwired: skipped, $unwired not found"
fi
exit "$status"
