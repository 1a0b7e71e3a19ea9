"""The screens outside the question walk: main menu, my projects, a project's card, hub, section, review."""

from __future__ import annotations

from conversations.copy import render
from conversations.engine import copied, reports, returned_note
from conversations.engine.context import Context
from conversations.engine.decisions import item_what
from conversations.engine.nav import Nav, nav
from conversations.engine.output import buttons, present
from conversations.engine.pack import project_pack
from conversations.engine.picks import Pick, value
from conversations.engine.questions import applies
from conversations.engine.self_check import self_check
from conversations.engine.self_check_view import findings_text
from conversations.engine.state import Mode, State
from conversations.engine.status import ICONS, all_done, flow_states, section_state, waiting_on
from conversations.engine.views import card_text, review_card, section_rows
from conversations.flows.flow import Evidence, Flow, FlowId, Group, Kind, PlanLinks, label_key
from conversations.formatting import shorten
from conversations.messages import InputHint, Reply
from conversations.names import address
from models.enums import ItemStatus, Role

Pairs = list[tuple[str, str]]
LIST_LIMIT = 30
TITLE_LIMIT = 70


def _screen(state: State, identity: str, text: str, pairs: Pairs, *, card: bool = False, flow: Flow | None = None,
            key: str = "") -> Reply:
    present(state, identity)
    rich = review_card(flow, state.answers, title=title(state), code=state.project_code or "",
                       status=_status(state)) if card and flow else None
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, card=rich, key=key)


def _status(state: State) -> str:
    return render(f"status.{state.project_status}")


def _status_line(state: State) -> str:
    code = state.project_code or render("value.no_code")
    return render("project.status_line", code=code, status=_status(state))


def title(state: State) -> str:
    """What is being worked on: the project's name, or ``project · Q1/2570`` for a report (the quarter kept
    whole however long the name)."""
    if not state.period:
        return shorten(str(state.answers.get("name", "")), TITLE_LIMIT)
    fiscal_year, _, quarter = state.period.partition("-")
    return f"{shorten(str(state.answers.get('project_name', '')), TITLE_LIMIT)} · Q{quarter}/{fiscal_year}"


def menu(state: State, ctx: Context) -> Reply:
    """The main menu: new project, my projects, continue, help."""
    pairs: Pairs = []
    if ctx.user.role is Role.OWNER:
        pairs.append((nav(Nav.NEW), render("menu.new")))
        pairs.append((nav(Nav.REPORTS), render("menu.reports")))
    else:
        waiting = len(ctx.need_inbox())
        pairs.append((nav(Nav.INBOX), render("menu.inbox", count=waiting)))
    pairs.append((nav(Nav.MINE), render("menu.mine" if ctx.user.role is Role.OWNER else "menu.office")))
    if ctx.user.role is Role.OWNER:
        pairs.append((nav(Nav.COPY), render("copy.menu")))
    if state.resume or state.project_id is not None:
        pairs.append((nav(Nav.CONTINUE), render("menu.continue", name=shorten(title(state), 30))))
    pairs.append((nav(Nav.HELP), render("menu.help")))
    text = render("menu.text", person=address(ctx.user.name), office=ctx.office_name or render("value.central"))
    return _screen(state, "menu", text, pairs, key="menu.text")


def projects(state: State, ctx: Context) -> Reply:
    """The user's projects with status and completion."""
    summaries = ctx.need_projects()
    lines = []
    pairs: Pairs = []
    for index, summary in enumerate(summaries[:LIST_LIMIT], start=1):
        progress = render("project.progress", done=summary.sections_done, total=summary.sections_total)
        owner = f" · {summary.owner_name}" if ctx.user.role is not Role.OWNER and summary.owner_name else ""
        lines.append(f"{index}. {summary.code} {summary.name}\n   "  # the full name: buttons cut it
                     f"{render(f'status.{summary.status}')} · {progress}{owner}")
        pairs.append((value(Pick.PROJECT, summary.id), f"{index}. {shorten(summary.name, 30)}"))
    if len(summaries) > LIST_LIMIT:
        lines.append(render("projects.more", count=len(summaries) - LIST_LIMIT))
    text = render("projects.text", items="\n".join(lines)) if lines else render("projects.none")
    if ctx.user.role is Role.OWNER:
        pairs.append((nav(Nav.NEW), render("menu.new")))
    pairs.append((nav(Nav.MENU), render("nav.menu")))
    return _screen(state, f"projects:{len(summaries)}", text, pairs, key="projects.text")


def project(state: State, ctx: Context, flow: Flow) -> Reply:
    """One project's card, read-only, with "edit" when the owner may still change it."""
    if state.viewing is None:
        return menu(state, ctx)
    loaded = ctx.need_project(state.viewing)
    if not loaded.found:
        state.mode, state.viewing = Mode.PROJECTS, None
        reply = projects(state, ctx)
        return Reply(text=render("project.not_found") + "\n\n" + reply.text, choices=reply.choices, hint=reply.hint,
                     key="project.not_found")
    card = review_card(flow, loaded.answers, code=loaded.code, status=render(f"status.{loaded.status}"))
    text = card_text(card)
    if loaded.status is ItemStatus.RETURNED and loaded.decision_comment:
        text += "\n\n" + render("project.returned_comment", comment=loaded.decision_comment)
    if loaded.status is ItemStatus.APPROVED:
        steps = project_pack(flow, loaded.answers)
        text += "\n\n" + render("pack.card_progress", emenscr_id=loaded.emenscr_id or render("pack.no_id"),
                                  done=sum(step.key in loaded.emenscr_keyed for step in steps), total=len(steps))
    pairs: Pairs = [(nav(Nav.OPEN), render("project.open"))] if loaded.editable else []
    if loaded.status is ItemStatus.APPROVED:
        quarters = ctx.need_quarters(loaded.id)
        if quarters:
            text += "\n\n" + render("project.quarters", quarters="\n".join(
                f"• {reports.task_line(task, (task.due - ctx.today).days)}" for task in quarters))
            pairs += [(reports.task_value(task), f"📝 {reports.period_label(task.fiscal_year, task.quarter)}")
                      for task in quarters if task.status in reports.WITH_REPORT]
        pairs.append((nav(Nav.EMENSCR), render("pack.open")))
        if ctx.user.role is Role.OWNER:
            pairs.append((nav(Nav.REOPEN), render("project.reopen")))
    if loaded.status is ItemStatus.SUBMITTED and ctx.user.role is Role.OWNER:
        pairs.append((nav(Nav.WITHDRAW), render("project.withdraw")))  # while the director has not decided
    if ctx.user.role is Role.OWNER:
        pairs.append((nav(Nav.COPY), render("copy.menu")))
    state.item = {"code": loaded.code}
    pairs += [(nav(Nav.PDF), render("doc.button")), (nav(Nav.HISTORY), render("nav.history")),
              (nav(Nav.MINE), render("nav.mine")), (nav(Nav.MENU), render("nav.menu"))]
    present(state, f"project:{loaded.id}:{loaded.status}")
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, card=card, key="project.card")


def hub(state: State, flow: Flow) -> Reply:
    """The section hub: every section with ✅, ⚠️ or ○, and what is missing."""
    lines = []
    pairs: Pairs = []
    states = flow_states(flow, state.answers)
    for section_state_ in states:
        icon = ICONS[section_state_.status]
        name = render(section_state_.section.title)
        waiting = waiting_on(flow, section_state_.section, state.answers)
        mark, dropped = copied.hub_mark(state.copied, section_state_.section.id)
        icon = copied.DROPPED_ICON if dropped else icon
        line = f"{icon} {name} ({waiting})" if waiting else f"{icon} {name}"
        lines.append(f"{line} · {mark}" if mark else line)
        lines.extend(f"   – {problem}" for problem in dropped)
        lines.extend(f"   – {note}" for note in copied.hub_notes(state.copied, section_state_.section.id))
        lines.extend(f"   – {problem}" for problem in section_state_.problems[:3] if
                     section_state_.status.value == "attention")
        pairs.append((value(Pick.SECTION, section_state_.section.id), f"{icon} {shorten(name, 30)}"))
    pairs.append((nav(Nav.REVIEW), render("nav.review")))
    if all_done(states) and state.project_status in ("draft", "returned"):
        pairs.append((nav(Nav.SUBMIT), render("nav.submit")))
    pairs.append((nav(Nav.SAVE), render("nav.save")))
    text = returned_note.above(state, render("hub.text", name=shorten(title(state), 80), status=_status_line(state),
                                            sections="\n".join(lines)))
    return _screen(state, "hub", text, pairs, key="hub.text")


def section_view(state: State, flow: Flow) -> Reply:
    """One section's answers, each with an edit button."""
    section = flow.section(state.section)
    status = section_state(section, state.answers)
    rows = section_rows(section, state.answers)
    lines = [f"{ICONS[status.status]} {render(section.title)}"]
    lines.extend(f"• {label}: {value}" for label, value in rows)
    lines.extend(f"⚠️ {problem}" for problem in status.problems[:5])
    pairs: Pairs = []
    for step in section.steps:
        if isinstance(step, PlanLinks):
            label = render("label.plan_links")
        elif isinstance(step, Evidence):
            label = render("label.evidence")
        elif isinstance(step, Group):
            label = render(step.item)
        elif applies(step.when, state.answers):
            label = render(label_key(step))
        else:
            continue
        pairs.append((value(Pick.EDIT, step.key), render("nav.edit_field", label=shorten(label, 24))))
    pairs += [(nav(Nav.HUB), render("nav.hub")), (nav(Nav.REVIEW), render("nav.review"))]
    return _screen(state, f"section:{section.id}", "\n".join(lines) + "\n\n" + render("section.pick_edit"), pairs,
                   key="section.view")


def review(state: State, flow: Flow, ctx: Context) -> Reply:
    """The review card of the whole project, with edit per section and submit when complete; a project's card is
    followed by the self-check against NESDC's criteria (advice: it never holds back the submission)."""
    states = flow_states(flow, state.answers)
    card = returned_note.on_card(state, review_card(flow, state.answers, title=title(state),
                                                    code=state.project_code or "", status=_status(state),
                                                    states=states))
    checked = findings_text(self_check(state.answers, ctx.need_catalog())) if flow.id == FlowId.REGISTER else ""
    pairs: Pairs = [(value(Pick.START_QUESTION, question.key),
                     render("nav.edit_field", label=shorten(render(label_key(question)), 24)))
                    for question in flow.start if question.kind is not Kind.FISCAL_YEAR]
    pairs += [(value(Pick.VIEW, section.id), render("nav.edit_field", label=shorten(render(section.title), 24)))
              for section in flow.sections]
    ready = all_done(states)
    if ready and state.project_status in ("draft", "returned"):
        pairs.append((nav(Nav.SUBMIT), render("nav.submit")))
    pairs += [(nav(Nav.HUB), render("nav.hub")), (nav(Nav.SAVE), render("nav.save"))]
    # the card says once what its submit button does (sent at once, not editable until returned)
    note = render(f"review.ready.{flow.id}" if ready else "review.not_ready")
    present(state, "review")
    text = "\n\n".join(part for part in (card_text(card), checked, note) if part)
    return Reply(text=text, choices=buttons(state, pairs), hint=InputHint.CHOICE, card=card, key="review")


def confirm(state: State) -> Reply:
    """A yes/no question before something that cannot be undone."""
    action = state.confirm.get("action", "")
    pairs: Pairs = [(nav(Nav.YES), render(f"confirm.{action}.yes")), (nav(Nav.NO), render(f"confirm.{action}.no"))]
    text = render(f"confirm.{action}", name=title(state), code=item_what(state.item))
    return _screen(state, f"confirm:{action}", text, pairs, key=f"confirm.{action}")

