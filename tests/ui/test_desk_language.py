"""Bahasa Indonesia by default, English switchable while the desk runs (the catalogue
itself is checked by tests/test_translations.py)."""

from __future__ import annotations

from datetime import time

import pytest

from kiosk import i18n
from kiosk.tools import translations
from tests.ui.conftest import book


@pytest.fixture
def catalogue(tmp_path, monkeypatch):
    """The English catalogue compiled from the repository's .ts, as setup does."""
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    translations.compile_catalogues(tmp_path)



def test_the_desk_speaks_indonesian_by_default_and_english_on_request(qtbot, ctx, catalogue, desk):
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
