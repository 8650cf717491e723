"""The token in a ticket's status URL (``public_url/t/<token>``).

``<YYMMDD>-<label>-<MAC>``, e.g. ``261201-A042-3K9QW7T2M4XBC8RD``: the service day, the
printed number (both public: they are on the paper and the board) and the first 80 bits
of HMAC-SHA256(office key, ``ST1|OFFICE|YYMMDD|label``) in Crockford base32. Without
the office key nobody can make the token of another ticket; it names no database row
and no person. The ``ST1`` prefix keeps these MACs apart from booking codes signed with
the same key. A token is good for its service day only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

from kiosk.core.booking_code import OfficeKey
from kiosk.core.crockford import encode_bits

MAC_BITS = 80
_TOKEN = re.compile(r"(\d{6})-([A-Z]\d{3})-([0-9A-HJKMNP-TV-Z]{16})")


@dataclass(frozen=True)
class StatusToken:
    service_day: date
    label: str

    def text(self, key: OfficeKey, office: str) -> str:
        return f"{self.service_day:%y%m%d}-{self.label}-{_mac(key.secret, office, self.service_day, self.label)}"


def _mac(secret: bytes, office: str, day: date, label: str) -> str:
    message = f"ST1|{office}|{day:%y%m%d}|{label}".encode("ascii")
    return encode_bits(hmac.digest(secret, message, hashlib.sha256), MAC_BITS)


def make_token(key: OfficeKey, office: str, service_day: date, label: str) -> str:
    return StatusToken(service_day, label).text(key, office)


def read_token(text: str, keys: list[OfficeKey], office: str, today: date) -> StatusToken | None:
    """The ticket a token names, when its MAC is right (any of the office's keys) and
    its day is today; None for anything else (forged, damaged, expired, too long)."""
    if len(text) > 40:
        return None
    m = _TOKEN.fullmatch(text.upper())
    if m is None:
        return None
    day_text, label, presented = m.groups()
    try:
        day = date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:]))
    except ValueError:
        return None
    ok = False
    for key in keys:  # every key is tried: no timing tells which one matched
        ok |= hmac.compare_digest(_mac(key.secret, office, day, label).encode("ascii"), presented.encode("ascii"))
    if not ok or day != today:
        return None
    return StatusToken(day, label)
