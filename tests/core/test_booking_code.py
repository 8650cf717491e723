"""Booking code v1 (DESIGN §3): format, MAC, normalisation, rotation."""

import base64
import hashlib
import hmac
from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core import booking_code as bc
from kiosk.core.booking_code import CodeProblem, MalformedCode, OfficeKey

KEY = OfficeKey("k1", b"\x01" * 32)
OLD = OfficeKey("k0", b"\x02" * 32)


def _spec_mac(secret: bytes, message: str) -> str:
    """The MAC computed straight from the design text, independently of the code."""
    digest = hmac.new(secret, message.encode(), hashlib.sha256).digest()[:5]
    bits = int.from_bytes(digest, "big")
    return "".join("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(bits >> s) & 31] for s in range(35, -1, -5))


def test_format_and_mac_follow_the_design():
    code = bc.generate(KEY, "JKP", date(2026, 11, 27), time(9, 30), 42)
    assert code.text.startswith("AP1-JKP-261127-0930-042-")
    assert code.mac == _spec_mac(KEY.secret, "AP1|JKP|261127|0930|042")
    assert len(code.mac) == 8


def test_round_trip():
    code = bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), 7)
    parsed = bc.parse(code.text)
    assert parsed == code
    assert bc.verify(parsed, [KEY])


def test_case_spaces_dashes_and_lookalikes_are_forgiven():
    code = bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), 7)
    mangled = code.text.lower().replace("-", " \u2013 ", 2)
    # Crockford look-alikes in the digit fields and the MAC: 0→O, 1→I/L.
    mangled = mangled.replace("0", "o").replace("1", "l")
    parsed = bc.parse(mangled)
    assert parsed.text == code.text
    assert bc.verify(parsed, [KEY])


def test_office_letters_are_not_mistaken_for_lookalikes():
    code = bc.generate(KEY, "BLO", date(2026, 12, 1), time(10, 0), 7)
    assert bc.parse(code.text.lower()).office == "BLO"


@pytest.mark.parametrize("position", range(-8, 0))
def test_one_changed_mac_character_is_rejected(position):
    code = bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), 7)
    chars = list(code.text)
    chars[position] = "A" if chars[position] != "A" else "B"
    assert not bc.verify(bc.parse("".join(chars)), [KEY])


def test_changed_payload_is_rejected():
    code = bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), 7)
    assert not bc.verify(bc.parse(code.text.replace("-007-", "-008-")), [KEY])
    assert not bc.verify(bc.parse(code.text.replace("-1000-", "-0930-")), [KEY])


def test_rotation_old_key_verifies_until_retired():
    old_code = bc.generate(OLD, "JKP", date(2026, 12, 1), time(10, 0), 7)
    assert bc.verify(old_code, [OLD, KEY])
    retired = OfficeKey(OLD.key_id, OLD.secret, active=False)
    assert not bc.verify(old_code, [retired, KEY])
    with pytest.raises(ValueError):
        bc.generate(retired, "JKP", date(2026, 12, 1), time(10, 0), 7)


def test_every_active_key_is_compared(monkeypatch):
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(bc.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    code = bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), 7)
    bc.verify(code, [KEY, OLD, OfficeKey("k2", b"3" * 32)])
    assert len(calls) == 3  # no early exit on the first match


@pytest.mark.parametrize("text,problem", [
    ("", CodeProblem.EMPTY),
    ("   ", CodeProblem.EMPTY),
    ("AP1-JKP-261301-1000-007-ABCDEFGH", CodeProblem.BAD_DATE),
    ("AP1-JKP-260231-1000-007-ABCDEFGH", CodeProblem.BAD_DATE),
    ("AP1-JKP-261201-2460-007-ABCDEFGH", CodeProblem.BAD_SLOT),
    ("AP1-JKP-261201-1000-000-ABCDEFGH", CodeProblem.BAD_NUMBER),
    ("AP1-JKP-261201-1000-007-ABCDEFG", CodeProblem.NOT_V1),
    ("AP1-JKP-261201-1000-007-ABCDEFGU", CodeProblem.NOT_V1),  # U is not Crockford
    ("AP1-JKPXYZ-261201-1000-007-ABCDEFGH", CodeProblem.NOT_V1),
    ("AP2-JKP-261201-1000-007-ABCDEFGH", CodeProblem.NOT_V1),
    ("AP1-JKP-261201-1000-007-ABCDEFGH" + "x" * 300, CodeProblem.TOO_LONG),
])
def test_malformed_codes_say_why(text, problem):
    with pytest.raises(MalformedCode) as info:
        bc.parse(text)
    assert info.value.problem is problem


def test_key_repr_never_shows_the_secret():
    key = OfficeKey("k1", base64.b64decode("c2VjcmV0c2VjcmV0"))
    assert "secret" not in repr(key).replace("secret=", "")
    assert "c2VjcmV0" not in repr(key)


offices = st.from_regex(r"[A-Z0-9]{2,5}", fullmatch=True)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
slots = st.builds(time, st.integers(0, 23), st.integers(0, 59))
numbers = st.integers(1, 999)
secrets_ = st.binary(min_size=16, max_size=64)


@settings(max_examples=300, deadline=None)
@given(secrets_, offices, dates, slots, numbers)
def test_property_round_trip(secret, office, day, slot, number):
    key = OfficeKey("k", secret)
    code = bc.generate(key, office, day, slot, number)
    assert bc.parse(code.text) == code
    assert bc.verify(bc.parse(code.text.lower()), [key])


@settings(max_examples=300, deadline=None)
@given(secrets_, offices, dates, slots, numbers, st.integers(0, 7), st.sampled_from("0123456789ABCDEFGHJKMNPQRSTVWXYZ"))
def test_property_tampered_mac_never_verifies(secret, office, day, slot, number, index, replacement):
    key = OfficeKey("k", secret)
    code = bc.generate(key, office, day, slot, number)
    if code.mac[index] == replacement:
        replacement = "0" if replacement != "0" else "1"
    mac = code.mac[:index] + replacement + code.mac[index + 1:]
    assert not bc.verify(bc.BookingCode(office, day, slot, number, mac), [key])


@settings(max_examples=200, deadline=None)
@given(secrets_, offices, dates, slots, numbers, numbers)
def test_property_tampered_number_never_verifies(secret, office, day, slot, number, other):
    key = OfficeKey("k", secret)
    code = bc.generate(key, office, day, slot, number)
    if other != number:
        assert not bc.verify(bc.BookingCode(office, day, slot, other, code.mac), [key])


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=5, max_size=5))
def test_fast_base32_path_equals_the_bitwise_encoding(data):
    from kiosk.core import crockford

    value = int.from_bytes(data, "big")
    slow = "".join(crockford.ALPHABET[(value >> s) & 31] for s in range(35, -1, -5))
    assert crockford.encode_bits(data, 40) == slow


@pytest.mark.parametrize("typed", [
    "AP1 JKP 261201 1000 007 {mac}",   # spaces for dashes, as the officer guide allows
    "AP1JKP2612011000007{mac}",        # no separators at all
    "ap1jkp2612011000007{mac_lower}",  # ... and in lower case
    "AP1.JKP.261201.1000.007.{mac}",   # dots
    "AP1 - JKP - 2612 01 - 1000 - 007 - {mac}",  # spaces around and inside the fields
    "APl-JKP-26l2Ol-lOOO-OO7-{mac}",   # Crockford look-alikes everywhere but the office
])
def test_manual_entry_is_as_forgiving_as_the_officer_guide(typed):
    code = bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), 7)
    text = typed.format(mac=code.mac, mac_lower=code.mac.lower())
    assert bc.parse(text).text == code.text
    assert bc.verify(bc.parse(text), [KEY])


def test_no_separator_codes_keep_office_letters_that_look_like_digits():
    code = bc.generate(KEY, "BLO", date(2026, 12, 1), time(10, 0), 7)
    assert bc.parse(code.text.replace("-", "").lower()).office == "BLO"


@pytest.mark.parametrize("position", [4, 6, 8, 12, 15, 20, 22, 24, 31])
def test_one_wrong_character_is_a_typing_slip_not_a_forgery(position):
    code = bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), 7)
    chars = list(code.text)
    assert chars[position] != "-"
    chars[position] = "9" if chars[position] not in "9" else "8"
    typed = "".join(chars)
    # GIVEN one character typed wrong (in the office, the date, the slot, the number or the MAC)
    # THEN the text is one character off a code this office issued
    assert bc.one_character_off(typed, "JKP", [KEY])


def test_a_forged_code_is_not_one_character_off():
    code = bc.generate(OfficeKey("forger", b"\x09" * 32), "JKP", date(2026, 12, 1), time(10, 0), 7)
    assert not bc.one_character_off(code.text, "JKP", [KEY])
    real = bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), 7).text
    two_off = real[:-2] + ("Z" if real[-2] != "Z" else "Y") + ("Z" if real[-1] != "Z" else "Y")
    assert not bc.one_character_off(two_off, "JKP", [KEY])


def one_character_off_by_brute_force(text, office, keys):
    """The rule in its plainest form: every character of every field, replaced by every
    letter and digit, parsed as the desk would."""
    canonical = bc.normalize(text[:bc.MAX_INPUT_LENGTH])
    if not canonical.startswith("AP1-"):
        return False
    for i in range(4, len(canonical)):
        if canonical[i] == "-":
            continue
        for other in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            changed = canonical[:i] + other + canonical[i + 1:]
            if bc.normalize(changed) == canonical:
                continue  # O for 0, L for 1: the same code, not a change
            try:
                parsed = bc.parse(changed)
            except bc.MalformedCode:
                continue
            if parsed.office == office and bc.verify(parsed, keys):
                return True
    return False


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.integers(1, 999), st.lists(st.tuples(st.integers(0, 40), st.sampled_from("0189AZOIL-x é")),
                                      min_size=0, max_size=2), st.sampled_from(["JKP", "JKQ", "JK"]))
def test_the_fast_typo_search_answers_as_the_brute_force_rule(number, changes, office):
    chars = list(bc.generate(KEY, "JKP", date(2026, 12, 1), time(10, 0), number).text)
    for position, char in changes:
        if position < len(chars):
            chars[position] = char
    typed = "".join(chars)
    assert bc.one_character_off(typed, office, [KEY]) == one_character_off_by_brute_force(typed, office, [KEY])
