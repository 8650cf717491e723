"""The desk's *Hari ini* tab follows the counters: a call made at a loket shows up by
itself, from the ticket events, with the counts the daily report gives."""

from __future__ import annotations

from kiosk.reports.daily import daily_report
from kiosk.services import call_next, walk_in
from tests.ui.conftest import settle


def _states(tab) -> dict[str, str]:
    return {tab.tickets.item(r, 0).text(): tab.tickets.item(r, 1).text() for r in range(tab.tickets.rowCount())}


def test_the_today_tab_follows_calls_made_at_the_counters(qtbot, ctx, desk):
    walk_in(ctx, "disabilitas")
    walk_in(ctx, "ibu_hamil")
    # GIVEN the officer looking at *Hari ini*, with a ticket selected
    desk.show_tab(2)
    qtbot.waitUntil(lambda: _states(desk.today) == {"B001": "menunggu", "B002": "menunggu"}, timeout=10_000)
    desk.today.tickets.setCurrentCell(1, 0)
    selected = desk.today.selected_number()
    settle(qtbot, desk)
    # WHEN loket 1 calls the next person, in another window or on another PC
    call_next(ctx, 1)
    # THEN the tab shows it without anyone pressing F5, and keeps the selection
    qtbot.waitUntil(lambda: _states(desk.today).get("B001") == "dipanggil", timeout=10_000)
    assert desk.today.selected_number() == selected
    # AND its counts are the daily report's
    report = daily_report(ctx, ctx.today())
    rows = {s.service: s.checked_in for s in desk.today.overview.services}
    assert rows == report.tickets_per_service
