#!/usr/bin/env bash
# Installs what is missing, then starts Antrean Paspor with demo data, SQLite and a
# preview printer. Extra arguments are passed to `main.py demo`.
source "$(dirname "$0")/_setup.sh"
ensure_system_packages "${SYSTEM_PACKAGES[@]}"
ensure_venv
ensure_translations
cd "$PROJECT_ROOT"
exec "$VENV_PY" main.py demo "$@"
