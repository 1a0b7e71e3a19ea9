"""The conversation machine drawn from its declaration as a Mermaid ``stateDiagram-v2`` (``tidtam flows diagram``).

Every screen is a state; every button's action an arrow labelled with the action and the button
(``switch · ~review``, ``start · pick edit``); a :class:`Done` returns to each screen that starts its screen;
typed commands that work everywhere leave from ``ANYWHERE``; the form holds each flow's sections in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from conversations.engine.machine import (
    Action,
    Button,
    Done,
    Effect,
    Resume,
    Say,
    Screen,
    Start,
    SwitchTo,
    token_name,
)
from conversations.engine.machine_check import buttons_of, starters
from conversations.engine.modes import Mode
from conversations.engine.nav import Nav
from conversations.engine.picks import Pick
from conversations.flows.flow import Flow

ANYWHERE = "ANYWHERE"
INDENT = "    "


def node(mode: Mode) -> str:
    """A screen's state name in the diagram."""
    return str(mode).upper()


def token_label(token: Nav | Pick) -> str:
    """How a button is named on an arrow: ``~review`` for navigation, ``pick section`` for a pick."""
    return f"~{token}" if isinstance(token, Nav) else f"pick {token_name(token)}"


def action_name(action: Action) -> str:
    """The verb of an arrow."""
    if isinstance(action, Effect):
        return f"effect {action.kind}"
    if isinstance(action, Say):
        return f"say {action.kind}"
    return {SwitchTo: "switch", Start: "start", Done: "done", Resume: "resume"}[type(action)]


def _arrows(screens: Mapping[Mode, Screen], anywhere: tuple[Button, ...], source: str, action: Action, what: str,
            here: Mode | None) -> list[str]:
    if isinstance(action, Done) and here is not None:
        ends = [node(mode) for mode in starters(screens, here)]
        if any(isinstance(act, Start) and act.target is here for declared in anywhere for act in declared.actions):
            ends.append(ANYWHERE)  # started by a typed command: back to whichever screen it was typed on
    elif isinstance(action, Done):
        ends = []
    elif isinstance(action, Say):
        ends = [source]
    elif isinstance(action, Start):
        ends = [node(action.target)]
    else:
        ends = [node(mode) for mode in action.targets] or [source]
    return [f"{source} --> {end} : {action_name(action)} · {what}" for end in ends]


def transitions(screens: Mapping[Mode, Screen], anywhere: tuple[Button, ...]) -> list[str]:
    """Every arrow, once, in declaration order."""
    lines: list[str] = []
    for screen in screens.values():
        for declared in buttons_of(screen):
            what = token_label(declared.token)
            for action in declared.actions:
                lines += _arrows(screens, anywhere, node(screen.id), action, what, screen.id)
        for action in screen.answered:
            lines += _arrows(screens, anywhere, node(screen.id), action, "answer", screen.id)
    for declared in anywhere:
        for action in declared.actions:
            lines += _arrows(screens, anywhere, ANYWHERE, action, token_label(declared.token), None)
    return list(dict.fromkeys(lines))


def sections(flows: Mapping[str, Flow]) -> list[str]:
    """The form's sub-states: each flow a state holding its sections in order."""
    lines = [f"state {node(Mode.FORM)} {{"]
    for flow in flows.values():
        ids = [section.id for section in flow.sections]
        lines.append(f"{INDENT}state {flow.id} {{")
        lines.append(f"{INDENT * 2}[*] --> {ids[0]}")
        lines += [f"{INDENT * 2}{before} --> {after}" for before, after in pairwise(ids)]
        lines.append(f"{INDENT * 2}{ids[-1]} --> [*]")
        lines.append(f"{INDENT}}}")
    lines.append("}")
    return lines


def diagram(screens: Mapping[Mode, Screen], anywhere: tuple[Button, ...], flows: Mapping[str, Flow]) -> str:
    """The whole machine as Mermaid text (no fences)."""
    body = [f"[*] --> {node(Mode.MENU)}", *sections(flows), *transitions(screens, anywhere)]
    return "\n".join(["stateDiagram-v2", *(INDENT + line for line in body)]) + "\n"
