"""Questions about the data, asked from any screen: ``/status [Q1/2570]``, ``/pending``, ``/project CODE``,
``/find WORDS``, ``/export [2570]``, ``/chart [Q1/2570]``, ``/template`` (and their Thai words). The engine checks the
argument and hands the question to the service as an effect; the answer comes before the screen the user
was on, which stays."""

from __future__ import annotations

from conversations.copy import render
from conversations.engine.context import Context
from conversations.engine.effect_types import Ask
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.parsers.choices import parse_quarter_ref
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.thai_text import normalize_input
from models.enums import Role

ADMIN = frozenset({Nav.INVITE, Nav.WINDOWS, Nav.WINDOW, Nav.EXCEPT})
DECIDERS = frozenset({Nav.TEMPLATE})  # directors' and admins': the annual action plan's template
ASKS = frozenset({Nav.STATUS, Nav.PENDING, Nav.PROJECT, Nav.FIND, Nav.EXPORT, Nav.CHART}) | ADMIN | DECIDERS
WITH_QUARTER = frozenset({Nav.STATUS, Nav.PENDING, Nav.CHART})
MAX_ARGUMENT = 200


def ask(inp: Input, ctx: Context, out: Output) -> None:
    """Check the question's argument; ask the service, or say what is expected."""
    assert inp.action is not None
    argument = " ".join(inp.argument.split())[:MAX_ARGUMENT]
    if inp.action in ADMIN and ctx.user.role is not Role.ADMIN:
        out.say("ask.admins_only")
        return
    if inp.action in DECIDERS and ctx.user.role not in (Role.DIRECTOR, Role.ADMIN):
        out.say("imp.deciders_only")
        return
    if inp.action in WITH_QUARTER and argument:
        try:
            period = parse_quarter_ref(argument)
        except InvalidAnswer as problem:
            out.say("ask.bad_quarter", problem=render(problem.reason, **problem.params))
            return
        argument = f"{period.fiscal_year}-{period.quarter}"
    elif inp.action is Nav.EXPORT and argument:
        year = normalize_input(argument).removeprefix("ปี").strip()  # Thai digits too: ๒๕๗๐
        if not (year.isascii() and year.isdigit() and 2500 <= int(year) <= 2700):
            out.say("ask.bad_year", text=argument)
            return
        argument = year
    elif inp.action is Nav.PROJECT and not argument:
        out.say("ask.project_usage")
        return
    elif inp.action is Nav.FIND and not argument:
        out.say("ask.find_usage")
        return
    out.effect(Ask(command=inp.action.value, argument=argument))
