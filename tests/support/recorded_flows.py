"""The flows as the saved-state fixtures were recorded under: every question asked, even one whose value is known.

Issue 17 declares some registration questions ``ask_known=False`` (the contacts, the province), which removes
their turns from a conversation. The frozen setup transcripts (tests/fixtures/saved_states/setup/) still confirm
them one by one, so they are replayed with this variant of the flows; the fixture's own act then runs with the
real flows.
"""

from __future__ import annotations

import dataclasses

from conversations.flows.flow import Flow, Question, Step
from conversations.flows.registry import FLOWS


def _asked(step: Step) -> Step:
    return dataclasses.replace(step, ask_known=True) if isinstance(step, Question) else step


def asking_everything(flow: Flow) -> Flow:
    """The flow with every question of its sections declared ``ask_known=True`` (asked even when known)."""
    sections = tuple(dataclasses.replace(section, steps=tuple(_asked(step) for step in section.steps))
                     for section in flow.sections)
    return dataclasses.replace(flow, sections=sections)


RECORDED_FLOWS: dict[str, Flow] = {key: asking_everything(flow) for key, flow in FLOWS.items()}
