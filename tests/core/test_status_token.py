"""The status-page token: signed with the office key, good for its service day only."""

from __future__ import annotations

from datetime import date

from kiosk.core.booking_code import OfficeKey, compute_mac
from kiosk.core.status_token import make_token, read_token

KEY = OfficeKey("k1", b"k" * 32, True)
OLD = OfficeKey("k0", b"o" * 32, False)
DAY = date(2026, 12, 1)


def test_a_token_names_its_day_and_number_and_nothing_else():
    token = make_token(KEY, "JKP", DAY, "A042")
    day, label, mac = token.split("-")
    assert (day, label, len(mac)) == ("261201", "A042", 16)
    assert read_token(token, [KEY], "JKP", DAY).label == "A042"
    assert read_token(token.lower(), [KEY], "JKP", DAY).label == "A042"


def test_a_token_from_a_retired_key_still_opens_on_its_day():
    assert read_token(make_token(OLD, "JKP", DAY, "B003"), [KEY, OLD], "JKP", DAY).label == "B003"


def test_forged_foreign_expired_and_garbage_tokens_are_refused():
    token = make_token(KEY, "JKP", DAY, "A042")
    assert read_token(token.replace("A042", "A043"), [KEY], "JKP", DAY) is None  # another ticket
    assert read_token(token, [OfficeKey("x", b"x" * 32, True)], "JKP", DAY) is None  # another key
    assert read_token(token, [KEY], "DPS", DAY) is None  # another office
    assert read_token(token, [KEY], "JKP", date(2026, 12, 2)) is None  # the day after
    for garbage in ("", "A042", token + "0", "261301-A042-" + token[-16:], "x" * 10_000, token.replace("-", "")):
        assert read_token(garbage, [KEY], "JKP", DAY) is None


def test_a_token_mac_is_not_a_booking_code_mac():
    # The same key signs booking codes: the ST1 prefix keeps the two kinds of MAC apart.
    token_mac = make_token(KEY, "JKP", DAY, "A042").split("-")[2]
    assert not token_mac.startswith(compute_mac(KEY.secret, "JKP", DAY, __import__("datetime").time(9, 30), 42))
