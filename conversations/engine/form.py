"""Walking a project's questions: the start questions, then each section's steps in order.

After a step is answered the walk moves to the next unanswered step of the section, then to the next
section that is not done; an edit started from the section view or the review card returns there. The step on
screen is named by its key (``state.step``), so a saved position keeps its meaning when the flow changes; one
whose step is gone lands on the section hub with a notice (:func:`check_positions`).
"""

from __future__ import annotations

from typing import Any

from conversations.copy import render
from conversations.engine import (
    date_span,
    dialog,
    evidence,
    groups,
    groups_view,
    planlinks,
    taken,
    taken_back,
    taken_guard,
)
from conversations.engine.context import Context
from conversations.engine.effect_types import SaveDraft
from conversations.engine.frames import Position
from conversations.engine.nav import Input, Nav, nav
from conversations.engine.output import Output
from conversations.engine.questions import Slot, applies, handle, prefill, render_question, step_position
from conversations.engine.report_heading import report_heading
from conversations.engine.state import Mode, State, json_copy
from conversations.engine.status import (
    SectionState,
    Status,
    flow_states,
    newly_broken,
    step_problems,
    waiting_on,
)
from conversations.engine.substates import GroupCursor
from conversations.engine.views import question_row
from conversations.flows.flow import Evidence, Flow, Group, Kind, PlanLinks, Question, Section, steps
from conversations.messages import Attachment, Reply

Step = Question | Group | PlanLinks | Evidence


def form_navigation() -> list[tuple[str, str]]:
    """The navigation row under every form question."""
    return [(nav(Nav.BACK), render("nav.back")), (nav(Nav.HUB), render("nav.hub")),
            (nav(Nav.SAVE), render("nav.save"))]


def step_index(steps: tuple[Step, ...], key: str) -> int | None:
    """Where the step ``key`` is among ``steps`` now (None when the flow no longer has it)."""
    return next((index for index, step in enumerate(steps) if step.key == key), None)


def _steps(flow: Flow, mode: Mode, section_id: str) -> tuple[Step, ...]:
    """The start questions (START) or a section's steps; none for a section the flow no longer has."""
    if mode is Mode.START:
        return flow.start
    return next((section.steps for section in flow.sections if section.id == section_id), ())


def _index(flow: Flow, state: State) -> int:
    """The index of the step on screen, in the flow as it is now."""
    index = step_index(_steps(flow, state.mode, state.section), state.step)
    if index is None:
        raise KeyError(state.step)
    return index


def current_step(flow: Flow, state: State) -> Step:
    """The step on screen in FORM mode (or the start question in START mode)."""
    return _steps(flow, state.mode, state.section)[_index(flow, state)]


def position_exists(flow: Flow, mode: Mode, section: str, step: str) -> bool:
    """Whether a saved position's section and step (by key) are still in the flow."""
    if mode == Mode.SECTION:
        return any(candidate.id == section for candidate in flow.sections)
    if mode not in (Mode.START, Mode.FORM):
        return True
    return step_index(_steps(flow, mode, section), step) is not None


def _exists(flow: Flow, position: Position) -> bool:
    return position_exists(flow, position.mode, position.section, position.step)


def check_positions(flow: Flow, state: State) -> None:
    """After loading: positions whose step the flow no longer has are not followed. The step on screen gone,
    the person is taken to the section hub (the menu before a project exists) with a notice; a remembered
    position gone is forgotten; the rest keep their place, however many questions came or went around them."""
    state.back = [position for position in state.back if _exists(flow, position)]
    state.stack = [frame for frame in state.stack if frame.at is None or _exists(flow, frame.at)]
    if state.resume is not None and not _exists(flow, state.resume.at):
        state.resume = None
    if position_exists(flow, state.mode, state.section, state.step):
        sanitize(flow, state)
        return
    state.mode = Mode.HUB if state.project_id is not None else Mode.MENU
    state.section, state.step, state.sub, state.selection, state.back, state.stack = "", "", None, None, [], []
    state.offered = []  # the buttons of the step that is gone are stale
    state.notice = "notice.flow_upgraded"


def _pending(step: Step, state: State) -> bool:
    """Whether a step still needs the user: unanswered, incomplete or with a problem."""
    if isinstance(step, Question):
        return applies(step.when, state.answers) and (step.key not in state.answers or bool(
            step_problems(step, state.answers)))
    if isinstance(step, Evidence):
        return False  # optional: offered on the review card (a file sent there is kept), not asked on the way
    if isinstance(step, Group) and step.fixed:
        return bool(step_problems(step, state.answers))
    return bool(step_problems(step, state.answers)) or not state.answers.get(step.key)


def _enter_step(flow: Flow, state: State) -> None:
    step = current_step(flow, state)
    state.selection = None
    if isinstance(step, Group):
        groups.enter(step, state)
    elif isinstance(step, PlanLinks):
        planlinks.enter(state)
    else:
        state.sub = None


def start_project(flow: Flow, state: State) -> None:
    """Begin a new project: its name and fiscal year."""
    state.mode, state.step, state.answers, state.project_id, state.project_code = (
        Mode.START, flow.start[0].key, {}, None, "")
    state.back, state.stack, state.sub, state.selection, state.resume = [], [], None, None, None


def take_known(flow: Flow, state: State, ctx: Context) -> None:
    """Store what is already known instead of asking it: each question declared ``ask_known=False`` whose prefill
    has a value (the director's and the owner's name, e-mail and phone from the people records, the office's
    province). A question whose value is not known is asked as usual."""
    for section in flow.sections:
        for step in section.steps:
            if isinstance(step, Question) and not step.ask_known and step.key not in state.answers:
                known = prefill(step, ctx, state.answers)
                if known is not None:
                    state.answers[step.key] = known


def known_rows(section: Section, answers: dict[str, Any]) -> list[str]:
    """The section's answers that were taken without asking, as lines ("• ผู้อำนวยการ: …")."""
    rows = [question_row(step, answers) for step in section.steps
            if isinstance(step, Question) and not step.ask_known and step.key in answers]
    return [f"• {label}: {value}" for label, value in rows]


def sanitize(flow: Flow, state: State) -> None:
    """After returning to a saved position: if it no longer fits the answers (a list item was removed
    since), open its step afresh instead of pointing at something that is gone."""
    if state.mode is Mode.START:
        if step_index(flow.start, state.step) is None:
            state.step = flow.start[0].key
        return
    if state.mode is not Mode.FORM:
        return
    try:
        step = current_step(flow, state)
    except KeyError:
        state.mode, state.sub = Mode.HUB, None
        return
    if isinstance(step, Group) and not groups.position_valid(step, state) and not groups.repair(step, state):
        groups.enter(step, state)


def enter_section(flow: Flow, state: State, section_id: str, out: Output) -> None:
    """Open a section at its first pending step, or its overview when nothing is pending."""
    section = flow.section(section_id)
    state.section, state.back, state.stack = section_id, [], []
    waiting = waiting_on(flow, section, state.answers)
    if waiting:
        out.say("section.undecided", section=render(section.title), waiting=waiting)
        state.mode = Mode.HUB
        return
    if not applies(section.when, state.answers):
        out.say("section.not_applicable", section=render(section.title))
        state.mode = Mode.HUB
        return
    for index, step in enumerate(section.steps):
        if _pending(step, state):
            state.mode, state.step = Mode.FORM, step.key
            _enter_step(flow, state)
            if section.intro and index == 0 and not any(state.answers.get(s.key) for s in section.steps):
                out.say(section.intro)
            return
    state.mode = Mode.SECTION


def edit_step(flow: Flow, state: State, section_id: str, key: str) -> bool:
    """Open the step ``key`` to change it, returning to the screen on show (the section view) afterwards; False
    when the section has no such step (a button of an older screen)."""
    if step_index(_steps(flow, Mode.FORM, section_id), key) is None:
        return False
    dialog.start(state, Mode.FORM)
    state.section, state.step, state.back = section_id, key, []
    _enter_step(flow, state)
    return True


def edit_start_question(flow: Flow, state: State, key: str) -> bool:
    """Open the start question ``key`` (the name) to change it, returning to the screen on show (the review
    card); False when the flow has no such question (a button of an older screen)."""
    if step_index(flow.start, key) is None:
        return False
    dialog.start(state, Mode.START)
    state.step, state.sub = key, None
    return True


def handle_form(flow: Flow, state: State, inp: Input, ctx: Context, out: Output) -> None:
    """One input to the step on screen."""
    step = current_step(flow, state)
    before = json_copy(state.answers)
    if taken.reopen(flow, state, inp):  # ➕ or ✏️ of a list just taken, under the question after it
        return
    settled = taken_guard.handle(flow, state, step, inp, ctx, out)  # another item of that list, typed here?
    if settled is None:
        return
    inp = settled
    end = date_span.partner(flow, step) if isinstance(step, Question) else None
    spanned = date_span.answer(step, end, state.answers, inp, out) if isinstance(step, Question) and end else None
    if spanned is not None:
        finished = spanned  # both dates in one input: the end-date question is answered too
    elif isinstance(step, Question):
        finished = handle(Slot(step, state.answers, state.answers), inp, state, ctx, out)
    elif isinstance(step, Evidence):
        finished = evidence.handle_input(step, state, inp, out)
        if finished:
            state.answers.setdefault(step.key, [])
            out.save()
    elif isinstance(step, Group):
        finished = groups.handle_input(step, state, inp, ctx, out)
    else:
        finished = planlinks.handle_input(step, state, inp, ctx, out)
    if state.mode is Mode.START and state.project_id is None:
        out.effects = [effect for effect in out.effects if not isinstance(effect, SaveDraft)]  # no project yet
    # The sections' states after the input, drawn once: for what it broke and for where the walk goes next.
    states = (flow_states(flow, state.answers) if state.mode is Mode.FORM and (out.effects or finished)
              and before != state.answers else None)
    if state.mode is Mode.FORM and out.effects:
        for broken in newly_broken(flow, before, state.answers, states):
            out.say("section.broken", section=render(broken.section.title), problems="\n".join(
                f"• {problem}" for problem in broken.problems[:5]))
    if finished:
        fresh = isinstance(step, Group) and taken.just_taken(state, step)
        if not fresh:
            state.taken = {}  # a step answered: the echo's buttons of a list before it are gone
        advance(flow, state, out, states)
        if fresh:
            taken.landed(state)


def expects_free_text(flow: Flow, state: State) -> bool:
    """Whether the question on screen takes any text (so a greeting would be taken as its answer)."""
    step = current_step(flow, state)
    if isinstance(step, Group):
        if not isinstance(state.sub, GroupCursor) or state.sub.view != "item":
            return False
        step = groups.slot(step, state).question
    return isinstance(step, Question) and step.kind in (Kind.TEXT, Kind.LONG_TEXT)


def take_attachment(flow: Flow, state: State, attachment: Attachment, out: Output) -> bool:
    """A file arrived: kept when the step on screen collects evidence; False when it does not."""
    if state.mode is Mode.REVIEW and state.project_status in ("draft", "returned"):
        kept = next((step for step in steps(flow) if isinstance(step, Evidence)), None)
        if kept is None:
            return False
        evidence.receive(kept, state, attachment, out)
        return True
    if state.mode is not Mode.FORM:
        return False
    step = current_step(flow, state)
    if not isinstance(step, Evidence):
        return False
    evidence.receive(step, state, attachment, out)
    return True


def advance(flow: Flow, state: State, out: Output, states: list[SectionState] | None = None) -> None:
    """The step on screen is finished: move on (or return to where the edit came from). ``states``: the sections'
    states of the answers as they are, when the caller drew them (moving on changes no answer)."""
    if state.mode is Mode.START:
        _advance_start(flow, state, out)
        return
    if dialog.returns_to(state):
        exact = state.stack[-1].at is not None  # a position kept whole (a list reopened from the question after)
        dialog.done(state)
        if not exact:
            state.sub = None
        return
    section = flow.section(state.section)
    returning = taken_back.then(state, state.step)  # a list reached with ⬅️ from the question after it
    state.back.append(state.position())
    if returning and step_index(section.steps, returning) is not None:
        state.step = returning
        _enter_step(flow, state)
        return
    for step in section.steps[_index(flow, state) + 1:]:
        if _pending(step, state):
            state.step = step.key
            _enter_step(flow, state)
            return
    finish_section(flow, state, section, out, states)


def _advance_start(flow: Flow, state: State, out: Output) -> None:
    if dialog.returns_to(state):  # the name edited from the review card
        dialog.done(state)
        return
    state.back.append(state.position())
    following = [question.key for question in flow.start[_index(flow, state) + 1:]
                 if question.key not in state.answers]
    if following:
        state.step = following[0]
        return
    out.save()  # creates the project
    out.say("project.created")
    enter_section(flow, state, flow.sections[0].id, out)


def finish_section(flow: Flow, state: State, section: Section, out: Output,
                   states: list[SectionState] | None = None) -> None:
    """A section's last step is done: say so and go to the next section that needs work. ``states``: the sections'
    states of ``state.answers`` when the caller has them."""
    by_id = {s.section.id: s.status for s in (flow_states(flow, state.answers) if states is None else states)}
    status = by_id[section.id]
    out.say("section.done" if status is Status.DONE else "section.left", section=render(section.title))
    known = known_rows(section, state.answers)
    if known:
        out.say("section.known", rows="\n".join(known))
    order = [s.id for s in flow.sections]
    after = order[order.index(section.id) + 1:]
    for section_id in after:
        if by_id[section_id] in (Status.NOT_STARTED, Status.ATTENTION):
            enter_section(flow, state, section_id, out)
            return
    state.mode = Mode.REVIEW if all(
        value in (Status.DONE, Status.SKIPPED) for value in by_id.values()) else Mode.HUB
    state.sub = None


def go_back(flow: Flow, state: State, ctx: Context, out: Output) -> None:
    """Back: inside a group or the plan widget first, then to the previous step, then to the hub."""
    if state.mode is Mode.FORM:
        step = current_step(flow, state)
        if isinstance(step, Group) and groups.back(step, state):
            return
        if isinstance(step, PlanLinks) and planlinks.back(state, ctx.catalog):
            return
    if dialog.returns_to(state):
        dialog.done(state)
        state.sub = None
        return
    if state.back:
        taken_back.into_list(flow, state)
        state.restore(state.back.pop())
        return
    if state.mode is Mode.START:
        out.say("nav.nothing_before")
        return
    state.mode, state.sub = Mode.HUB, None


def render_form(flow: Flow, state: State, ctx: Context) -> Reply:
    """The step on screen."""
    step = current_step(flow, state)
    if state.mode is Mode.START:
        header = render("header.start", step=_index(flow, state) + 1, steps=len(flow.start))
        identity = f"start:{step.key}"
        return render_question(Slot(step, state.answers, state.answers), state, ctx, identity, header,  # type: ignore[arg-type]
                               [(nav(Nav.BACK), render("nav.back")), (nav(Nav.CANCEL), render("nav.cancel"))])
    section = flow.section(state.section)
    position, count = step_position(section.steps, state.answers, _index(flow, state))
    header = render("header.section", section=render(section.title), step=position,
                    steps=count) if count > 1 else render(section.title)
    header = report_heading(state, ctx) + header
    identity = f"form:{section.id}:{state.step}"
    navigation = form_navigation()
    if isinstance(step, Group):
        reply = groups_view.render_group(step, state, ctx, identity, header, navigation)
    elif isinstance(step, PlanLinks):
        reply = planlinks.render_links(step, state, ctx, identity, header, navigation)
    elif isinstance(step, Evidence):
        reply = evidence.render_evidence(step, state, identity, header, navigation)
    else:
        reply = render_question(Slot(step, state.answers, state.answers), state, ctx, identity, header, navigation)
    return taken_guard.with_buttons(flow, state, taken.with_buttons(flow, state, reply))

