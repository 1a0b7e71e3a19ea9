"""The vocabulary of the declared conversation machine: screens, their buttons, each button's typed action.

A :class:`Screen` names its renderer, the copy keys of its text, its buttons and what "back" does. A
:class:`Button` carries a navigation word or a typed :class:`~conversations.engine.picks.Pick`, its label's copy
key and its action: :class:`SwitchTo` another screen, :class:`Start` a screen above this one on the dialog stack
(its :class:`Done` comes back here), :class:`Effect` (the service does something, then a screen is shown),
:class:`Say` (a message, the screen stays) or :class:`Resume` (back to the bookmarked form). The screens
themselves are declared in ``dialogs``; this module also holds the dispatcher that looks a press up in them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from conversations.engine.context import Context
from conversations.engine.modes import Mode
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.engine.picks import Pick, Picked, parse
from conversations.engine.state import State
from conversations.flows.flow import Flow
from conversations.messages import Reply


@dataclass(frozen=True, slots=True)
class SwitchTo:
    """Replace the screen on show by one of ``targets`` (which one, the handler decides from the data)."""

    targets: tuple[Mode, ...]


@dataclass(frozen=True, slots=True)
class Start:
    """Open ``target`` above the screen on show; its :class:`Done` returns here."""

    target: Mode


@dataclass(frozen=True, slots=True)
class Done:
    """Return to the screen below on the dialog stack."""


@dataclass(frozen=True, slots=True)
class Effect:
    """The service does ``kind`` after the turn; then one of ``targets`` is shown."""

    kind: str
    targets: tuple[Mode, ...]


@dataclass(frozen=True, slots=True)
class Say:
    """A message (``kind``); the screen stays."""

    kind: str


@dataclass(frozen=True, slots=True)
class Resume:
    """Back to the form bookmarked when it was left ("continue"), or the hub."""

    targets: tuple[Mode, ...] = (Mode.FORM, Mode.START, Mode.HUB, Mode.SECTION, Mode.REVIEW)


Action = SwitchTo | Start | Done | Effect | Say | Resume


def switch(*targets: Mode) -> SwitchTo:
    """A :class:`SwitchTo` to one or more possible screens."""
    return SwitchTo(targets)


def effect(kind: str, *targets: Mode) -> Effect:
    """An :class:`Effect` and the screens it may end on."""
    return Effect(kind, targets)


@dataclass(frozen=True, slots=True)
class Event:
    """One press (or typed input) on a screen, with all a handler may read and write."""

    flows: Mapping[str, Flow]
    state: State
    ctx: Context
    inp: Input
    out: Output
    picked: Picked | None = None

    @property
    def flow(self) -> Flow:
        """The flow the conversation is in."""
        return self.flows[self.state.flow]


Handler = Callable[[Event], None]
Renderer = Callable[[Mapping[str, Flow], State, Context], Reply]


Applies = Callable[[State], bool]


@dataclass(frozen=True, slots=True)
class Button:
    """A button of a screen: what it carries, its label's copy key ("" when the label is the thing's own name),
    what it does, the handler the dispatcher calls, and when that handler applies (None: always; otherwise the
    press is the screen's to take, as if the button were not there). A navigation word that works on every
    screen is declared once in ``dialogs.ANYWHERE``; a screen showing it as a button shares that declaration."""

    token: Nav | Pick
    label: str
    actions: tuple[Action, ...]
    run: Handler | None = None
    when: Applies | None = None

    def applies(self, state: State) -> bool:
        """Whether the handler takes a press in this state."""
        return self.run is not None and (self.when is None or self.when(state))


def token_name(token: Nav | Pick) -> str:
    """A button's name in messages and drawings: the navigation word, or the pick's name (``section``)."""
    return str(token) if isinstance(token, Nav) else token.name.lower()


def button(token: Nav | Pick, label: str, *actions: Action, run: Handler | None = None,
           when: Applies | None = None) -> Button:
    """A declared button."""
    return Button(token, label, actions, run, when)


@dataclass(frozen=True, slots=True)
class Screen:
    """A screen: how it is drawn and what each of its buttons does.

    ``root`` screens forget the dialog stack when landed on (nothing below them is returned to). ``other`` takes
    what no button of the screen matched (a form's answers, a confirmation's typed "yes", a comment).
    """

    id: Mode
    texts: tuple[str, ...]
    render: Renderer
    buttons: tuple[Button, ...]
    back: Button
    root: bool = True
    other: Handler | None = None
    answered: tuple[Action, ...] = ()  # where what ``other`` takes may lead (an answer, a typed yes, a comment)
    labels: tuple[str, ...] = field(default=())  # further copy keys its labels use (per role, per action)
    words: frozenset[Nav] = frozenset()  # navigation words ``other`` takes (a form question's skip, keep, add…)

    def find(self, inp: Input) -> Button | None:
        """The button ``inp`` pressed, if this screen declares it."""
        if inp.action is Nav.BACK:
            return self.back
        for candidate in self.buttons:
            if inp.action is not None and candidate.token == inp.action:
                return candidate
        if inp.value is None:
            return None
        picked = parse(inp.value, tuple(b.token for b in self.buttons if isinstance(b.token, Pick)))
        return next((b for b in self.buttons if picked is not None and b.token == picked.pick), None)


def dispatch(screen: Screen, event: Event) -> None:
    """Run the handler of the pressed button, else the screen's own input handling, else ask for a button."""
    pressed = screen.find(event.inp)
    if pressed is not None and pressed.run is not None and pressed.applies(event.state):
        picked = parse(event.inp.value, (pressed.token,)) if isinstance(pressed.token, Pick) and event.inp.value \
            else None
        pressed.run(Event(event.flows, event.state, event.ctx, event.inp, event.out, picked))
    elif screen.other is not None:
        screen.other(event)
    else:
        event.out.say("input.use_buttons")


def targets(action: Action) -> tuple[Mode, ...]:
    """The screens an action may show next (Done's depend on the stack, so none here)."""
    if isinstance(action, SwitchTo | Effect | Resume):
        return action.targets
    if isinstance(action, Start):
        return (action.target,)
    return ()


def dispatch_anywhere(anywhere: Mapping[Nav, Button], event: Event) -> bool:
    """Run the declared handler of a navigation word that works on every screen; False when the word is not one,
    or does not apply here (the screen on show takes it then)."""
    declared = anywhere.get(event.inp.action) if isinstance(event.inp.action, Nav) else None
    if declared is None or declared.run is None or not declared.applies(event.state):
        return False
    declared.run(event)
    return True
