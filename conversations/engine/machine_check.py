"""The conversation machine checked when it is built: every screen declared and reachable from the menu, every
target a declared screen, every button's token within the one token budget, every copy key in the catalog, every
navigation word with exactly one declared handler.

A machine that fails here never starts (``conversations.flows.registry`` builds it at import), the way a flow with an
unknown copy key never does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from conversations.engine.machine import Action, Button, Done, Screen, Start, targets, token_name
from conversations.engine.modes import Mode
from conversations.engine.nav import Nav, nav
from conversations.engine.picks import SHAPES, Pick, value
from conversations.flows.flow import Flow
from conversations.tokens import encode

WORST_PROMPT = 36 ** 7 - 1  # prompt numbers start at the clock's seconds (7 base-36 digits until the year 4300)
WORST_ID = 2 ** 31 - 1  # database ids are 32-bit integers
WORST_FISCAL_YEAR, WORST_QUARTER = 9999, 4


class MachineError(ValueError):
    """The declared machine is inconsistent; the message lists every problem."""


def buttons_of(screen: Screen) -> tuple[Button, ...]:
    """Every button a screen declares, its "back" included."""
    return (*screen.buttons, screen.back)


def actions_of(screen: Screen) -> Iterator[Action]:
    """Every action a screen's buttons and answers may take."""
    for declared in buttons_of(screen):
        yield from declared.actions
    yield from screen.answered


def starters(screens: Mapping[Mode, Screen], target: Mode) -> list[Mode]:
    """The screens that start ``target`` above themselves: where its :class:`Done` returns to."""
    return [screen.id for screen in screens.values() if any(
        isinstance(action, Start) and action.target is target for action in actions_of(screen))]


def next_screens(screens: Mapping[Mode, Screen], screen: Screen) -> set[Mode]:
    """Where a screen's buttons and answers may lead."""
    found: set[Mode] = set()
    for action in actions_of(screen):
        found.update(starters(screens, screen.id) if isinstance(action, Done) else targets(action))
    return found


def worst_value(token: Nav | Pick, flows: Mapping[str, Flow]) -> str:
    """The longest value a button of this kind may carry."""
    if isinstance(token, Nav):
        return nav(token)
    if token is Pick.QUARTER:
        return value(token, WORST_ID, WORST_FISCAL_YEAR, WORST_QUARTER)
    if SHAPES[token] == (str,):
        return value(token, max((section.id for flow in flows.values() for section in flow.sections), key=len))
    return value(token, WORST_ID)


def handler_problems(screens: Mapping[Mode, Screen], anywhere: tuple[Button, ...]) -> list[str]:
    """Every navigation word has exactly one declared handler: once in ``anywhere`` (a screen showing it as a
    button shares that handler), or on the screens that take it (their buttons, or their own input's words)."""
    found: list[str] = []
    everywhere: dict[Nav, Button] = {}
    for declared in anywhere:
        if not isinstance(declared.token, Nav):
            found.append(f"anywhere: {token_name(declared.token)} is not a navigation word")
        elif declared.token in everywhere:
            found.append(f"anywhere: {declared.token} is declared twice")
        else:
            everywhere[declared.token] = declared
        if declared.run is None:
            found.append(f"anywhere: {token_name(declared.token)} has no handler")
    on_screens: set[Nav] = set()
    for screen in screens.values():
        for declared in buttons_of(screen):
            if not isinstance(declared.token, Nav):
                continue
            shared = everywhere.get(declared.token)
            if shared is not None and (declared.run is not shared.run or declared.when is not shared.when):
                found.append(f"{screen.id}: {declared.token} has a handler of its own besides the one anywhere")
            elif shared is None and declared.run is not None:
                on_screens.add(declared.token)
        for word in sorted(screen.words):
            if word in everywhere:
                found.append(f"{screen.id}: {word} is taken as input and handled anywhere")
            on_screens.add(word)
    found += [f"nav {word} has no declared handler" for word in Nav if word not in everywhere and
              word not in on_screens]
    return found


def problems(screens: Mapping[Mode, Screen], anywhere: tuple[Button, ...], flows: Mapping[str, Flow],
             copy_keys: frozenset[str]) -> list[str]:
    """Everything wrong with the machine, in words (empty when it is sound)."""
    found = [f"screen {mode} is not declared" for mode in Mode if mode not in screens]
    found += [f"screen {mode} is declared as {screen.id}" for mode, screen in screens.items() if screen.id is not mode]
    found += handler_problems(screens, anywhere)
    every = [(str(screen.id), declared) for screen in screens.values() for declared in buttons_of(screen)]
    every += [("anywhere", declared) for declared in anywhere]
    for where, declared in every:
        found += [f"{where}: {token_name(declared.token)} leads to undeclared screen {target}"
                  for action in declared.actions for target in targets(action) if target not in screens]
        try:
            encode(WORST_PROMPT, worst_value(declared.token, flows))
        except ValueError as error:
            found.append(f"{where}: {token_name(declared.token)} does not fit a token: {error}")
        if declared.label and declared.label not in copy_keys:
            found.append(f"{where}: {token_name(declared.token)} has unknown label copy key {declared.label}")
    for screen in screens.values():
        found += [f"{screen.id}: unknown copy key {key}" for key in (*screen.texts, *screen.labels)
                  if key not in copy_keys]
        found += [f"{screen.id}: answers lead to undeclared screen {target}"
                  for action in screen.answered for target in targets(action) if target not in screens]
    seen: set[Mode] = set()
    waiting = [Mode.MENU] if Mode.MENU in screens else []
    while waiting:
        current = waiting.pop()
        seen.add(current)
        waiting += [target for target in next_screens(screens, screens[current]) - seen if target in screens]
    found += [f"screen {mode} cannot be reached from the menu" for mode in screens if mode not in seen]
    return found


def check(screens: Mapping[Mode, Screen], anywhere: tuple[Button, ...], flows: Mapping[str, Flow],
          copy_keys: frozenset[str]) -> Mapping[Mode, Screen]:
    """The screens, when sound; otherwise :class:`MachineError` with every problem."""
    found = problems(screens, anywhere, flows, copy_keys)
    if found:
        raise MachineError("the conversation machine is inconsistent:\n" + "\n".join(found))
    return screens
