"""A returned report opens on what the director's comment speaks of: the KPI, activity, plan or part it names.

The comment is read for mentions (``conversations.parsers.mentions``); the first one that names something in the
report is opened to change, above the review card, so that a new value goes straight back to the card and its
submit button (notice → new value → submit → yes). A comment that names nothing opens the review card, as before.
"""

from __future__ import annotations

from typing import Any

from conversations.copy import render
from conversations.engine import form, groups
from conversations.engine.output import Output
from conversations.engine.questions import applies
from conversations.engine.state import Mode, State
from conversations.engine.status import item_label
from conversations.engine.views import item_summary
from conversations.flows.flow import Flow, Group, Question, Section
from conversations.parsers.mentions import Mention, mentions

Target = tuple[Section, Group | Question, int | None]


def _step(flow: Flow, key: str) -> tuple[Section, Group | Question] | None:
    for section in flow.sections:
        for step in section.steps:
            if step.key == key and isinstance(step, Group | Question):
                return section, step
    return None


def _index(items: list[dict[str, Any]], number: str) -> int | None:
    """The item called ``number`` (its own registration number, else its position); a list of one needs none."""
    if not number:
        return 0 if len(items) == 1 else None
    return next((index for index, item in enumerate(items) if item_label(item, index + 1) == number), None)


def target(flow: Flow, answers: dict[str, Any], mention: Mention) -> Target | None:
    """Where a mention points in this report: a list item, a whole list, or a question that is asked."""
    found = _step(flow, flow.mentioned.get(mention.kind, ""))
    if found is None:
        return None
    section, step = found
    if not applies(section.when, answers):
        return None
    if isinstance(step, Question):
        return (section, step, None) if applies(step.when, answers) else None
    items = answers.get(step.key, [])
    index = _index(items, mention.number)
    if index is None and mention.number:
        return None  # a number the report does not have: not guessed
    return section, step, index


def open_on_comment(flow: Flow, state: State, comment: str, out: Output) -> bool:
    """Open the first thing the comment names, to change it and come back to the review card; False when the
    comment names nothing in this report."""
    for mention in mentions(comment):
        found = target(flow, state.answers, mention)
        if found is None:
            continue
        section, step, index = found
        state.mode = Mode.REVIEW
        if not form.edit_step(flow, state, section.id, step.key):
            return False
        if isinstance(step, Group) and index is not None:
            groups.start_edit(step, state, index)
            what = f"{render(step.item)} {item_label(state.answers[step.key][index], index + 1)}: " \
                   f"{item_summary(step, state.answers[step.key][index])}"
        elif isinstance(step, Group):
            what = render(step.item)
        else:
            what = render(f"{step.prompt}.label")
        out.say("returned.opened", what=what)
        return True
    return False

