"""Crockford base32: digits and upper-case letters without I, L, O and U."""

from __future__ import annotations

import base64

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_FROM_RFC4648 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET)
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def encode_bits(data: bytes, bits: int) -> str:
    """Encode the first ``bits`` bits of ``data`` (a multiple of 5) as base32 text."""
    if bits % 5 or bits > len(data) * 8:
        raise ValueError("bits must be a multiple of 5 and fit in data")
    if bits % 40 == 0 and len(data) * 8 == bits:  # whole 5-byte groups: the C encoder, same digits
        return base64.b32encode(data).decode("ascii").translate(_FROM_RFC4648)
    value = int.from_bytes(data, "big") >> (len(data) * 8 - bits)
    chars = []
    for shift in range(bits - 5, -1, -5):
        chars.append(ALPHABET[(value >> shift) & 0x1F])
    return "".join(chars)


def normalize(text: str) -> str:
    """Upper-case and map the look-alikes people and scanners produce (O→0, I/L→1)."""
    return text.upper().translate(_LOOKALIKES)
