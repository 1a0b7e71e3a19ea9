"""An activity's progress derived from its sub-activities typed in the same message (``1.1 เสร็จ, 1.2 60%``).

A parent whose every sub-activity got a value, and which got none itself, takes the state they add up to (all done:
done; otherwise in progress at their mean percentage) instead of being asked again; it is said back as derived, and
typing its own value (``1 70%``) or editing it on the review changes it.
"""

from __future__ import annotations

from conversations.parsers.progress import DONE, IN_PROGRESS, NOT_STARTED, Progress


def children(label: str, numbers: list[str]) -> list[str]:
    """The sub-activity numbers of ``label`` (``1.1``, ``1.2`` of ``1``)."""
    return [number for number in numbers if number.startswith(f"{label}.")]


def derived(entries: list[Progress], numbers: list[str]) -> list[Progress]:
    """The parents' progress their sub-activities give, for parents the message left out and whose every
    sub-activity it named."""
    given = {entry.label: entry for entry in entries}
    found: list[Progress] = []
    for number in numbers:
        subs = children(number, numbers)
        if not subs or number in given or not all(sub in given for sub in subs):
            continue
        states = [given[sub] for sub in subs]
        if all(entry.state == DONE for entry in states):
            found.append(Progress(number, DONE, 100))
        elif all(entry.state == NOT_STARTED for entry in states):
            found.append(Progress(number, NOT_STARTED, 0))
        else:
            mean = round(sum(entry.percent for entry in states) / len(states))
            found.append(Progress(number, IN_PROGRESS, max(1, min(99, mean))))  # in progress: neither 0 nor 100
    return found


def example_numbers(numbers: list[str]) -> list[str]:
    """The numbers an example of the format uses: activities without sub-activities, so that the example never
    says a parent is done while its sub-activity is at 60%."""
    return [number for number in numbers if not children(number, numbers)]
