"""Laporan: the daily report for the head of office, with its charts, and export to CSV,
HTML and PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTextBrowser, QVBoxLayout, QWidget,
)
from shiboken6 import isValid

from kiosk.app import AppContext
from kiosk.i18n import tr
from kiosk.reports.daily import DailyReport, daily_report
from kiosk.reports.render import chart_images, report_document, write
from kiosk.ui.tasks import TaskRunner

C = "Report"


class ReportTab(QWidget):
    """The day's figures, computed from ticket events off the GUI thread."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.report: DailyReport | None = None
        self.day = QDateEdit(calendarPopup=True)
        self.day.setObjectName("report_day")
        self.day.setDisplayFormat("dd-MM-yyyy")
        today = ctx.today()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.show_button = QPushButton(tr(C, "Tampilkan"))
        self.show_button.clicked.connect(self.refresh)
        self.exports = {}
        row = QHBoxLayout()
        row.addWidget(QLabel(tr(C, "Tanggal:")))
        row.addWidget(self.day)
        row.addWidget(self.show_button)
        row.addStretch(1)
        for fmt, label in (("csv", tr(C, "Simpan CSV")), ("html", tr(C, "Simpan HTML")), ("pdf", tr(C, "Simpan PDF"))):
            button = QPushButton(label)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, f=fmt: self._ask_and_export(f))
            self.exports[fmt] = button
            row.addWidget(button)
        self.view = QTextBrowser()
        self.view.setObjectName("report_view")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

    def selected_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def leave(self) -> None:
        """The officer went to another tab: nothing here is typed for an applicant."""

    def activate(self) -> None:
        """Shown: the chosen day's report, read again."""
        self.refresh()

    def refresh(self) -> None:
        day = self.selected_day()
        self.show_button.setEnabled(False)
        self.runner.submit(lambda: self._build(day), self._shown)

    def _build(self, day: date) -> tuple[DailyReport, dict[str, object]]:
        # On the worker thread: the queries and the chart drawing (matplotlib) both take time.
        report = daily_report(self.ctx, day)
        return report, chart_images(report)

    def _shown(self, result: tuple[DailyReport, dict[str, object]] | None, error: BaseException | None) -> None:
        if not isValid(self):
            return  # built for the tab a language switch replaced: the new one builds its own
        self.show_button.setEnabled(True)
        if error is not None or result is None:
            self.view.setPlainText(tr(C, "Laporan tidak dapat dibuat: {error}", error=str(error)))
            return
        report, images = result
        self.report = report
        document = report_document(report, images=images)
        document.setParent(self.view)  # the view deletes the document it showed before
        self.view.setDocument(document)
        for button in self.exports.values():
            button.setEnabled(True)

    def export(self, fmt: str, path: Path) -> None:
        if self.report is None:
            raise RuntimeError("no report shown yet")
        write(self.report, fmt, path)

    def _ask_and_export(self, fmt: str) -> None:
        if self.report is None:
            return
        name = f"laporan-{self.report.office}-{self.report.day.isoformat()}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, tr(C, "Simpan laporan"), name)
        if path:
            try:
                self.export(fmt, Path(path))
            except OSError as exc:
                QMessageBox.warning(self, tr(C, "Simpan laporan"), tr(C, "Tidak dapat menyimpan: {error}",
                                                                      error=exc.strerror or str(exc)))
