"""The sentences officers and applicants read, in Bahasa Indonesia (English via Qt catalogues)."""

from __future__ import annotations

from datetime import date, datetime, time

from kiosk.i18n import clock_time, long_date, tr
from kiosk.services.results import CheckInOutcome, CheckInResult

C = "CheckIn"


def checkin_message(outcome: CheckInOutcome, *, label: str | None = None, service_date: date | None = None,
                    slot: time | None = None, opens_at: datetime | None = None,
                    deadline: datetime | None = None, office: str | None = None, mistyped: bool = False,
                    office_name: str | None = None) -> str:
    if outcome is CheckInOutcome.ACCEPTED:
        return tr(C, "Diterima. Nomor antrean {number} sedang dicetak.", number=label)
    if outcome is CheckInOutcome.TOO_EARLY:
        assert opens_at is not None and slot is not None
        return tr(C, "Terlalu awal. Silakan kembali pukul {opens} (jadwal pukul {slot}).",
                  opens=clock_time(opens_at), slot=clock_time(slot))
    if outcome is CheckInOutcome.WRONG_DAY:
        assert service_date is not None
        return tr(C, "Bukan hari ini: jadwal Anda tanggal {date}.", date=long_date(service_date))
    if outcome is CheckInOutcome.VOID:
        if slot is not None and deadline is not None:
            return tr(C, "Kode booking hangus: jadwal pukul {slot}, batas kedatangan pukul {deadline} "
                      "tanggal {date} terlewat.", slot=clock_time(slot), deadline=clock_time(deadline),
                      date=long_date(deadline.date()))
        return tr(C, "Kode booking hangus.")
    if outcome is CheckInOutcome.ALREADY_CHECKED_IN:
        return tr(C, "Sudah check-in dengan nomor antrean {number}. Cetak ulang perlu PIN supervisor.",
                  number=label)
    if outcome is CheckInOutcome.WRONG_OFFICE:
        if office_name:
            return tr(C, "Kode untuk kantor lain: {name} ({office}). Silakan datang ke kantor itu.",
                      name=office_name, office=office)
        return tr(C, "Kode untuk kantor lain ({office}). Silakan datang ke kantor yang tertera.", office=office)
    if outcome is CheckInOutcome.CANCELLED:
        return tr(C, "Booking ini sudah dibatalkan.")
    if outcome is CheckInOutcome.UNKNOWN:
        return tr(C, "Kode booking tidak dikenal.")
    if mistyped:
        return tr(C, "Kode salah ketik: satu huruf atau angka tidak cocok. Periksa lagi kodenya.")
    return tr(C, "Kode tidak sah: bukan kode booking atau sudah diubah.")


def result_message(result: CheckInResult) -> str:
    """A check-in result's sentence, said again in the current language from the facts the
    result keeps (a language switch re-words a verdict already on screen; in the language
    of the scan it is the result's own message)."""
    return checkin_message(result.outcome, label=result.ticket.label if result.ticket else None,
                           service_date=result.service_date, slot=result.slot, opens_at=result.opens_at,
                           deadline=result.deadline, office=result.office, mistyped=result.mistyped,
                           office_name=result.office_name)
