"""The glossary (``resources/i18n/glossary.toml``): the office's terms for the README,
and the word lists the language test checks every screen against."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GLOSSARY = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "glossary.toml"


@dataclass(frozen=True)
class Term:
    word: str
    meaning: str
    domain: bool  # allowed in English screens with one of ``english`` beside it
    english: tuple[str, ...]
    as_is: bool = False  # a name, shown as it is in both languages


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    indonesian: frozenset[str]  # never in English screens
    english: frozenset[str]  # never in Indonesian screens
    shared: frozenset[str]
    names: tuple[str, ...]


def load(path: Path = GLOSSARY) -> Glossary:
    data: dict[str, Any] = tomllib.loads(path.read_text("utf-8"))
    words = data["words"]
    terms = tuple(Term(t["word"], t["meaning"], bool(t.get("domain", False)), tuple(t.get("english", ())),
                       bool(t.get("as_is", False))) for t in data["term"])
    glossary = Glossary(terms, frozenset(w.lower() for w in words["indonesian"]),
                        frozenset(w.lower() for w in words["english"]), frozenset(w.lower() for w in words["shared"]),
                        tuple(words.get("names", ())))
    both = (glossary.indonesian & glossary.english) | ((glossary.indonesian | glossary.english) & glossary.shared)
    if both:
        raise ValueError(f"{path.name}: words on more than one list: {sorted(both)}")
    return glossary


def markdown(glossary: Glossary | None = None) -> str:
    """The README's glossary table."""
    glossary = glossary or load()
    rows = ["| term | meaning | in English screens |", "|---|---|---|"]
    for t in glossary.terms:
        shown = t.word if "/" in t.word else f"*{t.word}*"
        english = ("as it is (a name)" if t.as_is else
                   f"kept beside its English word ({', '.join(t.english)})" if t.domain else "the English word only")
        rows.append(f"| {shown} | {t.meaning} | {english} |")
    return "\n".join(rows)
