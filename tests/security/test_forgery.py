"""A million guessed MACs: none is accepted."""

import random

import pytest
from datetime import date, time

from kiosk.core import booking_code
from kiosk.core.booking_code import BookingCode, OfficeKey

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@pytest.mark.slow
def test_one_million_random_macs_are_all_rejected():
    key = OfficeKey("k", bytes(range(32)))
    real = booking_code.generate(key, "JKP", date(2026, 12, 1), time(10, 0), 42)
    rng = random.Random(20261201)
    accepted = 0
    for _ in range(1_000_000):
        mac = "".join(rng.choices(ALPHABET, k=8))
        if mac == real.mac:
            continue  # the true MAC is not a forgery (probability 1e6 / 2^40 ≈ 1e-6)
        accepted += booking_code.verify(BookingCode("JKP", real.service_date, real.slot, 42, mac), [key])
    assert accepted == 0
