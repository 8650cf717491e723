"""The daily report as CSV, HTML and PDF (the PDF is the HTML laid out by Qt).

All three, and the Laporan tab, are made from the same tables
(:func:`kiosk.reports.sections.report_tables`) and the same charts
(:mod:`kiosk.reports.charts`): SVG inlined in the HTML file, PNG in Qt's documents,
which do not draw inline SVG.
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

from kiosk.core.text import safe_csv_writer
from kiosk.i18n import current_language, tr
from kiosk.reports import charts as charts_module
from kiosk.reports.daily import DailyReport
from kiosk.reports.sections import Table, report_tables, subtitle, title

C = "Report"
PDF_CHART_DPI = 200
CHART_WIDTH_PX = 672  # 7 in at Qt's 96 px per inch: the text width of the A4 page
# Qt applies a body's margin and padding to the whole page, so the page layout for
# browsers is kept apart from the rest.
_CSS_BROWSER = "body{max-width:52em;margin:1.5em auto;padding:0 1em}"
_CSS = ("body{font-family:'DejaVu Sans',Arial,sans-serif;color:#000}h1{font-size:150%;margin-bottom:0}p.when{margin-top:.2em;font-size:110%}"
        "h2{font-size:120%;margin:1.2em 0 .3em}table.t{border-collapse:collapse}"
        "table.t th,table.t td{border:1px solid #777;padding:3px 8px}table.t th{background:#e6e6e6;"
        "text-align:left;vertical-align:bottom}td.n{text-align:right}p.note{font-size:90%;margin:.3em 0}"
        "div.chart{margin:.8em 0}")


def to_csv(report: DailyReport) -> str:
    """One block per section: its title, its column names, its rows, its notes, a blank
    line. Every cell is written here and nowhere else."""
    rows: list[list[str]] = [[title(report)], [subtitle(report)], [tr(C, "Kantor"), report.office],
                             [tr(C, "Tanggal"), report.day.isoformat()], []]
    for table in report_tables(report):
        rows += [[table.title], table.columns, *table.rows, *([n] for n in table.notes), []]
    out = io.StringIO()
    writer = safe_csv_writer(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def _table_html(table: Table, *, new_page: bool = False) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    # 99%: at 100% the collapsed borders overflow the page by a pixel (a scroll bar in the tab).
    wide = ' width="99%"' if len(table.columns) > 3 else ""
    style = ' style="page-break-before:always"' if new_page else ""
    lines = [f'<h2 id="{table.key}"{style}>{html.escape(table.title)}</h2>',
             f'<table class="t" border="1" cellspacing="0" cellpadding="4"{wide}><tr>{head}</tr>']
    if not table.rows:
        lines.append(f'<tr><td colspan="{len(table.columns)}">{html.escape(tr(C, "Belum ada data."))}</td></tr>')
    for row in table.rows:
        cells = [f'<td style="white-space:nowrap">{html.escape(row[0])}</td>']
        cells += [f'<td class="n" align="right">{html.escape(v)}</td>' for v in row[1:]]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines.append("</table>")
    if table.notes:
        lines.append(f'<p class="note">{"<br>".join(html.escape(n) for n in table.notes)}</p>')
    return "\n".join(lines)


def to_html(report: DailyReport, *, charts: str = "svg") -> str:
    """The report page. ``charts="svg"`` inlines the charts (a file for any browser);
    ``charts="resource"`` refers to them as ``chart:<name>`` images, which a Qt
    document given :func:`chart_images` resolves (the tab and the PDF)."""
    heading = title(report)
    parts = [f'<!DOCTYPE html><html lang="{current_language()}"><head><meta charset="utf-8">'
             f"<title>{html.escape(heading)}</title>"
             f"<style>{_CSS}{_CSS_BROWSER if charts == 'svg' else ''}</style></head><body>",
             f"<h1>{html.escape(heading)}</h1><p class=\"when\">{html.escape(subtitle(report))}</p>"]
    tables = report_tables(report)
    parts.append(_table_html(tables[0]))
    parts.append(f'<h2 id="charts">{html.escape(tr(C, "Grafik per jam"))}</h2>')
    if not report.hours:
        parts.append(f"<p>{html.escape(tr(C, 'Belum ada kedatangan.'))}</p>")
    elif charts == "svg":
        parts += [f'<div class="chart">{svg}</div>' for svg in charts_module.svg_charts(report).values()]
    else:
        parts += [f'<p><img src="chart:{name}" width="{CHART_WIDTH_PX}"></p>' for name in charts_module.CHARTS]
    # Printed, the first page is the day at a glance and its charts; the tables follow.
    parts += [_table_html(t, new_page=i == 0) for i, t in enumerate(tables[1:])]
    parts.append("</body></html>")
    return "\n".join(parts)


def chart_images(report: DailyReport, dpi: float = 96) -> dict[str, Any]:
    """``chart:<name>`` → QImage, for a Qt document showing ``to_html(charts="resource")``."""
    from PySide6.QtGui import QImage

    images = {}
    for name, png in charts_module.png_charts(report, dpi).items():
        image = QImage()
        image.loadFromData(png, "PNG")
        images[f"chart:{name}"] = image
    return images


def report_document(report: DailyReport, dpi: float = 96,
                    images: dict[str, Any] | None = None) -> Any:
    """A QTextDocument of the report with its charts (Qt must be importable)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    for url, image in (images if images is not None else chart_images(report, dpi)).items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
    doc.setHtml(to_html(report, charts="resource"))
    return doc


def to_pdf(report: DailyReport, path: Path) -> None:
    """Lay the HTML out with Qt into A4 pages with a page footer (works offscreen, no
    browser needed)."""
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
    from PySide6.QtWidgets import QApplication

    # Fonts need an application. A QApplication, not a bare QGuiApplication: there is one
    # per process, and a window opened later in the same process (a desk printing the
    # day's report, the test suite) needs the widgets kind.
    app = QApplication.instance() or QApplication([])  # noqa: F841
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 12), QPageLayout.Unit.Millimeter))
    writer.setTitle(title(report))
    # Paginate ourselves, in Qt's 96-per-inch document units: QTextDocument.print_ on an
    # unpaginated document adds 2 cm margins of its own, which squeezes every table.
    scale = writer.resolution() / 96
    width, height = writer.width() / scale, writer.height() / scale
    footer = 22.0
    doc = report_document(report, PDF_CHART_DPI)
    doc.setPageSize(QSizeF(width, height - footer))
    pages = doc.pageCount()
    painter = QPainter(writer)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -page * (height - footer))
            doc.drawContents(painter, QRectF(0, page * (height - footer), width, height - footer))
            painter.restore()
            font = QFont(painter.font())
            font.setPointSizeF(7.5)
            painter.setFont(font)
            painter.drawText(QRectF(0, (height - footer + 6) * scale, width * scale, (footer - 6) * scale),
                             Qt.AlignmentFlag.AlignRight,
                             tr(C, "{report} · halaman {page} dari {pages}", report=subtitle(report),
                                page=page + 1, pages=pages))
    finally:
        painter.end()


def write(report: DailyReport, fmt: str, path: Path) -> None:
    if fmt == "csv":
        path.write_text(to_csv(report), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(report), encoding="utf-8")
    elif fmt == "pdf":
        to_pdf(report, path)
    else:
        raise ValueError(f"unknown report format {fmt!r}: expected csv, html or pdf")
