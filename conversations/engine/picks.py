"""Button values of the screens, typed: an action and its argument to a short ASCII value and back, in one place.

A screen's button that picks something (a section of the hub, a project of a list, a quarter…) carries a
:class:`Pick` and its argument, written as the pick's short prefix and the argument's parts joined by ``.``
(``s.m3``, ``p12``, ``q12.2570.1``). Navigation buttons carry a :class:`~conversations.engine.nav.Nav` word
instead (``~back``). Which picks a screen accepts is declared with the screen (``machine``), so the same
prefix may mean a project on one screen and a project awaiting a decision on another, and a value is read
only by the screen that offered it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Argument = tuple[int | str, ...]


class Pick(StrEnum):
    """What a screen's button picks; the value is the prefix its argument follows."""

    SECTION = "s."  # hub: work on a section (section id)
    VIEW = "v."  # review card: one section's answers (section id)
    START_QUESTION = "n."  # review card: change a start question (its key)
    EDIT = "e."  # section view: change a step (its key)
    PROJECT = "p"  # my projects: a project's card; inbox: a project awaiting a decision (project id)
    REPORT = "r"  # inbox: a quarterly report awaiting a decision (report id)
    QUARTER = "q"  # my reports, a project's card: one quarter of a project (project id, fiscal year, quarter)
    FILE = "f"  # a report's card: one of its evidence files (file id)
    COPY_FROM = "c"  # copy a project: the project to copy (project id)
    YEAR = "y"  # copy a project: the fiscal year of the copy
    TAKEN = "t."  # under the screen after a list taken in one message: ➕ "add" or ✏️ "edit" (``engine.taken``)


# the type of each part of a pick's argument
SHAPES: dict[Pick, tuple[type, ...]] = {
    Pick.SECTION: (str,), Pick.VIEW: (str,), Pick.START_QUESTION: (str,), Pick.EDIT: (str,),
    Pick.PROJECT: (int,), Pick.REPORT: (int,), Pick.QUARTER: (int, int, int), Pick.FILE: (int,),
    Pick.COPY_FROM: (int,), Pick.YEAR: (int,), Pick.TAKEN: (str,),
}


@dataclass(frozen=True, slots=True)
class Picked:
    """A decoded pick: what was picked and its typed argument."""

    pick: Pick
    argument: Argument

    @property
    def number(self) -> int:
        """The argument of a one-number pick (an index or an id)."""
        first = self.argument[0]
        assert isinstance(first, int)
        return first

    @property
    def name(self) -> str:
        """The argument of a one-name pick (a section id)."""
        return str(self.argument[0])


def value(pick: Pick, *argument: int | str) -> str:
    """The button value of ``pick`` with its argument, checked against the pick's shape."""
    shape = SHAPES[pick]
    if len(argument) != len(shape) or not all(isinstance(part, kind) for part, kind in zip(argument, shape,
                                                                                            strict=True)):
        raise ValueError(f"{pick.name} takes {[kind.__name__ for kind in shape]}, not {argument!r}")
    text = pick.value + ".".join(str(part) for part in argument)
    if not text.isascii() or any("." in str(part) for part in argument if isinstance(part, str)):
        raise ValueError(f"{pick.name} argument {argument!r} cannot be carried in a button value")
    return text


def parse(text: str, accepted: tuple[Pick, ...]) -> Picked | None:
    """The pick among ``accepted`` that ``text`` carries, with its typed argument; None when none does."""
    for pick in sorted(accepted, key=lambda candidate: -len(candidate.value)):
        if not text.startswith(pick.value):
            continue
        parts = text[len(pick.value):].split(".")
        shape = SHAPES[pick]
        if len(parts) != len(shape) or not all(parts):
            continue
        try:
            return Picked(pick, tuple(int(part) if kind is int else part for part, kind in zip(parts, shape,
                                                                                             strict=True)))
        except ValueError:
            continue
    return None
