"""The daily report as the reader sees it: a heading and tables, each with its own
columns, in the current language. Every format (the Laporan tab, CSV, HTML, PDF) is
made from :func:`report_tables`, so they all say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from kiosk.i18n import clock_time, current_language, long_date, tr
from kiosk.reports.daily import DailyReport, WeekTrend
from kiosk.services.names import category_name, service_label

C = "Report"
NONE = "–"  # no value: an en dash (a leading "-" would read as a minus, or a formula)


@dataclass(frozen=True)
class Table:
    key: str  # stable name of the section: glance, services, hours, counters, categories, week
    title: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


def number(value: float | int | None) -> str:
    """Minutes and counts: one decimal for fractions, a decimal comma in Indonesian."""
    if value is None:
        return NONE
    if isinstance(value, int):
        return str(value)
    text = f"{value:.1f}"
    return text.replace(".", ",") if current_language() != "en" else text


def clock(t: time | datetime) -> str:
    return clock_time(t)


def day_text(d: date) -> str:
    return long_date(d)


def title(report: DailyReport) -> str:
    return tr(C, "Laporan harian {office}", office=report.office_name)


def subtitle(report: DailyReport) -> str:
    when = day_text(report.day)
    if report.in_progress and report.as_of is not None:
        return tr(C, "{day}, keadaan pukul {time}", day=when, time=clock(report.as_of))
    return tr(C, "{day}, sepanjang hari", day=when)


def trend_sentence(report: DailyReport) -> str:
    trend = report.trend
    if trend is None:
        return tr(C, "Tidak ada tren: tanggal ini bukan hari layanan.")
    subject = tr(C, "Tiket sampai pukul {time}", time=clock(trend.until)) if trend.until else tr(C, "Tiket")
    pct = trend.change_percent
    if pct is None:
        return tr(C, "Belum ada pembanding: tidak ada tiket pada hari pembanding.")
    if trend.base_day is not None:
        base = tr(C, "{day}: {count} tiket", day=day_text(trend.base_day), count=number(_whole(trend)))
        if pct > 0:
            return tr(C, "{subject} naik {percent}% dari minggu lalu ({base}).", subject=subject, percent=pct, base=base)
        if pct < 0:
            return tr(C, "{subject} turun {percent}% dari minggu lalu ({base}).", subject=subject, percent=-pct,
                      base=base)
        return tr(C, "{subject} sama dengan minggu lalu ({base}).", subject=subject, base=base)
    base = tr(C, "rata-rata {days} hari kerja sebelumnya: {count} tiket", days=trend.base_days,
              count=number(_whole(trend)))
    if pct > 0:
        return tr(C, "{subject} naik {percent}% ({base}).", subject=subject, percent=pct, base=base)
    if pct < 0:
        return tr(C, "{subject} turun {percent}% ({base}).", subject=subject, percent=-pct, base=base)
    return tr(C, "{subject} sama ({base}).", subject=subject, base=base)


def _whole(trend: WeekTrend) -> float | int:
    assert trend.base is not None
    return int(trend.base) if float(trend.base).is_integer() else round(trend.base, 1)


def report_tables(report: DailyReport) -> list[Table]:
    """The report's sections in reading order."""
    names = report.service_names
    minutes = tr(C, "menit")
    tables = [_glance(report)]
    tables.append(Table("services", tr(C, "Per layanan"), [
        tr(C, "Layanan"), tr(C, "Tiket"), tr(C, "Dilayani"), tr(C, "Tunggu rata-rata ({unit})", unit=minutes),
        tr(C, "Tunggu median ({unit})", unit=minutes), tr(C, "Tunggu p90 ({unit})", unit=minutes),
        tr(C, "Waktu layanan rata-rata ({unit})", unit=minutes)],
        [[service_label(s.service, names.get(s.service, s.service)), number(s.tickets), number(s.served),
          number(s.waiting.average), number(s.waiting.median), number(s.waiting.p90),
          number(s.service_time.average)] for s in report.services],
        [tr(C, "Tunggu: dari tiket diambil sampai panggilan pertama. Waktu layanan: dari panggilan terakhir "
               "sampai selesai."),
         tr(C, "p90: sembilan dari sepuluh orang menunggu paling lama selama itu.")]))
    tables.append(Table("hours", tr(C, "Per jam"), [
        tr(C, "Jam"), tr(C, "Kedatangan"), tr(C, "Panggilan"), tr(C, "Tunggu rata-rata ({unit})", unit=minutes),
        tr(C, "Tunggu terlama ({unit})", unit=minutes)],
        [[f"{clock_time(time(h.hour))}–{clock_time(time((h.hour + 1) % 24))}", number(h.arrivals), number(h.calls),
          number(h.wait_average), number(h.wait_longest)] for h in report.hours],
        [tr(C, "Tunggu menurut jam kedatangan, bagi yang sudah dipanggil.")]))
    tables.append(Table("counters", tr(C, "Per loket"), [
        tr(C, "Loket"), tr(C, "Dilayani"), tr(C, "Waktu layanan rata-rata ({unit})", unit=minutes),
        tr(C, "Waktu layanan p90 ({unit})", unit=minutes), tr(C, "Waktu menganggur ({unit})", unit=minutes)],
        [[tr(C, "Loket {counter}", counter=c.counter), number(c.served), number(c.service_time.average),
          number(c.service_time.p90), number(c.idle_minutes)] for c in report.counters],
        [tr(C, "Waktu menganggur: antara panggilan pertama dan tiket terakhir loket itu, saat tidak ada "
               "pemohon di loket.")]))
    tables.append(Table("categories", tr(C, "Prioritas per kategori"), [
        tr(C, "Kategori"), tr(C, "Tiket"), tr(C, "Dilayani"), tr(C, "Tunggu rata-rata ({unit})", unit=minutes),
        tr(C, "Tunggu p90 ({unit})", unit=minutes)],
        [[category_name(c.category), number(c.tickets), number(c.served), number(c.waiting.average),
          number(c.waiting.p90)] for c in report.categories]))
    tables.append(Table("week", tr(C, "{count} hari kerja terakhir", count=len(report.week)), [
        tr(C, "Tanggal"), tr(C, "Tiket"), tr(C, "Dilayani"), tr(C, "Tunggu rata-rata ({unit})", unit=minutes)],
        [[day_text(d.day), number(d.tickets), number(d.served), number(d.waiting_average)] for d in report.week],
        [trend_sentence(report), tr(C, "Hari tanpa layanan dan hari libur kantor tidak dihitung.")]))
    return tables


def _glance(report: DailyReport) -> Table:
    rows = [
        (tr(C, "Booking untuk hari ini"), number(report.bookings)),
        (tr(C, "Datang (tiket diambil)"), number(report.arrived)),
        (tr(C, "Dilayani"), number(report.served)),
        (tr(C, "Menunggu sekarang") if report.in_progress else tr(C, "Masih menunggu di akhir hari"),
         number(report.waiting_now)),
        (tr(C, "Hangus (datang terlambat)"), number(report.void)),
        (tr(C, "Datang terlalu awal (orang)"), number(report.too_early_bookings)),
        (tr(C, "Tidak datang (jendela kedatangan sudah tutup)"), number(report.booked_no_show)),
    ]
    if report.still_expected:
        rows.append((tr(C, "Belum datang, masih bisa check-in"), number(report.still_expected)))
    rows += [
        (tr(C, "Dipanggil, tidak hadir di loket"), number(report.no_shows)),
        (tr(C, "Booking dibatalkan"), number(report.cancelled)),
        (tr(C, "Kuota prioritas terpakai"), tr(C, "{used} dari {quota}", used=report.priority_used,
                                                quota=report.priority_quota)),
    ]
    return Table("glance", tr(C, "Ringkasan hari"), [tr(C, "Keterangan"), tr(C, "Jumlah")],
                 [list(r) for r in rows])
