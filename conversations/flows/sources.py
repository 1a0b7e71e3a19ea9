"""Where dynamic choices and prefilled answers come from: reference lists, the calendar, the context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conversations.copy import render
from conversations.copy.reference import BUDGET_PLANS, KPI_UNITS, PROVINCES
from conversations.engine.context import Context
from models.fiscal import fiscal_year_of

Options = list[tuple[str, str]]  # (value, Thai label); conversations.engine.answers uses the same shape


def fiscal_years(ctx: Context, answers: dict[str, Any]) -> Options:
    """This fiscal year and the next (registration usually happens before or early in the year)."""
    current = fiscal_year_of(ctx.today)
    return [(str(year), render("opt.fiscal_year", year=year)) for year in (current, current + 1)]


def provinces(ctx: Context, answers: dict[str, Any]) -> Options:
    """All 77 provinces, the office's own first."""
    options = [(str(index), name) for index, name in enumerate(PROVINCES)]
    return sorted(options, key=lambda option: option[1] != ctx.office_province)


def budget_plans(ctx: Context, answers: dict[str, Any]) -> Options:
    """Common budget plans, as suggestions."""
    return [(f"b{index}", name) for index, name in enumerate(BUDGET_PLANS)]


def kpi_units(ctx: Context, answers: dict[str, Any]) -> Options:
    """Common KPI units, as suggestions."""
    return [(f"u{index}", name) for index, name in enumerate(KPI_UNITS)]


SOURCES: dict[str, Callable[[Context, dict[str, Any]], Options]] = {
    "fiscal_years": fiscal_years,
    "provinces": provinces,
    "budget_plans": budget_plans,
    "kpi_units": kpi_units,
}


Prefill = Callable[[Context, dict[str, Any]], Any]
PLACEHOLDER_NAMES = ("role.owner", "role.director", "role.admin")  # what a person joined by a role invite is called


def is_placeholder(name: str) -> bool:
    """Whether a person's name is only their role's word ("เจ้าของโครงการ") until they give their own."""
    return not name.strip() or name.strip() in {render(key) for key in PLACEHOLDER_NAMES}


def _known(field: str, value: Any) -> Any:
    """A person's detail as a prefill: never empty, never a placeholder offered as a name."""
    if not value or (field == "name" and is_placeholder(str(value))):
        return None
    return value


def _director(field: str) -> Prefill:
    def value(ctx: Context, answers: dict[str, Any]) -> Any:
        director = ctx.need_director()
        return _known(field, getattr(director, field)) if director else None

    return value


def _owner(field: str) -> Prefill:
    return lambda ctx, answers: _known(field, getattr(ctx.user, field))


PREFILLS: dict[str, Prefill] = {
    "director.name": _director("name"),
    "director.email": _director("email"),
    "director.phone": _director("phone"),
    "owner.name": _owner("name"),
    "owner.email": _owner("email"),
    "owner.phone": _owner("phone"),
    "office.province": lambda ctx, answers: ctx.office_province or None,
}
