"""The daily report as CSV, HTML and PDF (the PDF is the HTML laid out by Qt)."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiosk.core.datefmt import long_date
from kiosk.i18n import tr
from kiosk.reports.daily import DailyReport, Durations

C = "Report"


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _rows(report: DailyReport) -> list[tuple[str, str, str, str]]:
    """(section, item, measure, value): the one list all formats are made from."""
    rows: list[tuple[str, str, str, str]] = []
    add = rows.append
    b = tr(C, "Booking")
    add((b, tr(C, "booking untuk hari ini"), "jumlah", str(report.bookings)))
    add((b, tr(C, "check-in"), "jumlah", str(report.checked_in)))
    add((b, tr(C, "hangus (terlambat)"), "jumlah", str(report.void)))
    add((b, tr(C, "dibatalkan"), "jumlah", str(report.cancelled)))
    add((b, tr(C, "tidak datang"), "jumlah", str(report.not_arrived)))
    add((b, tr(C, "percobaan terlalu awal"), "jumlah", str(report.too_early_attempts)))
    add((b, tr(C, "tidak hadir saat dipanggil"), "jumlah", str(report.no_shows)))
    for category, count in sorted(report.walk_ins.items()):
        add((tr(C, "Walk-in prioritas"), category, "jumlah", str(count)))
    for service, count in report.tickets_per_service.items():
        add((tr(C, "Tiket per layanan"), service, "jumlah", str(count)))
    for service, d in report.waiting.items():
        _durations(rows, tr(C, "Waktu tunggu (menit)"), service, d)
    for counter, d in report.service_time.items():
        _durations(rows, tr(C, "Waktu layanan (menit)"), f"loket {counter}", d)
    for hour in sorted(set(report.arrivals_per_hour) | set(report.calls_per_hour)):
        label = f"{hour:02d}.00"
        add((tr(C, "Per jam"), label, "kedatangan", str(report.arrivals_per_hour.get(hour, 0))))
        add((tr(C, "Per jam"), label, "panggilan", str(report.calls_per_hour.get(hour, 0))))
    for d in report.week:
        add((tr(C, "Minggu ini"), d.day.isoformat(), "tiket", str(d.tickets)))
        add((tr(C, "Minggu ini"), d.day.isoformat(), "dilayani", str(d.served)))
        add((tr(C, "Minggu ini"), d.day.isoformat(), "rata-rata tunggu", _fmt(d.waiting_average)))
    add((tr(C, "Minggu ini"), tr(C, "tren tiket per hari"), "kemiringan", f"{report.week_trend:+.2f}"))
    return rows


def _durations(rows: list[tuple[str, str, str, str]], section: str, item: str, d: Durations) -> None:
    rows.append((section, item, "jumlah", str(d.count)))
    rows.append((section, item, "rata-rata", _fmt(d.average)))
    rows.append((section, item, "median", _fmt(d.median)))
    rows.append((section, item, "p90", _fmt(d.p90)))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will show as text: one starting with ``= + - @``, a tab or a
    carriage return (a formula, e.g. ``=HYPERLINK(...)``) gets a leading apostrophe.
    Plain numbers, negative ones included, and the lone "-" of an empty figure stay."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and value != "-" \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """What :func:`spreadsheet_safe` did, undone (an exported list imports unchanged)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def safe_csv_writer(out: io.StringIO) -> Any:
    """A ``csv.writer`` whose every cell passes :func:`spreadsheet_safe`."""
    writer = csv.writer(out, lineterminator="\n")

    class _Safe:
        def writerow(self, row: Iterable[object]) -> Any:
            return writer.writerow([spreadsheet_safe(v) for v in row])

    return _Safe()


def to_csv(report: DailyReport) -> str:
    out = io.StringIO()
    writer = safe_csv_writer(out)
    writer.writerow(["kantor", "tanggal", "bagian", "item", "ukuran", "nilai"])
    for row in _rows(report):
        writer.writerow([report.office, report.day.isoformat(), *row])
    return out.getvalue()


def _bar_chart(report: DailyReport) -> str:
    hours = sorted(set(report.arrivals_per_hour) | set(report.calls_per_hour))
    if not hours:
        return f"<p>{html.escape(tr(C, 'Belum ada kedatangan.'))}</p>"
    top = max([*report.arrivals_per_hour.values(), *report.calls_per_hour.values(), 1])
    lines = ['<table class="chart" cellspacing="2">']
    for hour in hours:
        for value, colour, label in ((report.arrivals_per_hour.get(hour, 0), "#1f77b4", tr(C, "kedatangan")),
                                     (report.calls_per_hour.get(hour, 0), "#ff7f0e", tr(C, "panggilan"))):
            width = max(1, round(60 * value / top))
            lines.append(f"<tr><td>{hour:02d}.00</td><td>{html.escape(label)}</td>"
                         f'<td><table cellspacing="0"><tr><td width="{width * 5}" bgcolor="{colour}">&nbsp;</td>'
                         f"<td>&nbsp;{value}</td></tr></table></td></tr>")
    lines.append("</table>")
    return "\n".join(lines)


def to_html(report: DailyReport) -> str:
    title = tr(C, "Laporan harian {office}", office=report.office_name)
    parts = [f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>",
             "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:2px 6px}table.chart td{border:none}</style></head><body>",
             f"<h1>{html.escape(title)}</h1><p>{html.escape(long_date(report.day))}</p>"]
    section = None
    for sec, item, measure, value in _rows(report):
        if sec != section:
            if section is not None:
                parts.append("</table>")
            parts.append(f"<h2>{html.escape(sec)}</h2><table><tr><th>item</th><th>ukuran</th><th>nilai</th></tr>")
            section = sec
        parts.append(f"<tr><td>{html.escape(item)}</td><td>{html.escape(measure)}</td><td>{html.escape(value)}</td></tr>")
    parts.append("</table>")
    parts.append(f"<h2>{html.escape(tr(C, 'Kedatangan dan panggilan per jam'))}</h2>{_bar_chart(report)}")
    parts.append("</body></html>")
    return "\n".join(parts)


def to_pdf(report: DailyReport, path: Path) -> None:
    """Lay the HTML out with Qt into an A4 PDF (works offscreen, no browser needed)."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
    from PySide6.QtWidgets import QApplication

    # Fonts need an application. A QApplication, not a bare QGuiApplication: there is one
    # per process, and a window opened later in the same process (a desk printing the
    # day's report, the test suite) needs the widgets kind.
    app = QApplication.instance() or QApplication([])  # noqa: F841
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setTitle(tr(C, "Laporan harian {office}", office=report.office_name))
    doc = QTextDocument()
    doc.setHtml(to_html(report))
    doc.print_(writer)


def write(report: DailyReport, fmt: str, path: Path) -> None:
    if fmt == "csv":
        path.write_text(to_csv(report), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(report), encoding="utf-8")
    elif fmt == "pdf":
        to_pdf(report, path)
    else:
        raise ValueError(f"unknown report format {fmt!r}: expected csv, html or pdf")
