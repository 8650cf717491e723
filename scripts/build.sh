#!/usr/bin/env bash
# Builds the one-folder program with PyInstaller (dist/AntreanPaspor), then runs the
# built program's --version and its headless self-test, and prints the bundle size.
source "$(dirname "$0")/_setup.sh"
ensure_system_packages "${SYSTEM_PACKAGES[@]}"
ensure_venv
ensure_translations
cd "$PROJECT_ROOT"
"$VENV_PY" -m pip install -q --disable-pip-version-check 'pyinstaller>=6.10,<7'
rm -rf build/AntreanPaspor dist/AntreanPaspor
"$VENV_PY" -m PyInstaller --noconfirm --log-level WARN installer.spec
program="dist/AntreanPaspor/AntreanPaspor"
"$program" --version
QT_QPA_PLATFORM=offscreen "$program" selftest
printf '[build] %s: %s in %s files\n' "$program" "$(du -sh dist/AntreanPaspor | cut -f1)" \
  "$(find dist/AntreanPaspor -type f | wc -l)"
