"""Walk-in priority categories and the age rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PriorityCategory(StrEnum):
    LANSIA = "lansia"  # elderly: age >= lansia_min_age
    ANAK = "anak"  # small child: age < anak_under_age
    DISABILITAS = "disabilitas"  # officer's confirmation
    IBU_HAMIL = "ibu_hamil"  # officer's confirmation


@dataclass(frozen=True)
class AgeRule:
    lansia_min_age: int = 60
    anak_under_age: int = 5

    def needs_birth_date(self, category: PriorityCategory) -> bool:
        return category in (PriorityCategory.LANSIA, PriorityCategory.ANAK)

    def allows(self, category: PriorityCategory, birth: date | None, today: date) -> bool:
        if not self.needs_birth_date(category):
            return True
        if birth is None or birth > today:
            return False
        age = age_on(birth, today)
        if category is PriorityCategory.LANSIA:
            return age >= self.lansia_min_age
        return age < self.anak_under_age


def age_on(birth: date, today: date) -> int:
    """Completed years; someone born on 29 February has a birthday on 1 March."""
    years = today.year - birth.year
    if (today.month, today.day) < (birth.month, birth.day):
        years -= 1
    return years
