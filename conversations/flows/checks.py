"""Cross-field checks: rules that look at more than one answer (dates in order, quarters inside dates).

Each runs when its question is answered, and again whenever section statuses are computed, so that an
edit elsewhere (a new end date) flags what it broke (an activity now outside the project's quarters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from conversations.formatting import format_date, format_money, format_quarters
from conversations.parsers.errors import InvalidAnswer
from models.fiscal import FiscalQuarter, fiscal_year_bounds


@dataclass(frozen=True, slots=True)
class CheckInput:
    """The value being checked and everything around it."""

    value: Any
    answers: dict[str, Any]
    item: dict[str, Any] | None = None
    parent: dict[str, Any] | None = None


def _date(answers: dict[str, Any], key: str) -> date | None:
    raw = answers.get(key)
    return date.fromisoformat(raw) if isinstance(raw, str) else None


def allowed_quarters(answers: dict[str, Any]) -> list[int]:
    """Fiscal quarters of the project's year that overlap its start–end dates (all four while unknown)."""
    fiscal_year, start, end = answers.get("fiscal_year"), _date(answers, "start_date"), _date(answers, "end_date")
    if not isinstance(fiscal_year, int) or start is None or end is None:
        return [1, 2, 3, 4]
    periods = [FiscalQuarter(fiscal_year, quarter) for quarter in (1, 2, 3, 4)]
    return [period.quarter for period in periods if period.first_day <= end and start <= period.last_day]


def start_in_fiscal_year(check: CheckInput) -> None:
    """A project of fiscal year N cannot start after N ends."""
    fiscal_year = check.answers.get("fiscal_year")
    if not isinstance(fiscal_year, int):
        return
    first, last = fiscal_year_bounds(fiscal_year)
    if date.fromisoformat(check.value) > last:
        raise InvalidAnswer("check.start_after_year", fiscal_year=fiscal_year, first=format_date(first),
                            last=format_date(last))


def end_after_start(check: CheckInput) -> None:
    """The end date is not before the start date, and the project runs in its fiscal year."""
    end = date.fromisoformat(check.value)
    start = _date(check.answers, "start_date")
    if start is not None and end < start:
        raise InvalidAnswer("check.end_before_start", start=format_date(start))
    fiscal_year = check.answers.get("fiscal_year")
    if isinstance(fiscal_year, int):
        first, _ = fiscal_year_bounds(fiscal_year)
        if end < first:
            raise InvalidAnswer("check.end_before_year", fiscal_year=fiscal_year, first=format_date(first))


def quarters_in_project(check: CheckInput) -> None:
    """An activity runs only in quarters that overlap the project's dates."""
    allowed = allowed_quarters(check.answers)
    outside = [quarter for quarter in check.value if quarter not in allowed]
    if outside:
        raise InvalidAnswer("check.quarters_outside_project", quarters=format_quarters(outside),
                            allowed=format_quarters(allowed))


def quarters_in_parent(check: CheckInput) -> None:
    """A sub-activity runs only in quarters of its parent activity."""
    quarters_in_project(check)
    parent_quarters = (check.parent or {}).get("quarters") or [1, 2, 3, 4]
    outside = [quarter for quarter in check.value if quarter not in parent_quarters]
    if outside:
        raise InvalidAnswer("check.quarters_outside_parent", quarters=format_quarters(outside),
                            parent=(check.parent or {}).get("name", ""), allowed=format_quarters(parent_quarters))


def positive_amount(check: CheckInput) -> None:
    """A budget line has money in it."""
    if Decimal(check.value) <= 0:
        raise InvalidAnswer("check.amount_zero")


def plan_matches_amount(check: CheckInput) -> None:
    """The quarterly plan adds up to the line's amount and spends only in the project's quarters
    (checked again after the amount or the project dates were edited)."""
    amount = Decimal(str((check.item or {}).get("amount", "0")))
    total = sum((Decimal(value) for value in check.value), Decimal(0))
    if total != amount:
        raise InvalidAnswer("invalid.plan.sum", total=format_money(total), amount=format_money(amount))
    allowed = allowed_quarters(check.answers)
    outside = [quarter for quarter, value in enumerate(check.value, start=1)
               if Decimal(value) and quarter not in allowed]
    if outside:
        raise InvalidAnswer("check.plan_outside_project", quarters=format_quarters(outside),
                            allowed=format_quarters(allowed))


CHECKS: dict[str, Callable[[CheckInput], None]] = {
    "start_in_fiscal_year": start_in_fiscal_year,
    "end_after_start": end_after_start,
    "quarters_in_project": quarters_in_project,
    "quarters_in_parent": quarters_in_parent,
    "positive_amount": positive_amount,
    "plan_matches_amount": plan_matches_amount,
}
