"""Typed state inside a form step: a repeat group's cursor, the plan-links widget's view, the evidence step's view,
a question's pending near match, and a multi-select in progress.

Each is addressed by keys of the flow (a question's key, never its index), so a saved one keeps its meaning when
questions are added or removed; each has a JSON form (``dump``) and is read back by :func:`load_sub`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conversations.engine.json_data import json_copy


@dataclass(slots=True)
class GroupCursor:
    """Where the user is in a repeat group: ``view`` is ``item`` (answering the item's question ``question``),
    ``menu`` (the list), ``pick`` (choosing an item for ``purpose``), ``child`` (offering a sub-item under
    ``parent``) or ``confirm`` (removing ``path`` with its sub-items). The item being filled is kept whole, so a
    half answered item survives a restart; ``path`` is ``[i]`` or ``[i, j]`` of an existing item being edited,
    ``parent`` the item a new sub-item goes under."""

    KIND = "group"
    view: str = "menu"
    question: str = ""
    item: dict[str, Any] = field(default_factory=dict)
    parent: int | None = None
    path: list[int] | None = None
    purpose: str = ""
    origin: str = ""  # "menu": an item's edit was started from the list (a fixed list then returns there)
    near: dict[str, Any] | None = None  # a typed answer's near match awaiting confirmation

    @property
    def is_child(self) -> bool:
        """Whether the item being answered is a sub-item."""
        return self.parent is not None or len(self.path or []) == 2

    def dump(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.KIND, **{name: json_copy(getattr(self, name)) for name in self.__slots__}}


@dataclass(slots=True)
class LinksView:
    """The plan-links widget's screen: ``menu``, ``browse`` (children of ``node``, or ``level``'s families when
    ``node`` is None), ``search``, ``results`` (``codes`` found for ``words``), ``ref`` (typing the reference of
    ``node``) or ``remove``."""

    KIND = "links"
    view: str = "menu"
    level: int = 2
    node: str | None = None
    codes: list[str] = field(default_factory=list)
    words: str = ""

    def dump(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.KIND, **{name: json_copy(getattr(self, name)) for name in self.__slots__}}


@dataclass(slots=True)
class EvidenceView:
    """The evidence step's screen: the files, or choosing one to remove."""

    KIND = "evidence"
    removing: bool = False

    def dump(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.KIND, "removing": self.removing}


@dataclass(slots=True)
class QuestionView:
    """A plain question's screen: a typed answer's near match awaiting confirmation, if any."""

    KIND = "question"
    near: dict[str, Any] | None = None

    def dump(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.KIND, "near": json_copy(self.near)}


Sub = GroupCursor | LinksView | EvidenceView | QuestionView
_KINDS: dict[str, type[Sub]] = {kind.KIND: kind for kind in (GroupCursor, LinksView, EvidenceView, QuestionView)}


def load_sub(data: dict[str, Any] | None) -> Sub | None:
    """A sub-state from its JSON form; None for none (or an unknown kind, which then starts afresh)."""
    if not data or data.get("kind") not in _KINDS:
        return None
    kind = _KINDS[data["kind"]]
    names = set(kind.__dataclass_fields__)
    return kind(**{name: json_copy(value) for name, value in data.items() if name in names})


def dump_sub(sub: Sub | None) -> dict[str, Any]:
    """The JSON form of a sub-state ({} for none)."""
    return sub.dump() if sub is not None else {}


@dataclass(slots=True)
class MultiSelect:
    """The ticks of a multi-select in progress, for the question ``question`` only."""

    question: str
    picked: list[str] = field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        """The JSON form."""
        return {"question": self.question, "picked": list(self.picked)}

    @classmethod
    def load(cls, data: dict[str, Any] | None) -> MultiSelect | None:
        """From its JSON form (None for none)."""
        if not isinstance(data, dict) or not isinstance(data.get("question"), str):
            return None
        return cls(data["question"], [str(value) for value in data.get("picked", [])])
