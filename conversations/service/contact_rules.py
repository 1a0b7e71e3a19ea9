"""What the people records know of a project's contacts and area, decided without the database.

Registration asks the contacts and the province only when the records do not know them (``ask_known=False``,
prefilled from the context when a project is started). Two other ways a draft is made use the same prefills, so
that their drafts do not lag behind the records: a copy for a new fiscal year takes today's owner and director
instead of last year's (and names each change on its M2 mark), and an imported plan's blank cells are filled.
``conversations.service.known_people`` builds the context these read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.engine.context import Context
from conversations.engine.questions import prefill
from conversations.flows.flow import Flow, Question

CONTACT_SOURCES = ("director", "owner")  # the prefills that are people (the province is the office's)


def known_questions(flow: Flow) -> list[Question]:
    """The questions a draft takes from the records instead of asking, in flow order."""
    return [step for section in flow.sections for step in section.steps
            if isinstance(step, Question) and not step.ask_known and step.prefill]


def known_values(flow: Flow, ctx: Context, *, contacts_only: bool = False) -> dict[str, Any]:
    """What the records know for those questions (a question they know nothing of is absent)."""
    values: dict[str, Any] = {}
    for question in known_questions(flow):
        if contacts_only and question.prefill.split(".")[0] not in CONTACT_SOURCES:
            continue
        value = prefill(question, ctx)
        if value is not None:
            values[question.key] = value
    return values


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def refresh_contacts(answers: dict[str, Any], known: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A copy's contacts made today's: each value the records know replaces the source's (a value they lack
    stays as the source had it). Returns the changes as ``{"key", "before", "after"}`` (before None when the
    source had none), in the order of ``known``, so that nothing changes unsaid."""
    changes: list[dict[str, Any]] = []
    for key, value in known.items():
        before = answers.get(key)
        if before != value:
            changes.append({"key": key, "before": None if _blank(before) else before, "after": value})
            answers[key] = value
    return changes


def fill_blanks(answers: dict[str, Any], known: Mapping[str, Any]) -> list[str]:
    """Blank answers filled from the records; a value already given is never replaced. Returns the keys filled."""
    filled = [key for key, value in known.items() if _blank(answers.get(key))]
    for key in filled:
        answers[key] = known[key]
    return filled
