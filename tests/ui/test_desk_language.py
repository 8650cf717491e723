"""Bahasa Indonesia by default, English switchable while the desk runs (the catalogue
itself is checked by tests/test_translations.py)."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk import i18n
from kiosk.core.priority import PriorityCategory
from kiosk.services import check_in
from kiosk.services.messages import result_message
from kiosk.services.results import CheckInOutcome
from kiosk.tools import translations
from tests.conftest import table_counts
from tests.ui.conftest import book, settle, tickets
from tests.ui.test_desk_verdicts import CASES


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


# --- a switch says again what is on screen; it does not make it happen again -------------

def _switch(desk, language):
    desk.set_language(language)
    assert desk.language == language


def _remaining_ms(desk):
    return desk._ready_timer.remainingTime()


def test_a_language_switch_rewords_the_verdict_with_its_own_time_and_repeats_nothing(qtbot, ctx, clock, catalogue,
                                                                                      desk):
    # GIVEN a code scanned too late at 09:00 (its 08:30 slot closed at 08:45): the desk says HANGUS
    code = book(ctx, time(8, 30))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    settle(qtbot, desk)
    panel = desk.scan.verdict
    assert panel.title.text() == "HANGUS" and panel.when.text() == "Dipindai pukul 09.00"
    indonesian_detail = panel.detail.text()
    assert indonesian_detail.startswith("Kode booking hangus: jadwal pukul 08.30")
    # AND some minutes later (the verdict's seconds partly gone), with nothing else happening
    clock.advance(timedelta(minutes=7))
    interval = desk._ready_timer.interval()
    qtbot.waitUntil(lambda: _remaining_ms(desk) < interval - 50)
    left_before = _remaining_ms(desk)
    desk.scan.manual.setText("JKP-12")  # being typed: a switch is not leaving the form
    played, rows = list(desk.sounds.played), table_counts(ctx)
    try:
        # WHEN the officer switches to English
        _switch(desk, "en")
        panel = desk.scan.verdict
        # THEN the same event is said in English, at the time it happened (09:00, not 09:07)
        assert panel.title.text() == "VOID (HANGUS)"
        assert panel.detail.text().startswith("The booking code is void: appointment at 08")
        assert panel.detail.text().endswith("or the applicant books again.")
        assert re.fullmatch(r"Scanned at 09[.:]00", panel.when.text())
        # AND its time on screen runs on, it is not restarted
        assert desk._ready_timer.isActive() and _remaining_ms(desk) <= left_before
        assert desk.scan.manual.text() == "JKP-12"
        # AND no sound, no database row, no second check-in
        settle(qtbot, desk)
        assert desk.sounds.played == played and table_counts(ctx) == rows
        # AND the scanner and the keyboard still work: a burst with the focus on the button
        second = book(ctx, time(10, 0), name="Siti Aminah")
        desk.activateWindow()
        desk.scan.check.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is desk.scan.check)
        with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
            qtbot.keyClicks(desk.scan.check, second)
            qtbot.keyClick(desk.scan.check, Qt.Key.Key_Return)
        assert shown.args[0].outcome is CheckInOutcome.ACCEPTED and desk.scan.verdict.title.text() == "ACCEPTED"
        assert re.fullmatch(r"Scanned at 09[.:]07", desk.scan.verdict.when.text())
        # AND back in Indonesian, that last verdict again, with its own time
        played = list(desk.sounds.played)
    finally:
        _switch(desk, "id")
    assert desk.scan.verdict.title.text() == "DITERIMA" and desk.scan.verdict.when.text() == "Dipindai pukul 09.07"
    assert desk.sounds.played == played


def test_a_verdict_whose_time_is_over_is_not_shown_again_by_a_switch(qtbot, ctx, catalogue, desk):
    code = book(ctx, time(10, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    desk._ready_timer.stop()  # its seconds are over: back to ready, as the timer does
    desk._ready_timer.timeout.emit()
    assert desk.scan.verdict.title.text() == "SIAP MEMINDAI"
    try:
        _switch(desk, "en")
        assert desk.scan.verdict.title.text() == "READY TO SCAN" and not desk._ready_timer.isActive()
    finally:
        _switch(desk, "id")


def test_lights_notices_and_the_walk_in_answer_are_reworded_by_a_switch(qtbot, ctx, catalogue, desk):
    # GIVEN a USB scan (the scanner light turned green), its printed notice and a walk-in ticket
    code = book(ctx, time(10, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "scanner")
    desk.devices.printed.emit(1, "A001")
    desk.show_tab(1)
    panel = desk.walkin
    panel.choose(PriorityCategory.DISABILITAS)
    panel.confirm.setChecked(True)
    with qtbot.waitSignal(panel.answered, timeout=10_000):
        panel.submit()
    desk.devices.on_camera_status("reconnecting", "0")  # the camera reports the source it cannot read
    settle(qtbot, desk)
    assert desk.lights.scanner.state.words == "pemindai USB bekerja"
    rows = table_counts(ctx)
    try:
        _switch(desk, "en")
        # THEN each says the same thing in English, and nothing was issued again
        assert desk.lights.scanner.state.words == "USB scanner working"
        assert desk.lights.camera.state.words == "no picture from 0; trying again"
        assert desk.scan.camera.message == "Camera: no picture from 0; trying again"

        assert desk.scan.notice.text() == "Ticket A001 printed."
        assert desk.walkin.result.text() == ("Number B001 is being printed. Please take the ticket and wait "
                                             "to be called.")
        assert desk.tabs.currentIndex() == 1
        settle(qtbot, desk)
        assert table_counts(ctx) == rows
    finally:
        _switch(desk, "id")
    assert desk.walkin.result.text().startswith("Nomor B001 sedang dicetak")
    # AND a form being filled in carries over a switch: a switch is not leaving it
    desk.walkin.choose(PriorityCategory.LANSIA)
    desk.walkin.birth.setText("01-01-1950")
    try:
        _switch(desk, "en")
        assert desk.walkin.category is PriorityCategory.LANSIA and desk.walkin.birth.text() == "01-01-1950"
        assert desk.walkin.buttons[PriorityCategory.LANSIA].isChecked()
    finally:
        _switch(desk, "id")


def test_a_refused_walk_in_is_reworded_by_a_switch_with_its_own_birth_date(qtbot, ctx, catalogue, desk):
    # GIVEN a lansia walk-in refused: born 5 May 1990, far too young
    desk.show_tab(1)
    panel = desk.walkin
    panel.choose(PriorityCategory.LANSIA)
    panel.birth.setText("05-05-1990")
    with qtbot.waitSignal(panel.answered, timeout=10_000) as answered:
        panel.submit()
    assert not answered.args[0].issued
    assert panel.result.text() == "Ditolak: lansia harus berusia minimal 60 tahun (lahir 5 Mei 1990)."
    rows = table_counts(ctx)
    try:
        _switch(desk, "en")
        # THEN the same refusal in English, with the same date in English, nothing asked again
        assert panel is not desk.walkin  # the tabs were rebuilt in the new language
        assert desk.walkin.result.text() == "Refused: elderly applicants must be at least 60 years old (born 5 May 1990)."
        settle(qtbot, desk)
        assert table_counts(ctx) == rows
    finally:
        _switch(desk, "id")
    assert desk.walkin.result.text() == "Ditolak: lansia harus berusia minimal 60 tahun (lahir 5 Mei 1990)."


@pytest.mark.parametrize("outcome, make", [c[:2] for c in CASES], ids=[c[0].value for c in CASES])
def test_every_check_in_sentence_can_be_said_again_from_its_result(ctx, outcome, make):
    # The re-wording works from the facts the result keeps: in the language of the
    # scan it is the very sentence the service wrote.
    code, _tickets = make(ctx)
    result = check_in(ctx, code)
    assert result.outcome is outcome
    assert result_message(result) == result.message


def test_a_switch_while_a_walk_in_is_with_the_service_shows_its_answer_once(qtbot, ctx, catalogue, desk):
    # GIVEN a priority ticket pressed, its answer not back yet
    desk.show_tab(1)
    panel = desk.walkin
    qtbot.waitUntil(lambda: panel.quota == 30)
    panel.choose(PriorityCategory.IBU_HAMIL)
    panel.confirm.setChecked(True)
    failures = []
    desk.runner.unhandled.connect(failures.append)
    panel.submit()
    panel.refresh_quota()  # and, behind it, the quota and the lists being read
    desk.today.refresh()
    desk.report.refresh()
    try:
        # WHEN the language is switched before they come
        _switch(desk, "en")
        assert not desk.walkin.submit_button.isEnabled()  # still one ticket per press
        with qtbot.waitSignal(desk.walkin.issued, timeout=10_000) as issued:
            pass
        # THEN the new panel shows the answer, in English; one ticket, one sound, no error
        settle(qtbot, desk)
        assert issued.args[0].ticket.label == "B001" and tickets(ctx) == 1 and not failures
        assert desk.walkin.result.text().startswith("Number B001 is being printed.")
        assert desk.sounds.played.count("accepted") == 1 and desk.walkin.quota == 29
    finally:
        _switch(desk, "id")
