"""Notes added to an echo, computed from the answer and what is known: a KPI's share of its target."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from conversations.copy import render
from conversations.formatting import format_money, format_number, format_percent

NoteFunction = Callable[[Any, dict[str, Any], dict[str, Any]], str]


def kpi_percent(value: Any, item: dict[str, Any], answers: dict[str, Any]) -> str:
    """``73% ของเป้าหมาย 85 ร้อยละ`` — the value as a share of the KPI's target."""
    target = Decimal(str(item.get("target", "0")))
    if target <= 0:
        return ""
    share = Decimal(str(value)) * 100 / target
    return render("note.kpi_percent", percent=format_percent(share.quantize(Decimal("0.1"))),
                  target=format_number(target), unit=item.get("unit", ""))


def disbursed_share(value: Any, item: dict[str, Any], answers: dict[str, Any]) -> str:
    """``66% ของแผน 150,000 บาท`` — disbursement as a share of the quarter's plan."""
    planned = Decimal(str(answers.get("planned_amount") or "0"))
    if planned <= 0:
        return ""
    share = Decimal(str(value)) * 100 / planned
    return render("note.disbursed_share", percent=format_percent(share.quantize(Decimal("0.1"))),
                  planned=format_money(planned))


def budget_kept(value: Any, item: dict[str, Any], answers: dict[str, Any]) -> str:
    """Saying "no budget" hides M5; the lines already entered are kept in case of a change of mind."""
    lines = answers.get("budget_lines") or []
    return render("note.budget_kept", count=len(lines)) if value is False and lines else ""


NOTES: dict[str, NoteFunction] = {"kpi_percent": kpi_percent, "disbursed_share": disbursed_share,
                                  "budget_kept": budget_kept}
