"""The Laporan tab shows the day's report and exports it."""

from datetime import date

import pytest

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from kiosk import i18n
from kiosk.services import walk_in
from kiosk.tools import translations
from kiosk.ui.report_tab import ReportTab
from kiosk.ui.tasks import TaskRunner

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_report_tab_shows_and_exports(qtbot, ctx, tmp_path):
    walk_in(ctx, "lansia", birth=date(1950, 1, 1))
    runner = TaskRunner("report-test")
    tab = ReportTab(ctx, runner)
    qtbot.addWidget(tab)
    try:
        tab.refresh()
        qtbot.waitUntil(lambda: tab.report is not None, timeout=10_000)
        assert "Laporan harian" in tab.view.toHtml() and tab.report.walk_ins == {"lansia": 1}
        # the charts are in the tab, drawn off the GUI thread and shown as document images
        document = tab.view.document()
        for name in ("wait", "traffic"):
            image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"))
            assert isinstance(image, QImage) and image.width() > 600
        tab.export("csv", tmp_path / "r.csv")
        assert "Lansia,1,0" in (tmp_path / "r.csv").read_text()
        assert all(b.isEnabled() for b in tab.exports.values())
    finally:
        runner.close()


def test_report_tab_in_english(qtbot, ctx, tmp_path, monkeypatch):
    # GIVEN the English catalogue, compiled from the repository's .ts as setup does
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    translations.compile_catalogues(tmp_path)
    walk_in(ctx, "ibu_hamil")
    runner = TaskRunner("report-test")
    try:
        assert i18n.set_language("en")
        tab = ReportTab(ctx, runner)
        qtbot.addWidget(tab)
        # WHEN the report is shown THEN the tab speaks English, dates and categories included
        tab.refresh()
        qtbot.waitUntil(lambda: tab.report is not None, timeout=10_000)
        text = tab.view.toPlainText()
        assert "The day at a glance" in text and "Tuesday, 1 December 2026, as of 09:00" in text
        assert "Pregnant woman" in text and "ibu_hamil" not in text and "Ringkasan" not in text
        assert tab.show_button.text() == "Show"
    finally:
        i18n.set_language("id")
        runner.close()
