"""The "copy from an earlier project" screen (#18): which project, then which fiscal year; the copy itself is an
effect the service carries out (``conversations.service.copying``), and the new draft's hub follows."""

from __future__ import annotations

from conversations.copy import render
from conversations.engine import actions
from conversations.engine.context import Context
from conversations.engine.effect_types import CopyProject
from conversations.engine.machine import Event
from conversations.engine.modes import Mode
from conversations.engine.nav import Nav, nav
from conversations.engine.output import buttons, present
from conversations.engine.picks import Pick, value
from conversations.engine.state import State
from conversations.formatting import shorten
from conversations.messages import InputHint, Reply
from conversations.parsers.choices import parse_fiscal_year
from conversations.parsers.errors import InvalidAnswer
from models.enums import Role
from models.fiscal import fiscal_year_of

LIST_LIMIT = 30
SOURCE = "copy_from"  # state.item: the project chosen to copy
LISTED = "listed"  # state.item: it was chosen from the list (so "back" returns to the list, not the menu)


def years_offered(ctx: Context) -> tuple[int, int]:
    """The fiscal years a copy may be for: the year being planned (the next) first, then the current one."""
    current = fiscal_year_of(ctx.today)
    return current + 1, current


def start(event: Event) -> None:
    """The menu's (or a project card's) "copy": owners only; from a card, that project is the one to copy."""
    state = event.state
    if event.ctx.user.role is not Role.OWNER:
        event.out.say("copy.owners_only")
        return
    source = state.viewing if state.mode is Mode.PROJECT else None
    actions.go(state, Mode.COPY)
    state.item = {SOURCE: source} if source is not None else {}


def pick_source(event: Event) -> None:
    """The list: this project is the one to copy; the fiscal year is asked next."""
    assert event.picked is not None
    event.state.item = {SOURCE: event.picked.number, LISTED: True}


def pick_year(event: Event) -> None:
    """A fiscal year's button: the copy is made (see :func:`_copy`)."""
    assert event.picked is not None
    _copy(event, event.picked.number)


def typed_year(event: Event) -> None:
    """A fiscal year typed instead of pressed (``2571``, ``71``, ``ปีงบประมาณ ๒๕๗๑``): one of those offered is taken
    as its button; anything else is explained, with the years accepted, and the question stays."""
    text = event.inp.text
    if event.state.item.get(SOURCE) is None or text is None:
        event.out.say("input.use_buttons")
        return
    offered = years_offered(event.ctx)
    try:
        year = parse_fiscal_year(text)
    except InvalidAnswer as problem:
        event.out.say(problem.reason, **problem.params)
        return
    if year not in offered:
        event.out.say("copy.year_not_offered", year=year, years=", ".join(str(option) for option in offered),
                      example=offered[0])
        return
    _copy(event, year)


def _copy(event: Event, fiscal_year: int) -> None:
    """The service makes the copy; the new draft's hub is shown (or the menu, when it is refused)."""
    state = event.state
    source = state.item.get(SOURCE)
    if source is None:
        event.out.say("input.use_buttons")
        return
    event.out.effect(CopyProject(int(source), fiscal_year))
    actions.reset_project(state)
    state.item, state.mode = {}, Mode.HUB


def back(event: Event) -> None:
    """Back: from the years to the list when the project was picked there, otherwise to the menu."""
    state = event.state
    if state.item.get(LISTED):
        state.item = {}
    else:
        state.item, state.mode = {}, Mode.MENU


def render_copy(state: State, ctx: Context) -> Reply:
    """The projects to copy from, or, once one is chosen, the fiscal years to copy it into."""
    source = state.item.get(SOURCE)
    note = ""
    if source is not None:
        loaded = ctx.need_project(int(source))
        if loaded.found:
            return _years(state, ctx, loaded.id, loaded.code, str(loaded.answers.get("name", "")),
                          loaded.answers.get("fiscal_year", ""))
        state.item, note = {}, render("project.not_found") + "\n\n"
    summaries = ctx.need_projects()
    lines, pairs = [], []
    for index, summary in enumerate(summaries[:LIST_LIMIT], start=1):
        lines.append(f"{index}. {summary.code} {shorten(summary.name, 60)}")
        pairs.append((value(Pick.COPY_FROM, summary.id), f"{index}. {shorten(summary.name, 30)}"))
    text = render("copy.pick_source", items="\n".join(lines)) if lines else render("copy.none")
    pairs += [(nav(Nav.BACK), render("nav.back")), (nav(Nav.MENU), render("nav.menu"))]
    present(state, f"copy:list:{len(summaries)}")
    return Reply(text=note + text, choices=buttons(state, pairs), hint=InputHint.CHOICE, key="copy.pick_source")


def _years(state: State, ctx: Context, project_id: int, code: str, name: str, year: object) -> Reply:
    pairs = [(value(Pick.YEAR, fiscal_year), render("copy.year", year=fiscal_year))
             for fiscal_year in years_offered(ctx)]
    pairs += [(nav(Nav.BACK), render("nav.back")), (nav(Nav.MENU), render("nav.menu"))]
    present(state, f"copy:years:{project_id}")
    text = render("copy.pick_year", name=shorten(name, 80), code=code, year=year)
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, key="copy.pick_year")
