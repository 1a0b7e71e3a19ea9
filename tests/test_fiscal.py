"""The fiscal calendar: years, quarters and reporting windows, at their edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from models.fiscal import (
    FiscalQuarter,
    default_window,
    fiscal_quarter_of,
    fiscal_year_bounds,
    fiscal_year_of,
    local_day,
    quarters_between,
    to_be,
    to_ce,
)


@pytest.mark.parametrize(
    ("day", "fiscal_year", "quarter"),
    [
        (date(2026, 9, 30), 2569, 4),
        (date(2026, 10, 1), 2570, 1),
        (date(2026, 12, 31), 2570, 1),
        (date(2027, 1, 1), 2570, 2),
        (date(2027, 3, 31), 2570, 2),
        (date(2027, 4, 1), 2570, 3),
        (date(2027, 6, 30), 2570, 3),
        (date(2027, 7, 1), 2570, 4),
        (date(2027, 9, 30), 2570, 4),
        (date(2027, 10, 1), 2571, 1),
        (date(2028, 2, 29), 2571, 2),  # leap day
        (date(2024, 2, 29), 2567, 2),
        (date(2000, 2, 29), 2543, 2),
    ],
)
def test_fiscal_year_and_quarter_of_a_day(day: date, fiscal_year: int, quarter: int) -> None:
    assert fiscal_year_of(day) == fiscal_year
    assert fiscal_quarter_of(day) == FiscalQuarter(fiscal_year, quarter)


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        (FiscalQuarter(2570, 1), date(2026, 10, 1), date(2026, 12, 31)),
        (FiscalQuarter(2570, 2), date(2027, 1, 1), date(2027, 3, 31)),
        (FiscalQuarter(2570, 3), date(2027, 4, 1), date(2027, 6, 30)),
        (FiscalQuarter(2570, 4), date(2027, 7, 1), date(2027, 9, 30)),
        (FiscalQuarter(2571, 2), date(2028, 1, 1), date(2028, 3, 31)),
    ],
)
def test_quarter_bounds(quarter: FiscalQuarter, first: date, last: date) -> None:
    assert (quarter.first_day, quarter.last_day) == (first, last)
    assert quarter.contains(first) and quarter.contains(last)
    assert not quarter.contains(first - timedelta(days=1))
    assert not quarter.contains(last + timedelta(days=1))


def test_buddhist_era_conversion_and_fiscal_year_bounds() -> None:
    assert to_be(2026) == 2569
    assert to_ce(2570) == 2027
    assert fiscal_year_bounds(2570) == (date(2026, 10, 1), date(2027, 9, 30))


def test_quarter_navigation_crosses_fiscal_years() -> None:
    assert FiscalQuarter(2570, 4).next() == FiscalQuarter(2571, 1)
    assert FiscalQuarter(2570, 1).previous() == FiscalQuarter(2569, 4)
    assert FiscalQuarter(2570, 3).label() == "Q3/2570"
    with pytest.raises(ValueError, match="quarter"):
        FiscalQuarter(2570, 5)


def test_quarters_between_project_dates() -> None:
    assert quarters_between(date(2026, 10, 1), date(2027, 9, 30)) == [FiscalQuarter(2570, q) for q in (1, 2, 3, 4)]
    assert quarters_between(date(2026, 12, 31), date(2027, 1, 1)) == [FiscalQuarter(2570, 1), FiscalQuarter(2570, 2)]
    assert quarters_between(date(2027, 1, 2), date(2027, 1, 1)) == []


def test_default_window_opens_the_day_after_the_quarter_and_is_due_after_fifteen_days() -> None:
    window = default_window(FiscalQuarter(2570, 1))
    assert (window.opens, window.due) == (date(2027, 1, 1), date(2027, 1, 15))
    assert not window.is_open_on(date(2026, 12, 31))
    assert window.is_open_on(date(2027, 1, 1)) and window.is_open_on(date(2027, 1, 15))
    assert window.is_late_on(date(2027, 1, 16))
    assert window.days_left(date(2027, 1, 10)) == 5
    assert window.days_left(date(2027, 1, 20)) == -5
    q4 = default_window(FiscalQuarter(2570, 4), due_days=30)
    assert (q4.opens, q4.due) == (date(2027, 10, 1), date(2027, 10, 30))
    with pytest.raises(ValueError, match="due_days"):
        default_window(FiscalQuarter(2570, 1), due_days=0)


def test_a_local_day_needs_an_aware_moment() -> None:
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 01:00 in Bangkok.
    assert local_day(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)) == date(2027, 1, 1)
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2027, 1, 1))  # noqa: DTZ001 - naive on purpose
