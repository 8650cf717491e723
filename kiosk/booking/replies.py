"""What the applicant reads back on WhatsApp, in Bahasa Indonesia (through :func:`tr`).

One specific reply for every outcome: a person who slipped must learn exactly what to
fix, with the correct example.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum

from kiosk.i18n import clock_time, long_date, tr

C = "Intake"


class IntakeOutcome(StrEnum):
    BOOKED = "booked"
    ALREADY_BOOKED = "already_booked"
    QUOTA_FULL = "quota_full"  # the asked day is full; the next free date is told
    NO_FREE_DATE = "no_free_date"  # nothing free inside the horizon
    OUTSIDE_HOURS = "outside_hours"
    WRONG_FORMAT = "wrong_format"
    BAD_NAME = "bad_name"
    BAD_DATE = "bad_date"  # not a real calendar date
    BIRTH_NOT_IN_PAST = "birth_not_in_past"
    BIRTH_TOO_OLD = "birth_too_old"
    DATE_IN_PAST = "date_in_past"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    NOT_SERVICE_DAY = "not_service_day"
    BAD_ADDRESS = "bad_address"
    PHOTO_MISSING = "photo_missing"
    BAD_CANCEL = "bad_cancel"
    CANCELLED = "cancelled"
    CANCEL_NOT_FOUND = "cancel_not_found"
    CANCEL_NOT_ACTIVE = "cancel_not_active"
    STATUS = "status"
    NO_ACTIVE_BOOKING = "no_active_booking"
    HELP = "help"
    UNSUPPORTED = "unsupported"


def example(fmt: str) -> str:
    if fmt == "address":
        return "#Budi Santoso#25011987#Jl. Merdeka No. 1, Batam"
    return "#Budi Santoso#25011987#07082027"


def format_line(fmt: str) -> str:
    if fmt == "address":
        return tr(C, "#NAMA#TGLLAHIR#ALAMAT (tanggal DDMMYYYY), dengan foto e-KTP")
    return tr(C, "#NAMA#TGLLAHIR#TGLKEDATANGAN (tanggal DDMMYYYY)")


def help_text(fmt: str) -> str:
    return tr(C, "Booking antrean paspor:\n{format}\nContoh: {example}\n\n"
              "Batalkan: #BATAL#KODEBOOKING\nLihat booking Anda: #CEK", format=format_line(fmt), example=example(fmt))


def booked_text(*, code: str, label: str, service_date: date, slot: time, arrive_minutes: int,
                office_name: str, again: bool = False) -> str:
    head = tr(C, "Booking Anda:") if again else tr(C, "Booking berhasil.")
    return tr(C, "{head}\nKode booking: {code}\nNomor antrean: {number}\nTanggal: {date}\nJam: {slot}\n"
              "Tempat: {office}\n\n"
              "Datang {minutes} menit sebelum jadwal — terlambat, kode booking hangus.\n"
              "Tunjukkan kode QR atau barcode ini di meja depan.\n"
              "Lansia dan anak kecil dilayani tanpa booking.\n"
              "Batalkan: #BATAL#{code}",
              head=head, code=code, number=label, date=long_date(service_date), slot=clock_time(slot),
              office=office_name, minutes=arrive_minutes)


def refusal_text(outcome: IntakeOutcome, fmt: str, *, code: str | None = None, next_free: date | None = None,
                 asked: date | None = None, hours: str | None = None, first: date | None = None,
                 last: date | None = None) -> str:
    """The reply for every outcome except BOOKED and STATUS."""
    Outcome = IntakeOutcome
    if outcome is Outcome.HELP:
        return help_text(fmt)
    if outcome is Outcome.WRONG_FORMAT:
        return tr(C, "Format salah. Kirim: {format}\nContoh: {example}", format=format_line(fmt),
                  example=example(fmt))
    if outcome is Outcome.BAD_NAME:
        return tr(C, "Nama tidak sah: tulis 2-60 huruf (boleh spasi, titik, tanda petik, tanda hubung).\n"
                  "Contoh: {example}", example=example(fmt))
    if outcome is Outcome.BAD_DATE:
        return tr(C, "Tanggal tidak sah: tulis tanggal yang ada di kalender, DDMMYYYY, misalnya 25011987.\n"
                  "Contoh: {example}", example=example(fmt))
    if outcome is Outcome.BIRTH_NOT_IN_PAST:
        return tr(C, "Tanggal lahir harus sebelum hari ini. Contoh: {example}", example=example(fmt))
    if outcome is Outcome.BIRTH_TOO_OLD:
        return tr(C, "Tanggal lahir lebih dari 120 tahun yang lalu. Periksa kembali tahunnya.")
    if outcome is Outcome.DATE_IN_PAST:
        return tr(C, "Tanggal kedatangan {date} sudah lewat. Pilih tanggal {first} sampai {last}.",
                  date=long_date(asked), first=long_date(first), last=long_date(last))
    if outcome is Outcome.TOO_SOON:
        return tr(C, "Booking paling cepat untuk tanggal {first}. Pilih tanggal {first} sampai {last}.",
                  first=long_date(first), last=long_date(last))
    if outcome is Outcome.TOO_FAR:
        return tr(C, "Tanggal {date} terlalu jauh: booking paling lambat untuk tanggal {last}.",
                  date=long_date(asked), last=long_date(last))
    if outcome is Outcome.NOT_SERVICE_DAY:
        if next_free is not None:
            return tr(C, "Tanggal {date} bukan hari layanan (libur). Tanggal layanan terdekat yang masih "
                      "tersedia: {next}.", date=long_date(asked), next=long_date(next_free))
        return tr(C, "Tanggal {date} bukan hari layanan (libur).", date=long_date(asked))
    if outcome is Outcome.QUOTA_FULL:
        if next_free is not None:
            return tr(C, "Kuota tanggal {date} sudah penuh. Tanggal terdekat yang masih tersedia: {next}. "
                      "Kirim ulang dengan tanggal itu.", date=long_date(asked), next=long_date(next_free))
        return tr(C, "Kuota tanggal {date} sudah penuh dan tidak ada tanggal lain yang tersedia sampai {last}. "
                  "Silakan coba lagi besok.", date=long_date(asked), last=long_date(last))
    if outcome is Outcome.NO_FREE_DATE:
        return tr(C, "Kuota sudah penuh sampai tanggal {last}. Silakan coba lagi besok.", last=long_date(last))
    if outcome is Outcome.OUTSIDE_HOURS:
        return tr(C, "Pendaftaran hanya dilayani pukul {hours}. Silakan kirim ulang pada jam tersebut.",
                  hours=hours)
    if outcome is Outcome.ALREADY_BOOKED:
        return tr(C, "Anda sudah punya booking aktif dengan kode {code}. Satu booking per orang. "
                  "Kirim #CEK untuk melihatnya, atau #BATAL#{code} untuk membatalkan.", code=code)
    if outcome is Outcome.BAD_ADDRESS:
        return tr(C, "Alamat tidak sah: tulis alamat sesuai e-KTP (paling banyak 200 karakter).\n"
                  "Contoh: {example}", example=example(fmt))
    if outcome is Outcome.PHOTO_MISSING:
        return tr(C, "Foto e-KTP belum ada. Kirim foto e-KTP dengan keterangan (caption): {example}",
                  example=example(fmt))
    if outcome is Outcome.BAD_CANCEL:
        return tr(C, "Untuk membatalkan, kirim: #BATAL#KODEBOOKING")
    if outcome is Outcome.CANCELLED:
        return tr(C, "Booking {code} sudah dibatalkan.", code=code)
    if outcome is Outcome.CANCEL_NOT_FOUND:
        return tr(C, "Kode booking {code} tidak ditemukan untuk nomor ini.", code=code)
    if outcome is Outcome.CANCEL_NOT_ACTIVE:
        return tr(C, "Booking {code} tidak bisa dibatalkan lagi (sudah dibatalkan, sudah check-in atau hangus).",
                  code=code)
    if outcome is Outcome.NO_ACTIVE_BOOKING:
        return tr(C, "Tidak ada booking aktif untuk nomor ini.\n\n{help}", help=help_text(fmt))
    if outcome is Outcome.UNSUPPORTED:
        return tr(C, "Pesan jenis ini tidak dapat diproses. Kirim pesan teks.\n\n{help}", help=help_text(fmt))
    raise ValueError(f"no refusal text for {outcome}")
