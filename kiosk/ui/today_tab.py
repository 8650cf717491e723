"""Today: booked / checked in / void / waiting per service, search, today's tickets."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from shiboken6 import isValid
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from kiosk.app import AppContext
from kiosk.i18n import clock_time, long_date, tr
from kiosk.services.names import category_name, service_label
from kiosk.services.today import TodayOverview, today_overview
from kiosk.ui import look
from kiosk.ui.handlers import split
from kiosk.ui.tasks import TaskRunner

C = "Desk"


def state_words(state: str) -> str:
    return {
        "waiting": tr(C, "menunggu"), "called": tr(C, "dipanggil"), "serving": tr(C, "dilayani"),
        "done": tr(C, "selesai"), "no_show": tr(C, "tidak hadir"), "cancelled": tr(C, "dibatalkan"),
        "transferred": tr(C, "dialihkan"),
    }.get(state, state)


class TodayTab(QWidget):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.overview: TodayOverview | None = None
        self.title = QLabel()
        self.title.setFont(look.font(16, bold=True))
        self.counts = QTableWidget(0, 5)
        self.counts.setObjectName("counts")
        self.counts.setHorizontalHeaderLabels([tr(C, "Layanan"), tr(C, "Booking"), tr(C, "Sudah check-in"),
                                               tr(C, "Hangus"), tr(C, "Menunggu")])
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.counts.setMaximumHeight(34 + 30 * len(ctx.config.queue.services))
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr(C, "Cari nomor (A042) atau kode booking…  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(64)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.refresh_button = QPushButton(tr(C, "Muat ulang (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.tickets = QTableWidget(0, 6)
        self.tickets.setObjectName("tickets")
        self.tickets.setHorizontalHeaderLabels([tr(C, "Nomor"), tr(C, "Status"), tr(C, "Diterbitkan"),
                                                tr(C, "Jadwal"), tr(C, "Kategori / kode"), tr(C, "Loket")])
        self.tickets.verticalHeader().hide()
        self.tickets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tickets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tickets.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tickets.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tickets.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.counts)
        layout.addLayout(row)
        layout.addWidget(self.tickets, 1)
        layout.addWidget(self.empty)

    def leave(self) -> None:
        """The officer went to another tab: the search (a filter, not a form) stays."""

    def activate(self) -> None:
        """Shown: today's list read again."""
        self.refresh()

    def ticket_changed(self) -> None:
        """A ticket changed (here, at a counter, on another PC): read again while shown."""
        if self.isVisible():
            self.refresh()

    def selected_number(self) -> str | None:
        row = self.tickets.currentRow()
        item = self.tickets.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    def refresh(self) -> None:
        text = self.search.text()
        self.runner.submit(lambda: today_overview(self.ctx, text), split(self.show_overview))

    def show_overview(self, o: TodayOverview) -> None:
        if not isValid(self):
            return  # read for the tab a language switch replaced: the new one reads its own
        self.overview = o
        self.title.setText(tr(C, "Hari ini, {date} — sisa kuota prioritas {left}", date=long_date(o.day),
                              left=o.priority_quota_left))
        self.counts.setRowCount(len(o.services))
        for r, s in enumerate(o.services):
            for c, value in enumerate([service_label(s.service, s.name), s.booked, s.checked_in, s.void, s.waiting]):
                item = QTableWidgetItem(str(value))
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.counts.setItem(r, c, item)
        selected = self.selected_number()
        self.tickets.setRowCount(len(o.tickets))
        for r, t in enumerate(o.tickets):
            values = [t.label, state_words(t.state), clock_time(t.issued_at), clock_time(t.slot) if t.slot else "",
                      category_name(t.category) if t.category else t.booking_code or "", str(t.counter or "")]
            for c, value in enumerate(values):
                self.tickets.setItem(r, c, QTableWidgetItem(value))
            if t.label == selected:
                self.tickets.setCurrentCell(r, 0)  # a refresh keeps the officer's choice
        if not o.tickets:
            self.empty.setText(tr(C, "Tidak ada tiket yang cocok.") if self.search.text().strip()
                               else tr(C, "Belum ada tiket hari ini."))
        else:
            self.empty.setText(tr(C, "{n} tiket", n=len(o.tickets)))
