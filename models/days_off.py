"""Days on which nobody is at the office: a country's public holidays and the office's own days off.

Sending hours (``bot/sending_hours.py``) ask whether a day is one, and through them the reminder ladder
(``conversations/oversight/reminder_stages.py``) places its rungs; ``tidtam reminders preview`` asks why. The national
calendar is the ``holidays`` package's, Thailand's by default: Songkran, New Year, the royal and Buddhist days and
the substitution days (ชดเชย…) it knows, with the government offices' own day off (วันพืชมงคล), named in Thai.
Each year is read from the package once and kept, since the ladder asks about the same days for every project.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import holidays

THAILAND = "TH"
NO_CALENDAR = "none"  # the setting's word for "no national holidays, only the office's own days off"
CATEGORIES = (holidays.PUBLIC, holidays.GOVERNMENT)  # government offices are closed on both
LANGUAGE = "th"
YEARS_KEPT = 64


@dataclass(frozen=True, slots=True)
class DayOff:
    """Why a day is off: the national holidays on it (their names, possibly several) and whether the office
    listed it among its own days off."""

    names: tuple[str, ...]
    office: bool


@dataclass(frozen=True, slots=True)
class DaysOff:
    """A country's holiday calendar (an ISO code the ``holidays`` package knows; None: none) plus ``extra`` dates."""

    country: str | None = THAILAND
    extra: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.country is not None and self.country not in holidays.list_supported_countries():
            raise ValueError("no holiday calendar for that country: use a code such as TH, or none")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and (day in self.extra or day in self._national(day.year))

    def why(self, day: date) -> DayOff | None:
        """The reasons ``day`` is off; None on an ordinary day (weekends are the sending hours' business)."""
        names = self._national(day.year).get(day, ())
        office = day in self.extra
        return DayOff(names, office) if names or office else None

    def _national(self, year: int) -> Mapping[date, tuple[str, ...]]:
        return national_holidays(self.country, year) if self.country else {}


def parse_calendar(text: str) -> str | None:
    """The setting's text (``TH``, ``none``) as a country code, or None for no national calendar."""
    code = text.strip()
    if code.lower() == NO_CALENDAR:
        return None
    return DaysOff(country=code.upper()).country


@lru_cache(maxsize=YEARS_KEPT)
def national_holidays(country: str, year: int) -> Mapping[date, tuple[str, ...]]:
    """One year of a country's holidays, each day with its names (in Thai where the package has them)."""
    kind = holidays.country_holidays(country)  # no year read yet: only what the calendar supports
    language = LANGUAGE if LANGUAGE in kind.supported_languages else None
    categories = [category for category in CATEGORIES if category in kind.supported_categories]
    calendar = holidays.country_holidays(country, years=year, language=language, categories=categories)
    return {day: tuple(calendar.get_list(day)) for day in calendar}
