"""A fixed list answered in one message: every activity's progress typed at once (``1.1 เสร็จ, 1.2 60%``).

Each activity named by its registration number gets its state and percentage, so one still in progress needs no
second input; what was understood is kept and said back, a piece that was not is named with what is accepted,
and the activities the message left out are then asked one by one (by taps, as before).
"""

from __future__ import annotations

from typing import Any

from conversations.copy import render
from conversations.engine.output import Output
from conversations.engine.progress_parents import derived, example_numbers
from conversations.engine.state import State
from conversations.engine.status import item_label
from conversations.engine.views import item_summary
from conversations.flows.flow import Group, Kind
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.progress import IN_PROGRESS, Progress, looks_like_progress, parse_progress

PROGRESS = "progress"  # Group.batch: the activities' progress
EXAMPLE_LIMIT = 2


def takes(group: Group, text: str | None) -> bool:
    """Whether a typed text is a whole-list answer for this group (numbered progress), not one item's answer."""
    return group.batch == PROGRESS and text is not None and looks_like_progress(text)


def _keys(group: Group) -> tuple[str, str]:
    """The state (choice) and percentage questions of the progress group."""
    state = next(question.key for question in group.questions if question.kind is Kind.CHOICE)
    percent = next(question.key for question in group.questions if question.kind is Kind.PERCENT)
    return state, percent


def labels(items: list[dict[str, Any]]) -> list[str]:
    """The numbers the items are called by (``1``, ``1.1``)."""
    return [item_label(item, index + 1) for index, item in enumerate(items)]


def apply(group: Group, state: State, text: str, out: Output) -> None:
    """Store every activity's progress the message gives, say back what was taken and name what was not."""
    items: list[dict[str, Any]] = state.answers.get(group.key, [])
    numbers = labels(items)
    try:
        message = parse_progress(text)
    except InvalidAnswer as problem:
        out.say(problem.reason, **problem.params, example=example(items))
        return
    state_key, percent_key = _keys(group)
    taken: list[str] = []
    problems = [render(problem.reason, text=problem.text) for problem in message.problems]
    for entry in message.entries:
        if entry.label not in numbers:
            problems.append(render("progress.no_such", label=entry.label, labels=", ".join(numbers)))
            continue
        item = items[numbers.index(entry.label)]
        _store(item, entry, state_key, percent_key)
        taken.append(f"• {entry.label} {item_summary(group, item)}")
    for entry in derived([entry for entry in message.entries if entry.label in numbers], numbers):
        item = items[numbers.index(entry.label)]
        if state_key in item:
            continue  # the parent's own answer of an earlier message is kept
        _store(item, entry, state_key, percent_key)
        taken.append(f"• {entry.label} {item_summary(group, item)} {render('progress.derived')}")
    if taken:
        out.say("progress.taken", items="\n".join(taken))
        out.save()
    if problems:
        out.say("progress.problems", problems="\n".join(f"• {line}" for line in problems), example=example(items))


def _store(item: dict[str, Any], entry: Progress, state_key: str, percent_key: str) -> None:
    item[state_key] = entry.state
    if entry.state == IN_PROGRESS:
        item[percent_key] = entry.percent
    else:
        item.pop(percent_key, None)  # implied by the state (done 100, not started 0) when stored


def example(items: list[dict[str, Any]]) -> str:
    """The format shown with the list, made of this report's own numbers: ``1.1 เสร็จ, 1.2 60%``."""
    numbers = example_numbers(labels(items))[:EXAMPLE_LIMIT] or ["1"]
    words = [render("progress.example_done"), render("progress.example_percent")]
    return ", ".join(f"{number} {word}" for number, word in zip(numbers, words, strict=False))


def prompt(group: Group, state: State) -> str:
    """The list of the quarter's activities with the one-message format, shown above an activity's question."""
    items: list[dict[str, Any]] = state.answers.get(group.key, [])
    listing = "\n".join(f"{number} {item.get('name', '')}" for number, item in zip(labels(items), items, strict=True))
    return render("progress.prompt", items=listing, example=example(items))
