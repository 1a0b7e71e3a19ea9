"""Which sections are done, need attention or are not started, and why — computed from the answers alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from conversations.copy import render
from conversations.engine.questions import applies, undecided
from conversations.flows.checks import CHECKS, CheckInput
from conversations.flows.flow import AnswerIs, Evidence, Flow, Group, PlanLinks, Question, Section, label_key
from conversations.parsers.errors import InvalidAnswer


class Status(StrEnum):
    """A section's state on the hub."""

    DONE = "done"
    ATTENTION = "attention"
    NOT_STARTED = "not_started"
    SKIPPED = "skipped"


ICONS = {Status.DONE: "✅", Status.ATTENTION: "⚠️", Status.NOT_STARTED: "○", Status.SKIPPED: "➖"}


@dataclass(slots=True)
class SectionState:
    """A section's status and, when it needs attention, what is missing or wrong (Thai lines)."""

    section: Section
    status: Status
    problems: list[str] = field(default_factory=list)


def question_problem(question: Question, target: dict[str, Any], answers: dict[str, Any],
                     item: dict[str, Any] | None = None, parent: dict[str, Any] | None = None) -> str | None:
    """What is wrong with one question's stored answer, or None."""
    if question.key not in target:
        return None if question.optional else render("problem.missing", label=render(label_key(question)))
    value = target[question.key]
    if value is None or not question.check:
        return None
    try:
        CHECKS[question.check](CheckInput(value, answers, item, parent))
    except InvalidAnswer as problem:
        return render(problem.reason, **problem.params)
    return None


def item_label(item: dict[str, Any], position: int) -> str:
    """An item's number: its own where it brings one (a report's activity keeps its registration number,
    ``2.1``), else its position in the list."""
    number = item.get("number")
    return number if isinstance(number, str) and number else str(position)


def item_problems(group: Group, item: dict[str, Any], answers: dict[str, Any], number: str,
                  parent: dict[str, Any] | None = None) -> list[str]:
    """Problems of one list item and of its sub-items, each named by its item and number (``กิจกรรมย่อย 1.2``)."""
    problems = []
    for question in group.questions:
        if applies(question.when, item):
            problem = question_problem(question, item, answers, item, parent)
            if problem:
                problems.append(f"{render(group.item)} {number}: {problem}")
    if group.children is not None:
        for index, child in enumerate(item.get(group.children.key, []), start=1):
            problems.extend(item_problems(group.children, child, answers, f"{number}.{index}", item))
    return problems


def group_problems(group: Group, answers: dict[str, Any]) -> list[str]:
    """Problems of a list: too few items, or items with problems."""
    items = answers.get(group.key, [])
    problems = []
    if len(items) < group.min_items:
        problems.append(render("problem.too_few", count=group.min_items, item=render(group.item)))
    for index, item in enumerate(items, start=1):
        problems.extend(item_problems(group, item, answers, item_label(item, index)))
    return problems


def missing_levels(step: PlanLinks, answers: dict[str, Any]) -> list[int]:
    """Required plan levels without a link yet (M1)."""
    levels = {link.get("level") for link in answers.get(step.key, [])}
    return [level for level in step.required_levels if level not in levels]


def links_problems(step: PlanLinks, answers: dict[str, Any]) -> list[str]:
    """Plan levels still missing from M1."""
    missing = missing_levels(step, answers)
    if not missing:
        return []
    return [render("problem.plan_level", levels=", ".join(str(level) for level in missing))]


def step_problems(step: Question | Group | PlanLinks | Evidence, answers: dict[str, Any]) -> list[str]:
    """Problems of one step of a section (evidence is optional: never a problem)."""
    if isinstance(step, Evidence):
        return []
    if isinstance(step, Question):
        if not applies(step.when, answers):
            return []
        problem = question_problem(step, answers, answers)
        return [problem] if problem else []
    if isinstance(step, Group):
        return group_problems(step, answers)
    return links_problems(step, answers)


def step_started(step: Question | Group | PlanLinks | Evidence, answers: dict[str, Any]) -> bool:
    """Whether the step has any answer at all."""
    if isinstance(step, Question):
        return step.key in answers
    if isinstance(step, Group) and step.fixed:
        return any(question.key in item for item in answers.get(step.key, []) for question in step.questions)
    return bool(answers.get(step.key))


def section_state(section: Section, answers: dict[str, Any]) -> SectionState:
    """One section's status (not started, never "not needed", while its condition waits on an answer)."""
    if undecided(section.when, answers):
        return SectionState(section, Status.NOT_STARTED)
    if not applies(section.when, answers):
        return SectionState(section, Status.SKIPPED)
    problems = [problem for step in section.steps for problem in step_problems(step, answers)]
    if not any(step_started(step, answers) for step in section.steps):
        return SectionState(section, Status.NOT_STARTED, problems)  # even one of optional questions only
    if not problems:
        return SectionState(section, Status.DONE)
    return SectionState(section, Status.ATTENTION, problems)


def waiting_on(flow: Flow, section: Section, answers: dict[str, Any]) -> str:
    """Why a section cannot be filled in yet (``ขึ้นกับคำตอบ “ใช้งบประมาณ” ใน M2 ข้อมูลทั่วไป``), or ""."""
    condition = section.when
    if not isinstance(condition, AnswerIs) or not undecided(condition, answers):
        return ""
    for other in flow.sections:
        for step in other.steps:
            if isinstance(step, Question) and step.key == condition.key:
                return render("section.waiting_on", question=render(label_key(step)), section=render(other.title))
    return ""


def flow_states(flow: Flow, answers: dict[str, Any]) -> list[SectionState]:
    """Every section's status, in order."""
    return [section_state(section, answers) for section in flow.sections]


def all_done(states: list[SectionState]) -> bool:
    """Whether every section that applies is done (ready to submit), from the states the caller drew once and
    uses again (the hub lists them, the review card shows them)."""
    return all(state.status in (Status.DONE, Status.SKIPPED) for state in states)


def sections_done(flow: Flow, answers: dict[str, Any]) -> tuple[int, int]:
    """How many of the sections that apply are done, out of how many."""
    states = [state for state in flow_states(flow, answers) if state.status is not Status.SKIPPED]
    return sum(state.status is Status.DONE for state in states), len(states)


def newly_broken(flow: Flow, before: dict[str, Any], after: dict[str, Any],
                 states: list[SectionState] | None = None) -> list[SectionState]:
    """Sections that were done before an answer changed and need attention after it (dependencies). Asked after
    every answer: unchanged answers break nothing. ``states`` are the sections' states of ``after`` when the
    caller has them (it uses them again); only the sections needing attention after are drawn from ``before``."""
    if before == after:
        return []
    after_states = flow_states(flow, after) if states is None else states
    return [state for state in after_states
            if state.status is Status.ATTENTION and section_state(state.section, before).status is Status.DONE]
