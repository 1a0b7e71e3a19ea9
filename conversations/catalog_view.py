"""An in-memory, read-only view of the plan catalog for section M1: browse by tree, search by words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FREE_REFERENCE_FAMILIES = frozenset({"LAW", "CAB"})  # no pick-list known: the owner types the reference


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One catalog node, as the engine needs it."""

    code: str
    parent: str | None
    family: str
    level: int
    kind: str
    title: str
    confirmed: bool
    valid_from: int | None = None
    valid_to: int | None = None

    def valid_in(self, fiscal_year: int | None) -> bool:
        """Whether the node is offered for a project of that fiscal year."""
        if fiscal_year is None:
            return True
        return (self.valid_from is None or self.valid_from <= fiscal_year) and (
            self.valid_to is None or fiscal_year <= self.valid_to
        )

    @property
    def takes_reference(self) -> bool:
        """Whether linking this node asks for a free-text reference (a law, a cabinet resolution)."""
        return self.kind == "family" and self.family in FREE_REFERENCE_FAMILIES


class CatalogView:
    """The catalog tree in memory (a few hundred nodes), with the queries the M1 widget makes."""

    def __init__(self, items: Iterable[PlanItem]) -> None:
        self._items = {item.code: item for item in items}
        self._children: dict[str | None, list[PlanItem]] = {}
        for item in self._items.values():
            self._children.setdefault(item.parent, []).append(item)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, code: str) -> PlanItem | None:
        """The node with that code, if any."""
        return self._items.get(code)

    def children(self, code: str | None, fiscal_year: int | None = None) -> list[PlanItem]:
        """Children of a node (families for ``None``), in catalog order, valid in the year."""
        return [item for item in self._children.get(code, []) if item.valid_in(fiscal_year)]

    def families(self, level: int, fiscal_year: int | None = None) -> list[PlanItem]:
        """The families of one plan level."""
        return [item for item in self.children(None, fiscal_year) if item.level == level]

    def path(self, code: str) -> list[PlanItem]:
        """The node and its ancestors, root first."""
        chain: list[PlanItem] = []
        item = self._items.get(code)
        while item is not None:
            chain.append(item)
            item = self._items.get(item.parent) if item.parent else None
        return list(reversed(chain))

    def search(self, query: str, fiscal_year: int | None = None, limit: int = 10) -> list[PlanItem]:
        """Nodes whose code starts with the query or whose title holds every word; families excluded."""
        words = query.casefold().split()
        if not words:
            return []
        code = query.strip().upper()
        by_code = [item for item in self._items.values() if item.code.upper().startswith(code)]
        by_title = [
            item for item in self._items.values()
            if item.kind != "family" and all(word in item.title.casefold() for word in words)
        ]
        found: dict[str, PlanItem] = {}
        for item in sorted(by_code, key=lambda i: (len(i.code), i.code)) + sorted(
            by_title, key=lambda i: (i.level, i.family, i.code)
        ):
            if item.valid_in(fiscal_year):
                found.setdefault(item.code, item)
        return list(found.values())[:limit]
