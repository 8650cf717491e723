"""One "a ticket changed" signal for a window: the newest ticket event, looked at after
each of the window's own tasks and every few seconds for what the counters (another
window, another PC) did. Views listen to ``changed`` instead of being refreshed by hand
after each action."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.app import AppContext
from kiosk.services.today import latest_event
from kiosk.ui.tasks import TaskRunner


class TicketEvents(QObject):
    changed = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.latest: int | None = None
        self._looking = False
        self._timer = QTimer(self, interval=max(500, int(ctx.config.display.poll_interval * 2500)))
        self._timer.timeout.connect(self._tick)
        runner.task_done.connect(self.look)
        self.look()  # the starting point: before any task of the window, as the queue is FIFO

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        if not self.runner.pending:  # the window is busy with the database: it looks after that task
            self.look()

    def look(self) -> None:
        """Compare the newest ticket event with the last one seen; ``changed`` if it moved."""
        if self._looking:
            return
        self._looking = True
        self.runner.submit(lambda: latest_event(self.ctx), self._seen, watch=False)

    def _seen(self, newest: int | None, error: BaseException | None) -> None:
        self._looking = False
        if error is not None or newest is None:
            return  # the database light reports a lost database
        before, self.latest = self.latest, newest
        if before is not None and newest != before:
            self.changed.emit()
