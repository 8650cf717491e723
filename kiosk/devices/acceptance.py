"""Which texts a reader that tries many variants of one picture may report.

The deep reader decodes dozens of deblurred and re-thresholded versions of a code per
frame, and each attempt is another chance that a damaged Code 128 passes its mod-103
checksum with the wrong text. A wrong read is worse than none, so what it reports
must also look like something the office issues:

- a booking code v1 by its *shape*: ``AP1-OFFICE-YYMMDD-HHMM-NNN-MAC`` with the MAC
  in Crockford base32 (the device layer cannot check the MAC itself: that needs the
  office's keys, and devices know nothing of the domain; check-in verifies it);
- or a code from an imported booking list, through a predicate the caller gives
  (imported codes are any printable text of 4-64 characters, valid only when listed).

The pattern is the domain's (``kiosk.core.booking_code``), written out again here so
the device layer needs no domain import; a test keeps the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable

KnownCode = Callable[[str], bool]

# Exactly what a booking code's barcode carries: upper case, plain hyphens, digits in
# the number fields, a plausible date and time, the MAC in Crockford's alphabet.
_BOOKING_CODE = re.compile(
    r"AP1-[A-Z0-9]{2,5}-\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])-([01]\d|2[0-3])[0-5]\d-"
    r"(?!000)\d{3}-[0-9A-HJKMNP-TV-Z]{8}"
)


def looks_like_booking_code(text: str) -> bool:
    """True when ``text`` has the exact shape of a v1 booking code (MAC unchecked)."""
    return _BOOKING_CODE.fullmatch(text) is not None


def no_imported_codes(text: str) -> bool:
    return False


class Acceptance:
    """The test a deep read must pass: a booking code's shape, or ``known(text)``.

    ``known`` is called from the camera's decoding thread, only for texts that are not
    booking codes, and at most once per text and code region; keep it quick.
    """

    def __init__(self, known: KnownCode | None = None) -> None:
        self.known: KnownCode = known or no_imported_codes

    def __call__(self, text: str) -> bool:
        if looks_like_booking_code(text):
            return True
        if not 4 <= len(text) <= 64 or not text.isprintable():
            return False
        try:
            return bool(self.known(text))
        except Exception:  # a failing lookup must not stop the camera: treat as unknown
            return False
