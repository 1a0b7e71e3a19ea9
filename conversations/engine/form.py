"""Walking a project's questions: the start questions, then each section's steps in order.

After a step is answered the walk moves to the next unanswered step of the section, then to the next
section that is not done; an edit started from the section view or the review card returns there.
"""

from __future__ import annotations

import copy

from conversations.copy import render
from conversations.engine import dialog, evidence, groups, groups_view, planlinks
from conversations.engine.context import Context, SaveDraft
from conversations.engine.nav import Input, Nav, nav
from conversations.engine.output import Output
from conversations.engine.questions import Slot, applies, handle, render_question, step_position
from conversations.engine.state import Mode, State
from conversations.engine.status import (
    Status,
    flow_states,
    newly_broken,
    section_state,
    step_problems,
    waiting_on,
)
from conversations.flow import Evidence, Flow, Group, Kind, PlanLinks, Question, Section
from conversations.messages import Attachment, Reply

Step = Question | Group | PlanLinks | Evidence


def form_navigation() -> list[tuple[str, str]]:
    """The navigation row under every form question."""
    return [(nav(Nav.BACK), render("nav.back")), (nav(Nav.HUB), render("nav.hub")),
            (nav(Nav.SAVE), render("nav.save"))]


def current_step(flow: Flow, state: State) -> Step:
    """The step on screen in FORM mode (or the start question in START mode)."""
    if state.mode is Mode.START:
        return flow.start[state.step]
    return flow.section(state.section).steps[state.step]


def _pending(step: Step, state: State) -> bool:
    """Whether a step still needs the user: unanswered, incomplete or with a problem."""
    if isinstance(step, Question):
        return applies(step.when, state.answers) and (step.key not in state.answers or bool(
            step_problems(step, state.answers)))
    if isinstance(step, Evidence):
        return step.key not in state.answers
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
        state.sub = {}


def start_project(flow: Flow, state: State) -> None:
    """Begin a new project: its name and fiscal year."""
    state.mode, state.step, state.answers, state.project_id, state.project_code = Mode.START, 0, {}, None, ""
    state.back, state.stack, state.sub, state.selection, state.resume = [], [], {}, None, {}


def sanitize(flow: Flow, state: State) -> None:
    """After returning to a saved position: if it no longer fits the answers (a list item was removed
    since), open its step afresh instead of pointing at something that is gone."""
    if state.mode is Mode.START:
        state.step = min(state.step, len(flow.start) - 1)
        return
    if state.mode is not Mode.FORM:
        return
    try:
        step = flow.section(state.section).steps[state.step]
    except (KeyError, IndexError):
        state.mode, state.sub = Mode.HUB, {}
        return
    if isinstance(step, Group) and not groups.position_valid(step, state):
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
            state.mode, state.step = Mode.FORM, index
            _enter_step(flow, state)
            if section.intro and index == 0 and not any(state.answers.get(s.key) for s in section.steps):
                out.say(section.intro)
            return
    state.mode = Mode.SECTION


def edit_step(flow: Flow, state: State, section_id: str, index: int) -> None:
    """Open one step to change it, returning to the screen on show (the section view) afterwards."""
    dialog.start(state, Mode.FORM)
    state.section, state.step, state.back = section_id, index, []
    _enter_step(flow, state)


def edit_start_question(state: State, index: int) -> None:
    """Open a start question (the name) to change it, returning to the screen on show (the review card)."""
    dialog.start(state, Mode.START)
    state.step, state.sub = index, {}


def handle_form(flow: Flow, state: State, inp: Input, ctx: Context, out: Output) -> None:
    """One input to the step on screen."""
    step = current_step(flow, state)
    before = copy.deepcopy(state.answers)
    if isinstance(step, Question):
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
    if state.mode is Mode.FORM and out.effects:
        for broken in newly_broken(flow, before, state.answers):
            out.say("section.broken", section=render(broken.section.title), problems="\n".join(
                f"• {problem}" for problem in broken.problems[:5]))
    if finished:
        advance(flow, state, out)


def expects_free_text(flow: Flow, state: State) -> bool:
    """Whether the question on screen takes any text (so a greeting would be taken as its answer)."""
    step = current_step(flow, state)
    if isinstance(step, Group):
        if state.sub.get("g") != "item":
            return False
        target = step.children if (state.sub.get("parent") is not None or len(state.sub.get("path") or []) == 2) \
            and step.children is not None else step
        step = target.questions[state.sub.get("q", 0)]
    return isinstance(step, Question) and step.kind in (Kind.TEXT, Kind.LONG_TEXT)


def take_attachment(flow: Flow, state: State, attachment: Attachment, out: Output) -> bool:
    """A file arrived: kept when the step on screen collects evidence; False when it does not."""
    if state.mode is not Mode.FORM:
        return False
    step = current_step(flow, state)
    if not isinstance(step, Evidence):
        return False
    evidence.receive(step, state, attachment, out)
    return True


def advance(flow: Flow, state: State, out: Output) -> None:
    """The step on screen is finished: move on (or return to where the edit came from)."""
    if state.mode is Mode.START:
        _advance_start(flow, state, out)
        return
    if dialog.returns_to(state):
        dialog.done(state)
        state.sub = {}
        return
    section = flow.section(state.section)
    state.back.append(state.position())
    for index in range(state.step + 1, len(section.steps)):
        if _pending(section.steps[index], state):
            state.step = index
            _enter_step(flow, state)
            return
    finish_section(flow, state, section, out)


def _advance_start(flow: Flow, state: State, out: Output) -> None:
    if dialog.returns_to(state):  # the name edited from the review card
        dialog.done(state)
        return
    state.back.append(state.position())
    following = [index for index in range(state.step + 1, len(flow.start))
                 if flow.start[index].key not in state.answers]
    if following:
        state.step = following[0]
        return
    out.save()  # creates the project
    out.say("project.created")
    enter_section(flow, state, flow.sections[0].id, out)


def finish_section(flow: Flow, state: State, section: Section, out: Output) -> None:
    """A section's last step is done: say so and go to the next section that needs work."""
    status = section_state(section, state.answers).status
    out.say("section.done" if status is Status.DONE else "section.left", section=render(section.title))
    order = [s.id for s in flow.sections]
    after = order[order.index(section.id) + 1:]
    states = {s.section.id: s.status for s in flow_states(flow, state.answers)}
    for section_id in after:
        if states[section_id] in (Status.NOT_STARTED, Status.ATTENTION):
            enter_section(flow, state, section_id, out)
            return
    state.mode = Mode.REVIEW if all(
        value in (Status.DONE, Status.SKIPPED) for value in states.values()) else Mode.HUB
    state.sub = {}


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
        state.sub = {}
        return
    if state.back:
        state.restore(state.back.pop())
        return
    if state.mode is Mode.START:
        out.say("nav.nothing_before")
        return
    state.mode, state.sub = Mode.HUB, {}


def render_form(flow: Flow, state: State, ctx: Context) -> Reply:
    """The step on screen."""
    step = current_step(flow, state)
    if state.mode is Mode.START:
        header = render("header.start", step=state.step + 1, steps=len(flow.start))
        identity = f"start:{step.key}"
        return render_question(Slot(step, state.answers, state.answers), state, ctx, identity, header,  # type: ignore[arg-type]
                               [(nav(Nav.BACK), render("nav.back")), (nav(Nav.CANCEL), render("nav.cancel"))])
    section = flow.section(state.section)
    position, count = step_position(section.steps, state.answers, state.step)
    header = render("header.section", section=render(section.title), step=position,
                    steps=count) if count > 1 else render(section.title)
    identity = f"form:{section.id}:{state.step}"
    navigation = form_navigation()
    if isinstance(step, Group):
        return groups_view.render_group(step, state, ctx, identity, header, navigation)
    if isinstance(step, PlanLinks):
        return planlinks.render_links(step, state, ctx, identity, header, navigation)
    if isinstance(step, Evidence):
        return evidence.render_evidence(step, state, identity, header, navigation)
    return render_question(Slot(step, state.answers, state.answers), state, ctx, identity, header, navigation)
