"""The report's charts, drawn by matplotlib: waiting time per hour, arrivals and calls
per hour. One drawing serves every format: SVG inlined in the HTML file, PNG for the
Laporan tab and the PDF.

matplotlib is imported only when a chart is drawn (it costs a few hundred milliseconds),
so the desk and the command line start without it. Figures are made with the
object-oriented API (no pyplot): no global figure state, safe on the report worker
thread. They must read when printed in black and white, so series differ by hatching,
fill, line style and markers, never by colour alone.
"""

from __future__ import annotations

import html
import io
import re
from datetime import time
from typing import TYPE_CHECKING, Any

from kiosk.i18n import clock_time, tr
from kiosk.reports.daily import DailyReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure

C = "Report"
CHARTS = ("wait", "traffic")  # in reading order
WIDTH_IN, HEIGHT_IN = 7.0, 2.55  # the text width of an A4 page with 15 mm margins
_STYLE = {"font.size": 8.5, "axes.titlesize": 10, "axes.titleweight": "bold", "hatch.linewidth": 0.7,
          "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "antrean-report",
          "svg.fonttype": "path",
          "figure.facecolor": "white", "savefig.facecolor": "white"}


def _hour_labels(report: DailyReport) -> list[str]:
    return [clock_time(time(h.hour)) for h in report.hours]


def _wait_figure(report: DailyReport) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    ax = fig.add_subplot()
    x = list(range(len(report.hours)))
    nan = float("nan")
    average = [nan if h.wait_average is None else h.wait_average for h in report.hours]
    longest = [nan if h.wait_longest is None else h.wait_longest for h in report.hours]
    bars = ax.bar(x, average, width=0.6, facecolor="#c8c8c8", edgecolor="black", linewidth=0.7, hatch="///",
           label=tr(C, "rata-rata"))
    (line,) = ax.plot(x, longest, color="black", linestyle="--", linewidth=1.2, marker="o", markersize=4.5,
            markerfacecolor="white", label=tr(C, "terlama"))
    ax.set_title(chart_titles()["wait"], loc="left")
    ax.set_ylabel(tr(C, "menit"))
    ax.set_ylim(bottom=0)
    _hour_axis(ax, report)
    ax.legend(handles=[bars, line], loc="upper right", frameon=False, ncols=2)
    return fig


def _traffic_figure(report: DailyReport) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    ax = fig.add_subplot()
    x = list(range(len(report.hours)))
    w = 0.38
    arrivals = ax.bar([i - w / 2 for i in x], [h.arrivals for h in report.hours], width=w, facecolor="white",
                      edgecolor="black", linewidth=0.7, hatch="xxx", label=tr(C, "kedatangan"))
    calls = ax.bar([i + w / 2 for i in x], [h.calls for h in report.hours], width=w, facecolor="#404040",
                   edgecolor="black", linewidth=0.7, label=tr(C, "panggilan"))
    for bars in (arrivals, calls):
        ax.bar_label(bars, padding=1.5, fontsize=7)
    ax.set_title(chart_titles()["traffic"], loc="left")
    ax.set_ylabel(tr(C, "orang"))
    ax.margins(y=0.15)
    _hour_axis(ax, report)
    ax.legend(loc="upper right", frameon=False, ncols=2)
    return fig


def _hour_axis(ax: Any, report: DailyReport) -> None:
    ax.set_xticks(list(range(len(report.hours))), _hour_labels(report))
    ax.set_xlabel(tr(C, "jam"))
    ax.grid(axis="y", color="#999999", linewidth=0.5, linestyle=":")
    ax.set_axisbelow(True)


_FIGURES = {"wait": _wait_figure, "traffic": _traffic_figure}


def _draw(report: DailyReport, fmt: str, dpi: float) -> dict[str, bytes]:
    if not report.hours:
        return {}
    import matplotlib

    out = {}
    with matplotlib.rc_context(_STYLE):
        for name in CHARTS:
            fig = _FIGURES[name](report)
            buf = io.BytesIO()
            metadata = {"Date": None} if fmt == "svg" else {}
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
            out[name] = buf.getvalue()
    return out


def chart_titles() -> dict[str, str]:
    """Chart name → its title, for readers that cannot see the picture."""
    return {"wait": tr(C, "Waktu tunggu menurut jam kedatangan"), "traffic": tr(C, "Kedatangan dan panggilan per jam")}


def svg_charts(report: DailyReport) -> dict[str, str]:
    """Chart name → an ``<svg>`` element ready to inline in HTML (no XML prologue)."""
    charts = {}
    titles = chart_titles()
    for name, data in _draw(report, "svg", 72).items():
        text = data.decode("utf-8")
        text = text[text.index("<svg"):]
        # Scale with the page rather than keep matplotlib's fixed size in points.
        label = html.escape(titles[name], quote=True)
        charts[name] = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
                              rf'<svg\1 width="100%" role="img" aria-label="{label}"', text, count=1)
    return charts


def png_charts(report: DailyReport, dpi: float = 96) -> dict[str, bytes]:
    """Chart name → PNG bytes, ``WIDTH_IN`` inches wide at ``dpi``."""
    return _draw(report, "png", dpi)
