"""An in-memory, read-only view of the plan catalog for section M1: browse by tree, search by words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from conversations.parsers.name_words import matched_count, normal_form, query_words

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
        self._order = {code: index for index, code in enumerate(self._items)}
        self._names = {code: normal_form(item.title) for code, item in self._items.items()}
        self._trails = {code: " ".join(self._names[part.code] for part in self.path(code)) for code in self._items}

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
        """Nodes whose code starts with the query, then nodes named by every word of it in any order (Thai words
        cut by :mod:`conversations.parsers.name_words`), families first, the node's own name before its parents'."""
        return self.search_words(query, fiscal_year, limit)[0]

    def search_words(self, query: str, fiscal_year: int | None = None,
                     limit: int = 10) -> tuple[list[PlanItem], bool]:
        """As :meth:`search`, and whether every word matched; when no node holds them all, the nodes holding most
        of them (False), so that one word too many still shows the owner where the others are."""
        words = query_words(query)
        if not words:
            return [], True
        code = query.strip().upper()
        by_code = sorted((item for item in self._items.values() if item.code.upper().startswith(code)),
                         key=lambda i: (len(i.code), i.code))
        scored: list[tuple[tuple[int, ...], PlanItem]] = []
        for item in self._items.values():
            if not item.valid_in(fiscal_year):
                continue
            whole = matched_count(words, self._trails[item.code])
            if whole:
                own = matched_count(words, self._names[item.code])
                scored.append(((-whole, -own, len(self.path(item.code)), self._order[item.code]), item))
        best = -min((key[0] for key, _ in scored), default=0)
        complete = best == len(words)
        by_words = [item for key, item in sorted(scored, key=lambda pair: pair[0]) if -key[0] == best]
        found: dict[str, PlanItem] = {}
        for item in by_code + by_words:
            if item.valid_in(fiscal_year):
                found.setdefault(item.code, item)
        return list(found.values())[:limit], complete or bool(by_code)
