"""The desk follows one "a ticket changed" signal, and a background failure nobody
handled is shown to the officer in words, never only logged."""

from __future__ import annotations

import pytest

from kiosk.services import walk_in
from kiosk.ui.desk_window import Tab
from kiosk.ui.handlers import split

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_a_ticket_issued_elsewhere_reaches_the_shown_today_tab_by_the_one_signal(qtbot, ctx, desk):
    # GIVEN the officer on *Hari ini*, with no tickets yet
    desk.show_tab(Tab.TODAY)
    qtbot.waitUntil(lambda: desk.today.overview is not None and not desk.today.overview.tickets, timeout=10_000)
    # WHEN the self-service kiosk issues a priority ticket
    with qtbot.waitSignal(desk.events.changed, timeout=10_000):
        walk_in(ctx, "disabilitas")
    # THEN the tab lists it without F5
    qtbot.waitUntil(lambda: [t.label for t in desk.today.overview.tickets] == ["B001"], timeout=10_000)


def test_a_failed_task_without_a_handler_is_shown_in_words(qtbot, desk):
    def broken() -> None:
        raise RuntimeError("disk on fire")

    # WHEN a background task fails and its caller gave no failure handler
    with qtbot.waitSignal(desk.runner.unhandled, timeout=10_000):
        desk.runner.submit(broken, split(lambda _: None))
    # THEN the officer reads plain words naming the kind of fault, not a traceback
    notice = desk.scan.notice.text()
    assert "RuntimeError" in notice and "Traceback" not in notice and "Coba lagi" in notice
