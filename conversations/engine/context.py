"""What the engine may know about the world (``Context``) and what it hands back (``Turn``, effects).

The engine never queries anything. When it needs data that the context lacks it raises ``MissingData`` with a
typed request (``NeedProject(12)``, ``NeedInbox()`` …); ``step`` hands that back as a ``DataRequest``, the service
loads the data (dispatching on the request's type) and runs the same turn again (the engine is pure, so a re-run is
safe).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from conversations.catalog_view import CatalogView
from conversations.engine.effect_types import Effect
from conversations.messages import Reply
from models.enums import ItemStatus, Role


@dataclass(frozen=True, slots=True)
class NeedCatalog:
    """The plan catalog."""


@dataclass(frozen=True, slots=True)
class NeedProjects:
    """The projects the user may see (my projects)."""


@dataclass(frozen=True, slots=True)
class NeedProject:
    """One project's stored answers."""

    project_id: int


@dataclass(frozen=True, slots=True)
class NeedReportTasks:
    """The owner's quarterly reports and their statuses."""


@dataclass(frozen=True, slots=True)
class NeedReport:
    """One quarter's report of one project (new or stored)."""

    project_id: int
    fiscal_year: int
    quarter: int


@dataclass(frozen=True, slots=True)
class NeedInbox:
    """The items awaiting the director's decision."""


@dataclass(frozen=True, slots=True)
class NeedHistory:
    """A project's audit trail, by the project's code as typed."""

    code: str


@dataclass(frozen=True, slots=True)
class NeedQuarters:
    """The quarters of one visible project with their status."""

    project_id: int


@dataclass(frozen=True, slots=True)
class NeedDirector:
    """The director of the user's office."""


Need = (NeedCatalog | NeedProjects | NeedProject | NeedReportTasks | NeedReport | NeedInbox | NeedHistory
        | NeedQuarters | NeedDirector)


class MissingData(Exception):
    """Raised inside the engine when the context lacks ``need``; ``step`` turns it into a ``DataRequest``."""

    def __init__(self, need: Need) -> None:
        super().__init__(need)
        self.need = need


@dataclass(frozen=True, slots=True)
class DataRequest:
    """What ``step`` returns instead of a turn when it needs data: load these and run the same turn again."""

    needs: frozenset[Need]


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
    emenscr_id: str = ""  # the project's id in eMENSCR, once typed
    emenscr_keyed: tuple[str, ...] = ()  # the steps of its eMENSCR pack keyed in there
    copied: dict[str, Any] = field(default_factory=dict)  # a copy's marks: sections not yet opened, links dropped
    sent_before: bool = False  # submitted once (a draft again after a take-back): it is kept, never deleted


@dataclass(frozen=True, slots=True)
class ReportTask:
    """One quarter of one project the owner reports on, with its status on the day."""

    project_id: int
    code: str
    name: str
    fiscal_year: int
    quarter: int
    status: str  # a models.windows.QuarterStatus value
    can_report: bool
    will_be_late: bool
    opens: date
    due: date
    locks: date
    exception_until: date | None = None  # the last day the office's lock exception lets it report


@dataclass(frozen=True, slots=True)
class LoadedReport:
    """A quarterly report's answers (with what is known: KPIs, activities, plans, planned amount)."""

    project_id: int
    code: str
    name: str
    fiscal_year: int
    quarter: int
    answers: dict[str, Any]
    editable: bool
    report_id: int | None = None
    status: ItemStatus | None = None
    decision_comment: str = ""
    found: bool = True
    emenscr_keyed: tuple[str, ...] = ()  # the steps of its eMENSCR pack keyed in there


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A submitted project or report awaiting the director's decision."""

    kind: str  # "project" or "report"
    project_id: int
    code: str
    name: str
    owner_name: str
    fiscal_year: int
    quarter: int = 0
    report_id: int | None = None
    late: bool = False
    resubmitted: bool = False  # sent again after the director returned it


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One audit entry, as stored."""

    at: datetime
    actor: str
    entity: str
    field: str
    before: Any
    after: Any
    quarter: int = 0


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
    report_tasks: tuple[ReportTask, ...] | None = None
    report: LoadedReport | None = None
    inbox: tuple[InboxItem, ...] | None = None
    history: tuple[HistoryLine, ...] | None = None
    history_of: str = ""  # the project code the history belongs to ("" when not found)
    quarters: tuple[ReportTask, ...] | None = None  # the quarters of the project on screen, for any role

    def need_catalog(self) -> CatalogView:
        """The plan catalog, or a request for it."""
        if self.catalog is None:
            raise MissingData(NeedCatalog())
        return self.catalog

    def need_projects(self) -> tuple[ProjectSummary, ...]:
        """The user's projects, or a request for them."""
        if self.projects is None:
            raise MissingData(NeedProjects())
        return self.projects

    def need_project(self, project_id: int) -> LoadedProject:
        """One project's stored answers, or a request for them."""
        if self.loaded is None or self.loaded.id != project_id:
            raise MissingData(NeedProject(project_id))
        return self.loaded

    def need_report_tasks(self) -> tuple[ReportTask, ...]:
        """The owner's quarterly reports and their statuses, or a request for them."""
        if self.report_tasks is None:
            raise MissingData(NeedReportTasks())
        return self.report_tasks

    def need_report(self, project_id: int, fiscal_year: int, quarter: int) -> LoadedReport:
        """One quarter's report of one project (new or stored), or a request for it."""
        report = self.report
        if report is None or (report.project_id, report.fiscal_year, report.quarter) != (
                project_id, fiscal_year, quarter):
            raise MissingData(NeedReport(project_id, fiscal_year, quarter))
        return report

    def need_inbox(self) -> tuple[InboxItem, ...]:
        """Items awaiting the director's decision, or a request for them."""
        if self.inbox is None:
            raise MissingData(NeedInbox())
        return self.inbox

    def need_history(self, code: str) -> tuple[HistoryLine, ...]:
        """A project's audit trail (empty when out of scope), or a request for it."""
        if self.history is None:
            raise MissingData(NeedHistory(code))
        return self.history

    def need_quarters(self, project_id: int) -> tuple[ReportTask, ...]:
        """The quarters of one visible project with their status, or a request for them."""
        if self.quarters is None or any(task.project_id != project_id for task in self.quarters):
            raise MissingData(NeedQuarters(project_id))
        return self.quarters

    def need_director(self) -> Person | None:
        """The office's director (None when the office has none), or a request for them."""
        if not self.director_known:
            raise MissingData(NeedDirector())
        return self.director


@dataclass(frozen=True, slots=True)
class Turn:
    """A finished engine step: the new state, what to say (the live screen last), what to write."""

    state: dict[str, Any]
    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()
