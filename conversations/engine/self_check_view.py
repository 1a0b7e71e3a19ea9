"""The self-check's findings in words, under the review card and the director's item (pure)."""

from __future__ import annotations

from decimal import Decimal

from conversations.copy import render
from conversations.engine.self_check import Check, Finding, Level
from conversations.formatting import format_money, shorten

QUOTE_CHARS = 60  # a statement written twice is quoted this long


def finding_text(finding: Finding) -> str:
    """One finding as a line: its weight's icon and what to do about it."""
    params = dict(finding.params)
    key = f"check.{finding.check}"
    if finding.check is Check.INVESTMENT:
        params["invested"] = format_money(Decimal(params["invested"]))
        params["total"] = format_money(Decimal(params["total"]))
        key += ".most" if finding.level is Level.FIX else ""
    if finding.check in (Check.MISSING, Check.COPIED):
        params["what"] = render(params["what"])
    if finding.check is Check.COPIED:
        params["text"] = shorten(params["text"], QUOTE_CHARS)
        if params["other"] == finding.params["what"]:
            key += ".same"
        params["other"] = render(params["other"])
    return f"{render(f'check.icon.{finding.level}')} {render(key, **params)}"


def findings_text(findings: list[Finding]) -> str:
    """The whole self-check: its title, each finding (or that all passed), and what a person must still judge."""
    lines = [render("check.title")]
    if any(finding.level is not Level.NOTE for finding in findings):
        lines += [finding_text(finding) for finding in findings]
    else:
        lines += [render("check.all_ok"), *(finding_text(finding) for finding in findings)]
    lines.append(render("check.judge"))
    return "\n".join(lines)
