"""Walk-in priority at the desk: category, date of birth checked against the age rule,
the quota shown and running out, a B ticket with its print job."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.core.priority import PriorityCategory
from kiosk.services.results import CheckInOutcome, WalkInOutcome
from kiosk.store import PrintJob, Ticket
from kiosk.ui.walkin_panel import format_birth_digits, parse_birth
from tests.ui.conftest import book, count, print_jobs, settle, tickets


def _issue(qtbot, panel, category, birth=None, confirm=False):
    panel.choose(category)
    if birth is not None:
        panel.birth.setText(birth)
    if confirm:
        panel.confirm.setChecked(True)
    with qtbot.waitSignal(panel.answered, timeout=10_000) as answered:
        qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    return answered.args[0]


def test_an_elderly_walk_in_gets_a_b_ticket_and_the_quota_goes_down(qtbot, ctx, desk):
    panel = desk.walkin
    desk.show_tab(1)
    qtbot.waitUntil(lambda: panel.quota == 30)
    # WHEN a 66-year-old is registered as lansia
    result = _issue(qtbot, panel, PriorityCategory.LANSIA, "25-01-1960")
    # THEN B001 is printed, the quota shows one fewer
    assert result.outcome is WalkInOutcome.ISSUED and result.ticket.label == "B001"
    assert "B001" in panel.result.text()
    assert panel.quota == 29 and "29 dari 30" in panel.quota_label.text()
    assert count(ctx, Ticket, Ticket.category == "lansia") == 1
    assert print_jobs(ctx, PrintJob.ticket_id == result.ticket.id) == 1


def test_a_too_young_lansia_is_refused_and_nothing_is_issued(qtbot, ctx, desk):
    result = _issue(qtbot, desk.walkin, PriorityCategory.LANSIA, "01-12-1990")
    assert result.outcome is WalkInOutcome.AGE_REFUSED
    assert "minimal 60 tahun" in desk.walkin.result.text()
    assert desk.walkin.result.property("colour") == "#b3261e"
    assert tickets(ctx) == 0 and print_jobs(ctx) == 0


def test_a_child_of_five_is_not_anak(qtbot, ctx, desk):
    result = _issue(qtbot, desk.walkin, PriorityCategory.ANAK, "01-12-2021")  # five today
    assert result.outcome is WalkInOutcome.AGE_REFUSED and tickets(ctx) == 0


def test_disabilitas_needs_no_birth_date_but_the_officers_confirmation(qtbot, ctx, desk):
    panel = desk.walkin
    panel.choose(PriorityCategory.DISABILITAS)
    assert panel.birth.isHidden() and not panel.confirm.isHidden()
    panel.submit()  # not confirmed yet
    assert "konfirmasi" in panel.result.text() and tickets(ctx) == 0
    result = _issue(qtbot, panel, PriorityCategory.DISABILITAS, confirm=True)
    assert result.outcome is WalkInOutcome.ISSUED and tickets(ctx) == 1


@pytest.mark.parametrize("text", ["", "31-02-1950", "1-1-50", "01-01-2030", "abcdefgh", "9" * 200])
def test_a_bad_birth_date_is_explained_and_changes_nothing(qtbot, ctx, desk, text):
    panel = desk.walkin
    panel.choose(PriorityCategory.LANSIA)
    panel.birth.setText(text)
    panel.submit()
    settle(qtbot, desk)
    assert panel.result.text() and panel.result.property("colour") == "#8a5300"
    assert tickets(ctx) == 0


def test_when_the_quota_runs_out_the_next_walk_in_is_refused_and_buttons_go_grey(qtbot, make_ctx, make_desk):
    ctx = make_ctx(priority={"daily_quota": 1})
    desk = make_desk(ctx)
    panel = desk.walkin
    qtbot.waitUntil(lambda: panel.quota == 1)
    assert _issue(qtbot, panel, PriorityCategory.IBU_HAMIL, confirm=True).outcome is WalkInOutcome.ISSUED
    # THEN the quota shows 0 and the category buttons are disabled
    assert panel.quota == 0 and "0 dari 1" in panel.quota_label.text()
    assert not any(b.isEnabled() for b in panel.buttons.values())
    assert not panel.submit_button.isEnabled()
    # AND a second desk that still believed in the quota is refused by the service
    other = make_desk(ctx)
    other.walkin.quota = 1  # as if it had read the quota before the first ticket
    other.walkin._update_form()
    result = _issue(qtbot, other.walkin, PriorityCategory.DISABILITAS, confirm=True)
    assert result.outcome is WalkInOutcome.QUOTA_FULL and tickets(ctx) == 1


def test_categories_are_reached_by_alt_number_and_issued_by_ctrl_enter(qtbot, ctx, desk):
    desk.activateWindow()
    desk.show_tab(1)
    qtbot.keyClick(desk, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert desk.walkin.category is PriorityCategory.ANAK
    desk.walkin.birth.setText("01-06-2024")
    with qtbot.waitSignal(desk.walkin.answered, timeout=10_000) as answered:
        qtbot.keyClick(desk.walkin.birth, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert answered.args[0].outcome is WalkInOutcome.ISSUED


def test_birth_dates_are_read_the_indonesian_way():
    today = date(2026, 12, 1)
    assert parse_birth("25-01-1987", today) == date(1987, 1, 25)
    assert parse_birth("25011987", today) == date(1987, 1, 25)
    assert parse_birth("25/01/1987", today) == date(1987, 1, 25)
    with pytest.raises(ValueError):
        parse_birth("1987-01-25", today)
    assert format_birth_digits("2501") == "25-01" and format_birth_digits("25011987") == "25-01-1987"


# --- the confirmation by keyboard; forms cleared when the officer leaves them -----------

def _focused():
    return QApplication.focusWidget()


def test_the_confirmation_is_a_large_toggle_the_keyboard_reaches_and_switches(qtbot, ctx, desk):
    # GIVEN the desk at its usual size, on the priority tab, disabilitas chosen by mouse
    desk.activateWindow()
    desk.show_tab(1)
    panel = desk.walkin
    qtbot.waitUntil(lambda: panel.quota == 30)
    qtbot.mouseClick(panel.buttons[PriorityCategory.DISABILITAS], Qt.MouseButton.LeftButton)
    toggle = panel.confirm
    # THEN the confirmation is a large control with its state in words, and its name
    assert desk.size().height() == 720 and toggle.height() >= 44 and toggle.width() >= 300
    assert toggle.accessibleName() == "Konfirmasi petugas" and "BELUM DIKONFIRMASI" in toggle.text()
    assert not panel.submit_button.isEnabled()
    # WHEN the officer goes there with Tab from the first category button (each key is
    # held back for the scanner wedge's few milliseconds, so the test waits for its effect)
    first = next(iter(panel.buttons.values()))
    first.setFocus()
    qtbot.waitUntil(lambda: _focused() is first)
    for _ in range(len(panel.buttons) + 2):
        if _focused() is toggle:
            break
        was = _focused()
        qtbot.keyClick(was, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda was=was: _focused() is not was)
    assert _focused() is toggle
    # AND presses Space: it is on, says so, and the issue button can be pressed
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    qtbot.waitUntil(toggle.isChecked)
    assert toggle.text().endswith("DIKONFIRMASI: sudah diperiksa petugas") and panel.submit_button.isEnabled()
    # AND Enter switches it off again (Ctrl+Enter still issues)
    qtbot.keyClick(toggle, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not toggle.isChecked())
    assert not panel.submit_button.isEnabled()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    qtbot.waitUntil(toggle.isChecked)
    qtbot.keyClick(toggle, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: _focused() is panel.submit_button)
    with qtbot.waitSignal(panel.answered, timeout=10_000) as answered:
        qtbot.keyClick(panel.submit_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert answered.args[0].outcome is WalkInOutcome.ISSUED and tickets(ctx) == 1
    assert not toggle.isChecked()  # the next applicant is confirmed anew


def test_choosing_a_category_by_keyboard_puts_the_focus_on_the_confirmation(qtbot, ctx, desk):
    desk.activateWindow()
    desk.show_tab(1)
    qtbot.keyClick(desk, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # ibu hamil
    qtbot.waitUntil(lambda: _focused() is desk.walkin.confirm)


def _fill(panel):
    panel.choose(PriorityCategory.LANSIA)
    panel.birth.setText("01-01-1950")
    panel.name.setText("Sri Wahyuni")


def _empty(panel):
    return (panel.category is None and panel.birth.text() == "" and panel.name.text() == ""
            and not panel.confirm.isChecked() and not any(b.isChecked() for b in panel.buttons.values())
            and not panel.submit_button.isEnabled())


def test_the_walk_in_form_is_cleared_when_the_officer_goes_to_another_tab(qtbot, ctx, desk):
    panel = desk.walkin
    desk.show_tab(1)
    qtbot.waitUntil(lambda: panel.quota == 30)
    # GIVEN each field filled: category, date of birth, name
    _fill(panel)
    # WHEN the officer goes to Today (F4) and comes back
    desk.show_tab(2)
    desk.show_tab(1)
    # THEN nothing of it waits for the next applicant
    assert _empty(panel)
    # AND the same for the confirmation of a category that needs no date of birth
    panel.choose(PriorityCategory.IBU_HAMIL)
    panel.confirm.setChecked(True)
    desk.show_tab(0)
    desk.show_tab(1)
    assert _empty(panel)
    # AND the search on Today is a filter, not a form: it stays
    desk.show_tab(2)
    desk.today.search.setText("A0")
    desk.show_tab(1)
    desk.show_tab(2)
    assert desk.today.search.text() == "A0"
    # AND a code half typed on the scan tab is not left there either
    desk.show_tab(0)
    desk.scan.manual.setText("JKP-12")
    desk.show_tab(2)
    desk.show_tab(0)
    assert desk.scan.manual.text() == ""
    settle(qtbot, desk)
    assert tickets(ctx) == 0


def test_leaving_while_a_ticket_is_being_issued_loses_no_ticket(qtbot, ctx, desk):
    panel = desk.walkin
    desk.show_tab(1)
    qtbot.waitUntil(lambda: panel.quota == 30)
    _fill(panel)
    # WHEN the officer presses issue and leaves the tab before the answer comes
    with qtbot.waitSignal(panel.issued, timeout=10_000) as issued:
        panel.submit()
        desk.show_tab(2)
        assert _empty(panel)
    # THEN the ticket was issued and printed, for the applicant typed before leaving
    result = issued.args[0]
    assert result.ticket.label == "B001" and tickets(ctx) == 1 and print_jobs(ctx) == 1
    desk.show_tab(1)
    assert "B001" in panel.result.text() or _empty(panel)


def test_a_scanner_burst_into_the_walk_in_form_checks_in_and_clears_the_form(qtbot, ctx, desk):
    # GIVEN the officer in the walk-in form, the date of birth being typed
    code = book(ctx, time(10, 0))
    panel = desk.walkin
    desk.activateWindow()
    desk.show_tab(1)
    _fill(panel)
    panel.birth.setFocus()
    qtbot.waitUntil(lambda: _focused() is panel.birth)
    # WHEN a USB scanner bursts a booking code and Enter into the field
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
        qtbot.keyClicks(panel.birth, code)
        qtbot.keyClick(panel.birth, Qt.Key.Key_Return)
    # THEN the applicant is checked in, the desk shows the verdict, no priority ticket
    assert shown.args[0].outcome is CheckInOutcome.ACCEPTED and desk.tabs.currentIndex() == 0
    settle(qtbot, desk)
    assert tickets(ctx) == 1 and count(ctx, Ticket, Ticket.category.is_not(None)) == 0
    # AND the walk-in form it left is empty
    assert _empty(panel)
