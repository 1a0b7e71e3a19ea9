"""The engine's one entry point: ``step(flows, state, inbound, now, context) -> Turn | DataRequest``, pure.

It decodes the input (a stale or forged button gets "that step has moved on"), applies navigation that
works everywhere (``actions``), hands the rest to the current mode, and always ends with the live
question, so the user always knows what to do next. The state names the flow it is in (project
registration or a quarterly report). When the context lacks data the turn is a typed ``DataRequest`` instead.
What only the database can confirm (a submission inside its window, a decision on an item still awaiting one)
is not said here: the service carries out the effects and the second pass (``conclude``) says their outcomes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from conversations.button_data import moved_on
from conversations.copy import render
from conversations.engine import asks, dialog, form, links, plan_upload, state_v1
from conversations.engine.actions import DEFAULT_FLOW, PROJECT_MODES
from conversations.engine.context import Context, DataRequest, MissingData, Turn
from conversations.engine.dialogs import GLOBAL, SCREENS
from conversations.engine.effect_types import Ask
from conversations.engine.machine import Event, dispatch, dispatch_anywhere
from conversations.engine.nav import Input, button_prompt, from_button, from_text
from conversations.engine.output import Output
from conversations.engine.state import Mode, State
from conversations.flows.flow import Flow
from conversations.messages import (
    FILE_TOO_LARGE,
    FILE_UNAVAILABLE,
    MAX_ATTACHMENT_BYTES,
    UNREADABLE_TEXT,
    Inbound,
    Reply,
)
from conversations.parsers.choices import exact_choice, match_choice
from conversations.parsers.errors import InvalidAnswer
from conversations.tokens import WIDGET, link_value

RESUME_AFTER = timedelta(hours=6)
# Effects the service answers above the screen. Not yet the submit: the saved-state fixtures confirm_submit and
# report_confirm_submit hold the whole menu after "sent", and fixtures are never re-recorded.
ANSWERED = (Ask,)
MENU_KEY, MENU_NEXT_KEY = "menu.text", "menu.next"  # the menu's greeting; its words under an answer
# Screens where typed text is an answer of its own (forms, a comment, a yes or no), not one of the buttons' labels.
TEXT_MODES = (Mode.START, Mode.FORM, Mode.COMMENT, Mode.CONFIRM, Mode.PACK_ID)
MAX_LABEL_CHARS = 120  # longer than any button's label (the longest, a budget plan's official name, is ~60)
# Files the channel could not hand over get their own explanation; other kinds (stickers, locations) the generic one.
_UNSUPPORTED = {FILE_TOO_LARGE: "input.file_too_large", FILE_UNAVAILABLE: "input.file_unavailable",
                UNREADABLE_TEXT: "input.unreadable"}
Flows = Mapping[str, Flow]


def step(flows: Flows, state_json: dict[str, Any] | None, inbound: Inbound, now: datetime,
         ctx: Context) -> Turn | DataRequest:
    """Run one turn; when the context lacks data, the typed request for it instead (nothing of the turn stands)."""
    state = State.load(state_json, flows, DEFAULT_FLOW, seed=int(now.timestamp()))
    form.check_positions(flows[state.flow], state)
    out = Output()
    try:
        _turn(dict(flows), state, inbound, now, ctx, out)
        if SCREENS[state.mode].root:
            dialog.forget(state)  # nothing below a root screen is returned to
        out.add(_after(render_current(dict(flows), state, ctx), out))
    except MissingData as missing:
        return DataRequest(frozenset({missing.need}))
    state.touched = now.isoformat()
    return Turn(state.dump(), tuple(out.replies), tuple(out.effects))


def _after(screen: Reply, out: Output) -> Reply:
    """The main menu under an answer (a command's, a refusal) is its buttons as the next
    steps, not its greeting again: the answer is what the person reads, and the buttons travel in the same message
    (issue 17)."""
    if screen.key == MENU_KEY and (out.replies or any(isinstance(effect, ANSWERED) for effect in out.effects)):
        return dataclasses.replace(screen, text=render(MENU_NEXT_KEY))
    return screen


def render_current(flows: dict[str, Flow], state: State, ctx: Context) -> Reply:
    """The live question or screen, drawn by the renderer its declaration names."""
    return SCREENS[state.mode].render(flows, state, ctx)


def _turn(flows: dict[str, Flow], state: State, inbound: Inbound, now: datetime, ctx: Context, out: Output) -> None:
    if state.notice:
        out.say(state.notice)
        state.notice = ""
    if inbound.attachment is not None and inbound.button is None and not inbound.text:
        if not (form.take_attachment(flows[state.flow], state, inbound.attachment, out)
                or plan_upload.take(inbound.attachment, ctx, out)):
            out.say("input.unsupported")
        return
    if inbound.unsupported:
        out.say(_UNSUPPORTED.get(inbound.unsupported, "input.unsupported"), limit=MAX_ATTACHMENT_BYTES // (1024 * 1024))
        return
    if inbound.button is not None and (link := link_value(inbound.button)) is not None:
        links.follow(flows, state, link, ctx, out)
        return
    if inbound.button is not None:
        decoded = button_prompt(inbound.button)
        if decoded is None or decoded[0] != state.prompt or not _offered(state, decoded[1]):
            out.add(moved_on())
            return
        inp = from_button(decoded[1])
    elif inbound.text is not None and inbound.text.strip():
        inp = from_text(inbound.text)
        # A live button's whole label typed is that button: a command word ("เสร็จแล้ว" where "✅ เสร็จแล้ว" is a
        # button) anywhere, any text where typed text is an answer ("ใช้ค่านี้" is never stored as one).
        label = inp.typed or (inp.text if state.mode in TEXT_MODES else None)
        pressed = _typed_label(flows, state, label, ctx) if label else None
        if inp.typed and inp.action in asks.ASKS and state.mode in (Mode.START, Mode.FORM, Mode.COMMENT):
            inp = Input(text=inp.typed)  # "โครงการ …" typed while a form asks something is an answer, not a question
        away = inp.text is not None and _long_away(state, now) and state.mode in (Mode.START, Mode.FORM)
        if pressed is not None:
            inp = pressed
        if away:
            out.say("resume.welcome_back")
            if inp.text is not None and form.expects_free_text(flows[state.flow], state):
                return  # "สวัสดีค่ะ" after days away is a greeting, not the answer to a free-text question
        if inp.action is None and inp.text is not None and state.mode not in TEXT_MODES:
            inp = _typed_button(flows, state, inp, ctx)
    else:
        return  # nothing to answer (a channel asking for the current screen): just show it
    if inp.action is None or not dispatch_anywhere(GLOBAL, Event(flows, state, ctx, inp, out)):
        _by_mode(flows, state, inp, ctx, out)


def _live_buttons(flows: dict[str, Flow], state: State, ctx: Context) -> list[tuple[str, str]]:
    """(value, label) of the buttons on the screen on show."""
    shown = render_current(flows, state.clone(), ctx)
    return [(decoded[1], choice.label) for choice in shown.choices
            if (decoded := button_prompt(choice.token)) is not None and decoded[0] == state.prompt]


def _typed_label(flows: dict[str, Flow], state: State, text: str, ctx: Context) -> Input | None:
    """The live button whose whole label was typed, else None; a multi-select's ticks stay answers (typing a
    province picks it). A text longer than any label is an answer as it is: the screen is not drawn again."""
    if len(text.strip()) > MAX_LABEL_CHARS:
        return None
    pairs = [(value, label) for value, label in _live_buttons(flows, state, ctx) if value[:1] not in ("+", "-")]
    value = exact_choice(text, pairs)
    return None if value is None else from_button(value)


def _typed_button(flows: dict[str, Flow], state: State, inp: Input, ctx: Context) -> Input:
    """A button of the screen on show, typed by its label, number or the start of its label (where a channel
    could not draw the buttons, it lists them to type); otherwise the text as it came."""
    pairs = _live_buttons(flows, state, ctx)
    try:
        return from_button(match_choice(inp.text or "", pairs)) if pairs else inp
    except InvalidAnswer:
        return inp


def _offered(state: State, value: str) -> bool:
    """Whether the live screen offered this value (a picked date counts where a date is asked)."""
    return value in state.offered or (value.startswith(WIDGET) and WIDGET in state.offered)


def _long_away(state: State, now: datetime) -> bool:
    if not state.touched:
        return False
    return now - datetime.fromisoformat(state.touched) > RESUME_AFTER


def _by_mode(flows: dict[str, Flow], state: State, inp: Input, ctx: Context, out: Output) -> None:
    """The screen on show takes the input: the declared button's handler, else the screen's own input."""
    if inp.value is not None and state.mode in (Mode.SECTION, Mode.REVIEW):  # an edit button drawn by index (schema 1)
        inp = Input(value=state_v1.edit_value(state.flow, state.section, inp.value))
    dispatch(SCREENS[state.mode], Event(flows, state, ctx, inp, out))


__all__ = ["PROJECT_MODES", "render_current", "step"]
