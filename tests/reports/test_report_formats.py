"""The report's formats: the same tables in CSV, HTML and PDF, in Indonesian and English,
with charts drawn by matplotlib that read in black and white."""

import csv
import io
import os
import shutil
import subprocess
import sys
import unicodedata

import pytest

from kiosk import i18n
from kiosk.reports import charts
from kiosk.reports.daily import daily_report
from kiosk.reports.render import to_csv, to_html, write
from kiosk.tools import translations
from tests.conftest import PROJECT_ROOT
from tests.reports.test_daily_report import DAY, fixture_day  # noqa: F401 (a fixture)

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # formats do not depend on the database


@pytest.fixture
def english(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    translations.compile_catalogues(tmp_path)
    assert i18n.set_language("en")
    yield
    i18n.set_language("id")


def _blocks(text: str) -> dict[str, list[list[str]]]:
    """CSV section title → its rows (column names first)."""
    blocks: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
        elif current is None:
            current = blocks.setdefault(row[0], [])
        else:
            current.append(row)
    return blocks


@SQLITE
def test_csv_has_one_block_per_section_with_its_own_columns(fixture_day):
    blocks = _blocks(to_csv(daily_report(fixture_day, DAY)))
    glance = blocks["Ringkasan hari"]
    assert glance[0] == ["Keterangan", "Jumlah"]
    assert ["Tidak datang (jendela kedatangan sudah tutup)", "1"] in glance
    assert ["Belum datang, masih bisa check-in", "1"] in glance
    assert ["Kuota prioritas terpakai", "3 dari 30"] in glance
    assert blocks["Per layanan"][1] == ["A · Paspor (booking online)", "2", "1", "60,0", "60,0", "65,0", "15,0"]
    assert blocks["Per jam"][0][:3] == ["Jam", "Kedatangan", "Panggilan"]
    assert blocks["Per jam"][1] == ["08.00–09.00", "4", "0", "45,0", "65,0"]
    assert blocks["Per loket"][2] == ["Loket 2", "1", "15,0", "15,0", "5,0"]
    assert [r[0] for r in blocks["Prioritas per kategori"][1:]] == ["Lansia", "Disabilitas", "Ibu hamil"]
    week = blocks["7 hari kerja terakhir"]
    assert week[1][0] == "Senin, 23 November 2026" and week[7][:3] == ["Selasa, 1 Desember 2026", "5", "3"]
    assert not any("Sabtu" in r[0] or "Minggu," in r[0] for r in week)
    assert "ibu_hamil" not in to_csv(daily_report(fixture_day, DAY))


@SQLITE
def test_html_in_indonesian_with_inline_charts(fixture_day):
    page = to_html(daily_report(fixture_day, DAY))
    assert '<html lang="id">' in page and "Selasa, 1 Desember 2026, keadaan pukul 15.46" in page
    assert page.count("<svg") == 2 and "<img" not in page and "<?xml" not in page
    assert "<pattern" in page  # hatching, so the bars differ without colour
    assert 'aria-label="Waktu tunggu menurut jam kedatangan"' in page
    assert "Belum ada pembanding" in page and "Ibu hamil" in page and "ibu_hamil" not in page


@SQLITE
def test_english_report_has_no_indonesian_words(fixture_day, english):
    r = daily_report(fixture_day, DAY)
    page, table = to_html(r), to_csv(r)
    assert '<html lang="en">' in page and "Tuesday, 1 December 2026, as of 15:46" in page
    assert "Pregnant woman" in table and "08:00–09:00,4,0,45.0,65.0" in table
    assert "Did not come (arrival window closed),1" in table and "Priority quota used,3 of 30" in table
    text = table.replace("Kantor Imigrasi Jakarta Pusat", "")  # the office's own name
    for word in ("menit", "Tunggu", "Dilayani", "Selasa", "Desember", "dari", "keadaan", "Jumlah", "Paspor",
                 "Lansia,", "ibu_hamil", "hari"):
        assert word not in text, word


@SQLITE
def test_charts_read_in_black_and_white(fixture_day):
    r = daily_report(fixture_day, DAY)
    import matplotlib

    with matplotlib.rc_context(charts._STYLE):
        wait = charts._wait_figure(r).axes[0]
        traffic = charts._traffic_figure(r).axes[0]
    assert {p.get_hatch() for p in wait.patches} == {"///"}
    assert wait.lines[0].get_linestyle() == "--" and wait.lines[0].get_marker() == "o"
    arrivals, calls = traffic.containers[:2]
    assert {b.get_hatch() for b in arrivals} == {"xxx"} and {b.get_hatch() for b in calls} == {None}
    assert [b.get_height() for b in arrivals][:2] == [4, 0] and [b.get_height() for b in calls][:2] == [0, 4]
    png = charts.png_charts(r, dpi=50)
    assert set(png) == {"wait", "traffic"} and all(p.startswith(b"\x89PNG") for p in png.values())


@SQLITE
@pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"),
                    reason="needs poppler-utils (scripts/_setup.sh installs it)")
def test_pdf_has_the_glance_and_charts_first_then_the_tables(fixture_day, tmp_path):
    pdf = tmp_path / "r.pdf"
    write(daily_report(fixture_day, DAY), "pdf", pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = unicodedata.normalize("NFKC", text).split("\f")  # NFKC: the font's "fi" ligature
    assert "Ringkasan hari" in pages[0] and "Grafik per jam" in pages[0] and "halaman 1 dari 2" in pages[0]
    assert "Per loket" in pages[1] and "7 hari kerja terakhir" in pages[1] and "halaman 2 dari 2" in pages[1]
    assert pages[2:] in ([], [""])


@SQLITE
def test_an_empty_day_says_so(ctx):
    page = to_html(daily_report(ctx, DAY))
    assert "Belum ada kedatangan" in page and "<svg" not in page and "Belum ada data." in page


def test_matplotlib_is_not_imported_to_start_the_desk_or_the_command_line():
    code = ("import sys, kiosk.cli.main, kiosk.ui.desk_window, kiosk.ui.report_tab, kiosk.reports.render; "
            "sys.exit('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT).returncode == 0


@SQLITE
def test_the_report_csv_is_spreadsheet_safe(fixture_day):
    # GIVEN a cell a spreadsheet would run as a formula
    r = daily_report(fixture_day, DAY)
    r.office = "=HYPERLINK(1)"
    # THEN it is written as text; the en dash of a missing value and the numbers stay as they are
    rows = list(csv.reader(io.StringIO(to_csv(r))))
    assert ["Kantor", "'=HYPERLINK(1)"] in rows
    assert ["Senin, 23 November 2026", "0", "0", "–"] in rows
