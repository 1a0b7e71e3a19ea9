"""The admins' chat commands: invite people, see the reporting windows, move a due date, grant an exception.

Arguments are read here with the same Thai-aware parsers as every answer; a mistake is explained with an
example, never guessed at.
"""

from __future__ import annotations

from datetime import date, datetime

from conversations.copy import render
from conversations.formatting import format_date
from conversations.messages import Reply
from conversations.parsers.choices import parse_quarter_ref
from conversations.parsers.dates import parse_date
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.thai_text import normalize_input
from conversations.service.telling import NO_PUSHES, PushOutlook, told
from conversations.service.window_admin import WindowRefused, grant_exception, set_window
from models.enums import Role
from models.fiscal import FiscalQuarter, fiscal_year_of
from models.invites import issue_invite
from models.org import Office, User
from models.report import ReportingWindow, WindowException
from models.windows import ReportingPolicy, quarter_windows

ROLE_WORDS = {"owner": Role.OWNER, "เจ้าของ": Role.OWNER, "เจ้าของโครงการ": Role.OWNER,
              "director": Role.DIRECTOR, "ผู้อำนวยการ": Role.DIRECTOR, "ผอ.": Role.DIRECTOR,
              "admin": Role.ADMIN, "ผู้ดูแล": Role.ADMIN, "ผู้ดูแลระบบ": Role.ADMIN}


def _say(key: str, **params: object) -> Reply:
    return Reply(text=render(key, **params), key=key)


async def invite(argument: str, actor: User, now: datetime) -> Reply:
    """``ROLE [OFFICE]``: a one-time invite code for a new person."""
    words = argument.split()
    role = ROLE_WORDS.get(words[0].lower()) if words else None
    if role is None:
        return _say("admin.invite_usage")
    office = await Office.get_or_none(code=words[1].upper()) if len(words) > 1 else None
    if role is not Role.ADMIN and office is None:
        return _say("admin.invite_office", office=words[1] if len(words) > 1 else "")
    _, code = await issue_invite(role=role, office=office, created_by=actor, now=now)
    return _say("admin.invite", code=code, role=render(f"role.{role}"), office=office.name if office else "-")


async def windows(argument: str, today: date, policy: ReportingPolicy) -> Reply:
    """``[FISCAL YEAR]``: the four windows, overrides and exceptions."""
    typed = normalize_input(argument)
    asked = typed.isascii() and typed.isdigit() and 2500 <= int(typed) <= 2700
    year = int(typed) if asked else fiscal_year_of(today)
    periods = {FiscalQuarter(year, quarter) for quarter in (1, 2, 3, 4)}
    shown = await quarter_windows(periods, policy)
    overridden = {int(str(quarter)) for quarter in
                  await ReportingWindow.filter(fiscal_year=year).values_list("quarter", flat=True)}
    lines = [render("admin.window_line", period=period.label(), opens=format_date(window.opens),
                    due=format_date(window.due), locks=format_date(window.locks),
                    mark=render("admin.overridden") if period.quarter in overridden else "")
             for period, window in sorted(shown.items())]
    for row in await WindowException.filter(fiscal_year=year).prefetch_related("office").order_by("quarter"):
        lines.append(render("admin.exception_line", office=row.office.code, period=f"Q{row.quarter}/{year}",
                            until=format_date(row.until)))
    return _say("admin.windows", fiscal_year=year, lines="\n".join(lines))


async def move_due(argument: str, actor: User, now: datetime, policy: ReportingPolicy) -> Reply:
    """``Q1/2570 DATE``: a quarter's new due date (late reports are then taken for the usual days after it)."""
    period_text, _, day_text = argument.partition(" ")
    try:
        period = parse_quarter_ref(period_text)
        due = parse_date(day_text)
    except InvalidAnswer as problem:
        return _say("admin.window_usage", problem=render(problem.reason, **problem.params))
    try:
        await set_window(period, due=due, now=now, policy=policy, actor=actor, note=render("admin.by_chat"))
    except WindowRefused:
        return _say("admin.window_order", period=period.label())
    window = (await quarter_windows({period}, policy))[period]
    return _say("admin.window_set", period=period.label(), due=format_date(window.due),
                locks=format_date(window.locks))


async def grant(argument: str, actor: User, now: datetime, outlook: PushOutlook = NO_PUSHES) -> Reply:
    """``OFFICE Q1/2570 DATE``: let an office report a quarter until a day."""
    words = argument.split(maxsplit=2)
    if len(words) < 3:
        return _say("admin.except_usage", problem="")
    office = await Office.get_or_none(code=words[0].upper())
    if office is None:
        return _say("admin.invite_office", office=words[0])
    try:
        period, until = parse_quarter_ref(words[1]), parse_date(words[2])
    except InvalidAnswer as problem:
        return _say("admin.except_usage", problem=render(problem.reason, **problem.params))
    _, owners = await grant_exception(office, period, until, now=now, actor=actor, reason=render("admin.by_chat"))
    told_owners = await told(owners, now, outlook, render("tell.owner")) if owners else render("admin.no_one_to_tell")
    return _say("admin.excepted", office=office.name, period=period.label(), until=format_date(until),
                told=told_owners)
