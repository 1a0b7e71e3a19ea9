"""What the engine may know about the world (``Context``) and what it hands back (``Turn``, effects).

The engine never queries anything. When it needs data that the context lacks it raises ``NeedData``;
the service loads that data and runs the same turn again (the engine is pure, so a re-run is safe).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from conversations.catalog_view import CatalogView
from conversations.messages import Reply
from models.enums import ItemStatus, Role


class NeedData(Exception):
    """The turn needs data the context does not hold yet: ``projects``, ``catalog`` or ``project:<id>``."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True, slots=True)
class Person:
    """A person as the engine sees them (for prefills and greetings)."""

    id: int
    name: str
    email: str
    phone: str
    role: Role


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    """One line of "my projects"."""

    id: int
    code: str
    name: str
    fiscal_year: int
    status: ItemStatus
    sections_done: int
    sections_total: int
    owner_name: str = ""


@dataclass(frozen=True, slots=True)
class LoadedProject:
    """A project's answers as stored, to continue or view it."""

    id: int
    code: str
    status: ItemStatus
    answers: dict[str, Any]
    editable: bool
    decision_comment: str = ""
    found: bool = True  # False when the project does not exist or is outside the user's scope


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the engine may read during a turn."""

    user: Person
    office_name: str
    office_province: str
    today: date
    director: Person | None = None
    catalog: CatalogView | None = None
    projects: tuple[ProjectSummary, ...] | None = None
    loaded: LoadedProject | None = None
    director_known: bool = False  # True once the service looked the director up (who may be None)

    def need_catalog(self) -> CatalogView:
        """The plan catalog, or a request for it."""
        if self.catalog is None:
            raise NeedData("catalog")
        return self.catalog

    def need_projects(self) -> tuple[ProjectSummary, ...]:
        """The user's projects, or a request for them."""
        if self.projects is None:
            raise NeedData("projects")
        return self.projects

    def need_project(self, project_id: int) -> LoadedProject:
        """One project's stored answers, or a request for them."""
        if self.loaded is None or self.loaded.id != project_id:
            raise NeedData(f"project:{project_id}")
        return self.loaded

    def need_director(self) -> Person | None:
        """The office's director (None when the office has none), or a request for them."""
        if not self.director_known:
            raise NeedData("director")
        return self.director


@dataclass(frozen=True, slots=True)
class SaveDraft:
    """Write the state's answers to the project (creating it when the state has no project yet)."""


@dataclass(frozen=True, slots=True)
class SubmitProject:
    """Mark the project submitted for the director's decision."""

    project_id: int


@dataclass(frozen=True, slots=True)
class DeleteDraft:
    """Delete a project that was never submitted."""

    project_id: int


Effect = SaveDraft | SubmitProject | DeleteDraft


@dataclass(frozen=True, slots=True)
class Turn:
    """The result of one engine step: the new state, what to say, what to write; or what data is missing."""

    state: dict[str, Any]
    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()
    needs: frozenset[str] = frozenset()
