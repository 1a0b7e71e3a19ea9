"""Asking one question and taking its answer, wherever the answer is stored (project or list item)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from conversations.copy import placeholders, render
from conversations.engine import date_span, suggest
from conversations.engine.answers import (
    Options,
    button_answer,
    display,
    echo,
    multi_answer,
    multi_selected,
    parse_typed,
)
from conversations.engine.context import Context
from conversations.engine.nav import Input, Nav, nav
from conversations.engine.output import Output, buttons, present
from conversations.engine.state import State
from conversations.engine.substates import GroupCursor, MultiSelect, QuestionView
from conversations.flows.checks import CHECKS, CheckInput, allowed_quarters
from conversations.flows.flow import AnswerBelow, AnswerIs, Condition, Kind, Question
from conversations.flows.sources import PREFILLS, SOURCES
from conversations.messages import InputHint, Reply
from conversations.notes import NOTES
from conversations.parsers.choices import exact_choice
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.quarter_plan import spread
from conversations.parsers.thai_text import excerpt
from conversations.tokens import WIDGET

HINTS = {
    Kind.DATE: InputHint.DATE,
    Kind.MONEY: InputHint.NUMBER,
    Kind.NUMBER: InputHint.NUMBER,
    Kind.PERCENT: InputHint.NUMBER,
    Kind.QUARTER_PLAN: InputHint.NUMBER,
    Kind.CHOICE: InputHint.CHOICE,
    Kind.YES_NO: InputHint.CHOICE,
    Kind.MULTI: InputHint.CHOICE,
    Kind.QUARTERS: InputHint.NUMBER,  # a typed "4" means quarter 4, not the fourth button
}
OFFERS = (Kind.TEXT, Kind.LONG_TEXT, Kind.FISCAL_YEAR)  # typed answers are possible, but the buttons lead
QUARTER_OPTIONS = [(str(quarter), f"Q{quarter}") for quarter in (1, 2, 3, 4)]


@dataclass(slots=True)
class Slot:
    """A question and where its answer lives: ``target`` is the project's answers or a list item."""

    question: Question
    answers: dict[str, Any]
    target: dict[str, Any]
    item: dict[str, Any] | None = None
    parent: dict[str, Any] | None = None

    @property
    def current(self) -> Any:
        """The stored answer, if any."""
        return self.target.get(self.question.key)

    @property
    def answered(self) -> bool:
        """Whether the question has an answer (a skipped optional question counts)."""
        return self.question.key in self.target


def applies(condition: Condition | None, values: dict[str, Any]) -> bool:
    """Whether a step's condition holds for the given answers (a comparison waits for both amounts)."""
    if condition is None:
        return True
    if isinstance(condition, AnswerBelow):
        value, than = values.get(condition.key), values.get(condition.than)
        return value is not None and than is not None and Decimal(str(value)) < Decimal(str(than))
    return values.get(condition.key) == condition.value


def step_position(steps: Sequence[object], answers: dict[str, Any], current: int) -> tuple[int, int]:
    """The step on screen as "n of m", counting only the questions that apply to these answers (a budget
    line from the office's own budget has no agency to ask: 1/4 then 2/4, never 1/6 then 4/6) and are asked
    (not one whose known value was taken, see ``Question.ask_known``)."""
    counted = [index for index, step in enumerate(steps)
               if index == current or not isinstance(step, Question) or (
                   applies(step.when, answers) and (step.ask_known or step.key not in answers))]
    return counted.index(current) + 1, len(counted)


def undecided(condition: Condition | None, values: dict[str, Any]) -> bool:
    """Whether a step's condition waits on a choice not made yet (M5 before "uses budget" is answered):
    neither asked nor known to be unneeded."""
    return isinstance(condition, AnswerIs) and condition.key not in values


def options_for(question: Question, ctx: Context, answers: dict[str, Any]) -> Options:
    """The choices a question offers, static or from its source."""
    if question.kind is Kind.QUARTERS:
        return QUARTER_OPTIONS
    if question.kind is Kind.YES_NO:
        return [("y", render("value.yes")), ("n", render("value.no"))]
    if question.source:
        return SOURCES[question.source](ctx, answers)
    return [(option.value, render(option.label)) for option in question.options]


def prefill(question: Question, ctx: Context, answers: dict[str, Any] | None = None) -> Any:
    """A value known before asking (the director's name, the office's province, the planned amount), if any."""
    if not question.prefill:
        return None
    value = PREFILLS[question.prefill](ctx, answers or {})
    if value is not None and question.kind is Kind.MULTI:
        return [value]
    return value


def _near_holder(state: State, *, keep: bool) -> GroupCursor | QuestionView:
    """Where a pending near match lives: the group's cursor, or the question's view (kept in the state when
    ``keep``, else a blank one to read)."""
    if isinstance(state.sub, GroupCursor | QuestionView):
        return state.sub
    view = QuestionView()
    if keep:
        state.sub = view
    return view


def _ticks(state: State, question: Question) -> list[str] | None:
    """The ticks of the multi-select in progress on this question, or None when none is."""
    selection = state.selection
    return list(selection.picked) if selection is not None and selection.question == question.key else None


def run_check(slot: Slot, value: Any) -> None:
    """The question's cross-field check on a candidate value; raises :class:`InvalidAnswer`."""
    if slot.question.check and value is not None:
        CHECKS[slot.question.check](CheckInput(value, slot.answers, slot.item, slot.parent))


def handle(slot: Slot, inp: Input, state: State, ctx: Context, out: Output) -> bool:
    """Take an answer; True when one was stored, False when the question must be asked again."""
    question = slot.question
    options = options_for(question, ctx, slot.answers)
    try:
        value = _value(slot, inp, state, ctx, options, out)
        if value is _AGAIN:
            return False
        run_check(slot, value)
    except InvalidAnswer as problem:
        out.say(problem.reason, **problem.params)
        return False
    slot.target[question.key] = value
    state.selection = None
    if isinstance(state.sub, GroupCursor | QuestionView):
        state.sub.near = None
    note = NOTES[question.note](value, slot.item or {}, slot.answers) if question.note and value is not None else ""
    out.say("ack.answer", value=echo(question, value, options, note))
    out.save()
    return True


_AGAIN = object()
_UNKNOWN = "unknown"


def _value(slot: Slot, inp: Input, state: State, ctx: Context, options: Options, out: Output) -> Any:
    question = slot.question
    multi = question.kind in (Kind.MULTI, Kind.QUARTERS)
    if inp.action is Nav.SKIP:
        if not (question.optional or question.unknown):
            raise InvalidAnswer("nav.required")
        return None
    if inp.text is not None and question.unknown and exact_choice(inp.text, [(_UNKNOWN, render(question.unknown))]):
        return None  # "ยังไม่ได้วัด" typed: not known yet, stored as no value
    if inp.action is Nav.KEEP:
        if slot.answered:
            return slot.current  # an answer of no value ("ยังไม่ได้วัด") is kept as it is
        if carried(slot):
            return (slot.item or {})[question.carried]  # "เหมือนไตรมาสก่อน"
        known = prefill(question, ctx, slot.answers)
        if known is None:
            raise InvalidAnswer("nav.nothing_to_keep")
        return known
    if inp.action is Nav.DONE and multi:
        ticks = _ticks(state, question)
        picked = ticks if ticks is not None else _initial_selection(slot, ctx, options)
        if not picked:
            raise InvalidAnswer("invalid.multi.empty")
        return [int(value) for value in picked] if question.kind is Kind.QUARTERS else multi_answer(
            question, picked, options)
    if inp.value is not None and multi and inp.value[:1] in "+-":
        _toggle(slot, inp.value, state, ctx, options)
        return _AGAIN
    if inp.value is not None and question.kind is Kind.QUARTER_PLAN:
        amount = Decimal(str((slot.item or {}).get("amount", "0")))
        quarters = allowed_quarters(slot.answers) if inp.value == "even" else [int(inp.value[1:])]
        return [str(value) for value in spread(amount, quarters)]
    if inp.value is not None:
        kept = suggest.pressed(_near_holder(state, keep=False), question, inp.value) if question.near else None
        return kept if kept is not None else button_answer(question, inp.value, options)
    if inp.text is not None and question.near and options:
        answer = suggest.typed(_near_holder(state, keep=True), question, inp.text, options)
        return _AGAIN if answer is None else answer  # None: the match is confirmed first
    if inp.text is not None:
        return parse_typed(question, inp.text, options, slot.item or {})
    raise InvalidAnswer("invalid.unsupported")


def carried(slot: Slot) -> bool:
    """Whether last quarter's answer to this item question is known (and so offered as "เหมือนไตรมาสก่อน")."""
    return bool(slot.question.carried) and slot.item is not None and slot.question.carried in slot.item


def _initial_selection(slot: Slot, ctx: Context, options: Options) -> list[str]:
    stored = slot.current if slot.answered else prefill(slot.question, ctx, slot.answers)
    if slot.question.kind is Kind.QUARTERS:
        return [str(quarter) for quarter in stored or []]
    return multi_selected(slot.question, stored, options)


def _toggle(slot: Slot, value: str, state: State, ctx: Context, options: Options) -> None:
    ticks = _ticks(state, slot.question)
    picked = ticks if ticks is not None else _initial_selection(slot, ctx, options)
    choice = value[1:]
    if choice not in dict(options):
        raise InvalidAnswer("invalid.choice.unknown", text=excerpt(choice), count=len(options))
    if value[0] == "+" and choice not in picked:
        picked.append(choice)
    elif value[0] == "-" and choice in picked:
        picked.remove(choice)
    order = [option for option, _ in options]
    state.selection = MultiSelect(slot.question.key, sorted(picked, key=order.index))


def _prompt_params(question: Question, slot: Slot) -> dict[str, Any]:
    """Known values (a KPI's name and target, the planned amount) for a prompt that names them."""
    wanted = placeholders(question.prompt)
    if not wanted:
        return {}
    source = slot.item if slot.item is not None else slot.answers
    known = {key: ("" if value is None else value) for key, value in source.items()}
    return {name: known.get(name, "") for name in wanted}


def _quarters_offered(slot: Slot) -> list[int]:
    allowed = allowed_quarters(slot.answers)
    if slot.parent is not None and slot.parent.get("quarters"):
        allowed = [quarter for quarter in allowed if quarter in slot.parent["quarters"]]
    return allowed


def render_question(slot: Slot, state: State, ctx: Context, identity: str, header: str,
                    navigation: list[tuple[str, str]], lead: list[tuple[str, str]] | None = None) -> Reply:
    """The question on screen: header, prompt, example, the known value, buttons (``lead`` before the question's
    own: what a group offers in place of a carried answer) and navigation."""
    question = slot.question
    options = options_for(question, ctx, slot.answers)
    waiting = suggest.pending(_near_holder(state, keep=False), question) if question.near else None
    if waiting:
        text, offered = suggest.screen(waiting, options)
        present(state, f"{identity}:near")
        return Reply(text="\n".join([header, text] if header else [text]),
                     choices=buttons(state, offered + navigation), hint=InputHint.CHOICE,
                     key="near.one" if len(offered) == 2 else "near.many")
    prompt_text = render(question.prompt, **_prompt_params(question, slot))
    lines = [header, prompt_text] if header else [prompt_text]
    if question.help:
        lines.append(render(question.help))
    known = slot.current if slot.answered else prefill(question, ctx, slot.answers)
    pairs: list[tuple[str, str]] = []
    selected: set[str] | None = None
    if question.kind in (Kind.MULTI, Kind.QUARTERS):
        picked = _ticks(state, question)
        if picked is None:
            picked = _initial_selection(slot, ctx, options)
            state.selection = MultiSelect(question.key, picked)
        selected = set(picked)
        offered = options if question.kind is Kind.MULTI else [
            option for option in options if int(option[0]) in _quarters_offered(slot)]
        pairs = [(("-" if value in selected else "+") + value, label) for value, label in offered]
        pairs.append((nav(Nav.DONE), render("nav.done")))
        lines.append(render("hint.multi"))
    elif question.kind is Kind.QUARTER_PLAN:
        pairs = [(f"q{quarter}", render("opt.plan.all_in", quarter=quarter))
                 for quarter in allowed_quarters(slot.answers)]
        pairs.append(("even", render("opt.plan.even")))
    elif options:
        pairs = list(options)
    elif question.span is not None:
        pairs = date_span.offer(question, slot.answers)  # the whole fiscal year, start and end in one tap
    if not slot.answered and carried(slot):
        last = (slot.item or {})[question.carried]
        lines.append(render("hint.last_quarter", value=display(question, last, options)))
        pairs.insert(0, (nav(Nav.KEEP), render("nav.same_as_last")))
    elif slot.answered or known is not None:
        shown = display(question, known, options)
        ticks = question.kind in (Kind.MULTI, Kind.QUARTERS)  # a known value is ticked: no keep button, "done"
        lines.append(render("hint.current" if slot.answered else "hint.prefill_ticked" if ticks else "hint.prefill",
                            value=shown))
        if not ticks:
            pairs.append((nav(Nav.KEEP), render("nav.keep")))
    if question.unknown:
        pairs.append((nav(Nav.SKIP), render(question.unknown)))
    elif question.optional:
        pairs.append((nav(Nav.SKIP), render("nav.skip")))
    present(state, identity)
    choices = buttons(state, (lead or []) + pairs + navigation, selected)
    if question.kind is Kind.DATE:
        state.offered.append(WIDGET)  # a date picked in a channel's calendar comes back as "@2026-10-01"
    return Reply(
        text="\n".join(lines),
        choices=choices,
        multi=selected is not None,
        hint=InputHint.CHOICE if options and question.kind in OFFERS else HINTS.get(question.kind, InputHint.TEXT),
        key=question.prompt,
    )
