"""Indonesian number words and the call announcement text."""

from __future__ import annotations

_UNITS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]


def number_fragments(n: int) -> list[str]:
    """Words for 0–999 as separate fragments, the way the voice files are named.

    12 → ["dua", "belas"], 100 → ["seratus"], 111 → ["seratus", "sebelas"],
    21 → ["dua", "puluh", "satu"].
    """
    if not 0 <= n <= 999:
        raise ValueError(f"only 0-999 can be spoken, got {n}")
    if n == 0:
        return ["nol"]
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_UNITS[hundreds], "ratus"]
    tens, units = divmod(rest, 10)
    if tens == 1:
        if units == 0:
            words.append("sepuluh")
        elif units == 1:
            words.append("sebelas")
        else:
            words += [_UNITS[units], "belas"]
    else:
        if tens:
            words += [_UNITS[tens], "puluh"]
        if units:
            words.append(_UNITS[units])
    return words


def number_words(n: int) -> str:
    """0 → "nol", 12 → "dua belas", 100 → "seratus", 111 → "seratus sebelas"."""
    return " ".join(number_fragments(n))


def announcement_fragments(prefix: str, number: int, counter: int) -> list[str]:
    """Fragments of "Nomor antrean A dua belas, silakan menuju loket tiga"."""
    return [
        "nomor_antrean",
        f"huruf_{prefix.lower()}",
        *number_fragments(number),
        "silakan_menuju_loket",
        *number_fragments(counter),
    ]


def announcement_text(prefix: str, number: int, counter: int) -> str:
    return f"Nomor antrean {prefix.upper()} {number_words(number)}, silakan menuju loket {number_words(counter)}"
