"""Bahasa Indonesia by default, English switchable, every desk string in the catalogue."""

from __future__ import annotations

import importlib.util
from datetime import time
from pathlib import Path

from kiosk import i18n
from tests.ui.conftest import book

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "scripts" / "update_translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_desk_speaks_indonesian_by_default_and_english_on_request(qtbot, ctx, desk):
    assert desk.tabs.tabText(0) == "Pindai (F2)"
    try:
        desk.set_language("en")
        assert desk.tabs.tabText(0) == "Scan (F2)"
        assert desk.scan.verdict.title.text() == "READY TO SCAN"
        code = book(ctx, time(10, 0))
        with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
            desk.submit_code(code, "manual")
        assert desk.scan.verdict.title.text() == "ACCEPTED"
        assert desk.walkin.buttons and "Elderly" in next(iter(desk.walkin.buttons.values())).text()
    finally:
        desk.set_language("id")
    assert desk.tabs.tabText(0) == "Pindai (F2)" and i18n.current_translator() is None


def test_every_desk_string_has_an_english_translation():
    script = _script()
    found, known = script.extract(), script.read_ts()
    missing = [(c, t) for c in ("Desk", "Demo", "CheckIn", "WalkIn", "Supervisor") for t in found.get(c, [])
               if (c, t) not in known]
    assert not missing, f"run scripts/update_translations.py and translate: {missing[:5]}"
