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


# How each letter of a service prefix is said in Bahasa Indonesia (the spelling
# alphabet people hear in offices: B = "be", Q = "ki", Z = "zet").
LETTER_NAMES = {
    "A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "ef", "G": "ge", "H": "ha",
    "I": "i", "J": "je", "K": "ka", "L": "el", "M": "em", "N": "en", "O": "o", "P": "pe",
    "Q": "ki", "R": "er", "S": "es", "T": "te", "U": "u", "V": "ve", "W": "we", "X": "eks",
    "Y": "ye", "Z": "zet",
}
PHRASES = {"nomor_antrean": "nomor antrean", "silakan_menuju_loket": "silakan menuju loket"}


def letter_fragment(prefix: str) -> str:
    """``"A"`` → ``"huruf_a"``; only the letters A–Z have a voice file."""
    letter = prefix.upper()
    if letter not in LETTER_NAMES:
        raise ValueError(f"a service prefix is one letter A-Z, got {prefix!r}")
    return f"huruf_{letter.lower()}"


def fragment_texts() -> dict[str, str]:
    """Every voice fragment an announcement can need, by file name, with the text it says.

    A voice folder with one ``<name>.wav`` per entry can say every call; human
    recordings replace the synthesised files by using the same names.
    """
    texts = dict(PHRASES)
    for letter, spoken in LETTER_NAMES.items():
        texts[letter_fragment(letter)] = spoken
    for n in range(1000):
        for word in number_fragments(n):
            texts[word] = word
    return texts


def announcement_fragments(prefix: str, number: int, counter: int) -> list[str]:
    """Fragments of "Nomor antrean A dua belas, silakan menuju loket tiga"."""
    return [
        "nomor_antrean",
        letter_fragment(prefix),
        *number_fragments(number),
        "silakan_menuju_loket",
        *number_fragments(counter),
    ]


def announcement_text(prefix: str, number: int, counter: int) -> str:
    """The sentence the fragments say, as a person would write it."""
    letter_fragment(prefix)  # same validation as the fragments
    return f"Nomor antrean {prefix.upper()} {number_words(number)}, silakan menuju loket {number_words(counter)}"
