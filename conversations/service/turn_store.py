"""The rows every turn reads and writes, in as few statements as the databases allow.

A turn opens with two statements: the chat account's row is marked seen (and active again) and hands back its
id — on PostgreSQL that update also locks the row, so one chat's turns run one at a time in every process — then
one SELECT reads the account with its person, their office, the conversation's session and whether notifications
wait for them (and, for a Telegram chat, the message carrying its live question's buttons, which the channel
needs once the replies are out: a statement of its own before). It closes with the session written back by its
row version. Of the rows, only the person comes back as the ORM's model (the service passes them on, writes and
audits by them); the office and the session come back as the few values a turn reads, and the account's model is
built only where it is written (linking), so a turn no longer converts columns nobody reads (each datetime parsed,
each JSON decoded). The open item's project and report likewise (``item_rows``): the values the freshness check
compares, their models built from the row read only when an effect writes to them. The SQL is written out once
here instead of being built by the ORM on every turn.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields.data import JSON_DUMPS
from tortoise.models import Model

from models.enums import ItemStatus, Platform
from models.fiscal import FiscalQuarter
from models.live_questions import LiveMessage
from models.org import ChatAccount, User
from models.project import Project
from models.report import QuarterReport
from models.runtime import ConversationSession
from models.sql import is_postgres, placeholders
from models.windows import WindowRows, window_rows

M = TypeVar("M", bound=Model)
_OFFICE_COLUMNS = ("id", "name", "province")  # what a turn reads of the office (``loaders.base_context``)
_SESSION_COLUMNS = ("id", "state", "row_version")  # and of the session: its state, and the version it writes over


@functools.cache
def _open_sql(mark: str, live_mark: str | None = None) -> str:
    """The opening SELECT, written once per process (the models' columns are known only once tortoise is up);
    with ``live_mark``, the Telegram chat's live question too (at most one row: ``chat_id`` is unique)."""
    tables = (("a", ChatAccount._meta.db_fields), ("u", User._meta.db_fields), ("o", _OFFICE_COLUMNS),
              ("s", _SESSION_COLUMNS))
    columns = ", ".join(f'{alias}."{column}" AS {alias}__{column}' for alias, names in tables for column in names)
    live_columns = ', l.id AS l__id, l.message_id AS l__message_id, l."text" AS l__text, l.prompt AS l__prompt'
    live_join = f" LEFT JOIN telegram_live_question l ON l.chat_id = {live_mark}"
    return (f"SELECT {columns}{live_columns if live_mark else ''}, EXISTS (SELECT 1 FROM notification n "
            "WHERE n.recipient_id = a.user_id AND n.shown_at IS NULL) AS notified FROM chat_account a "
            "LEFT JOIN app_user u ON u.id = a.user_id LEFT JOIN office o ON o.id = u.office_id "
            f"LEFT JOIN conversation_session s ON s.chat_account_id = a.id{live_join if live_mark else ''} "
            f"WHERE a.id = {mark}")


@dataclass(frozen=True, slots=True)
class OfficeRow:
    """The person's office as a turn reads it."""

    id: int
    name: str
    province: str


@dataclass(frozen=True, slots=True)
class SessionRow:
    """The conversation's session as a turn reads it: its state, and the row version its write goes over."""

    id: int
    state: dict[str, Any]
    row_version: int

    @classmethod
    def of(cls, session: ConversationSession) -> SessionRow:
        """The values of a session the ORM read or created."""
        return cls(session.id, session.state, session.row_version)


@dataclass(frozen=True, slots=True)
class TurnRows:
    """What a turn starts from: the account's id, its person (None until linked) and their office, the session
    (None before the first conversation), and whether notifications wait to be shown."""

    account_id: int
    created: bool
    user: User | None
    office: OfficeRow | None
    session: SessionRow | None
    notified: bool
    live: LiveMessage | None = None  # the Telegram chat's live question, when it was asked for and is noted
    row: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # the opening SELECT's row

    def account(self) -> ChatAccount:
        """The chat account's model, built from the row read, for linking (which writes to it)."""
        return _built(ChatAccount, self.row, "a")


class ItemRow(Generic[M]):
    """A row of the open item as the turn's opening read found it: the values the freshness check compares, and
    the model, built from the same row the first time an effect asks for it (the same instance after that)."""

    __slots__ = ("_alias", "_built", "_model_class", "_row")

    def __init__(self, model: type[M], row: dict[str, Any], alias: str) -> None:
        self._model_class, self._row, self._alias = model, row, alias
        self._built: M | None = None

    def value(self, name: str) -> Any:
        """One column's value, converted by its field as the model would hold it."""
        column = self._model_class._meta.fields_db_projection[name]
        return self._model_class._meta.fields_map[name].to_python_value(self._row[f"{self._alias}__{column}"])

    @property
    def id(self) -> int:
        return int(self._row[f"{self._alias}__id"])

    @property
    def status(self) -> ItemStatus:
        return ItemStatus(self._row[f"{self._alias}__status"])

    @property
    def updated_at(self) -> datetime:
        return self.value("updated_at")  # type: ignore[no-any-return]

    def model(self) -> M:
        """The row's model instance, built once."""
        if self._built is None:
            self._built = _built(self._model_class, self._row, self._alias)
        return self._built


class ProjectRow(ItemRow[Project]):
    """The open item's project as read."""

    __slots__ = ()

    @property
    def owner_id(self) -> int:
        return int(self._row["p__owner_id"])

    @property
    def office_id(self) -> int:
        return int(self._row["p__office_id"])


class ReportRow(ItemRow[QuarterReport]):
    """The open report as read."""

    __slots__ = ()

    @property
    def project_id(self) -> int:
        return int(self._row["r__project_id"])

    @property
    def fiscal_year(self) -> int:
        return int(self._row["r__fiscal_year"])

    @property
    def quarter(self) -> int:
        return int(self._row["r__quarter"])


class _Kept(Generic[M]):
    """Rows of one table a turn read, by id: a model, or a row read with the open item (its model built when
    asked for)."""

    __slots__ = ("_rows",)

    def __init__(self) -> None:
        self._rows: dict[int, M | ItemRow[M]] = {}

    def keep(self, key: int, row: M | ItemRow[M]) -> None:
        self._rows[key] = row

    def get(self, key: int) -> M | None:
        """The row's model, or None when the turn did not read it."""
        row = self._rows.get(key)
        return row.model() if isinstance(row, ItemRow) else row

    def held(self, key: int) -> M | ItemRow[M] | None:
        """What the turn read of the row, its model not built for it."""
        return self._rows.get(key)

    def ids(self) -> list[int]:
        return list(self._rows)


@dataclass(slots=True)
class TurnReads:
    """The open item's rows as this turn's transaction read them before the engine ran (and those a quarter list
    read, the report opened next is among them): the loads and the effects use these instead of reading them
    again. Only for one turn (the next reads afresh)."""

    projects: _Kept[Project] = field(default_factory=_Kept)
    reports: _Kept[QuarterReport] = field(default_factory=_Kept)
    windows: dict[tuple[int, FiscalQuarter], WindowRows] = field(default_factory=dict)  # by office and quarter
    reported: set[int] = field(default_factory=set)  # projects whose every report this turn read (and kept)

    def saw(self, row: Project | QuarterReport | ProjectRow | ReportRow) -> None:
        """Keep a row this turn read."""
        if isinstance(row, Project | ProjectRow):
            self.projects.keep(row.id, row)
        else:
            self.reports.keep(row.id, row)

    def report_of(self, project_id: int, period: FiscalQuarter) -> QuarterReport | None:
        """The project's report of the quarter among those kept (None: none kept; it has none when the turn read
        every report of the project, ``reported``)."""
        for key in self.reports.ids():
            held = self.reports.held(key)
            if isinstance(held, QuarterReport | ReportRow) and (held.project_id, held.fiscal_year, held.quarter) == (
                    project_id, period.fiscal_year, period.quarter):
                return self.reports.get(key)
        return None

    def project_row(self, project_id: int) -> Project | ProjectRow | None:
        """The project as the turn read it (its owner, office and status), without building its model."""
        held = self.projects.held(project_id)
        return held if isinstance(held, Project | ProjectRow) else None

    def saw_window(self, office_id: int, period: FiscalQuarter, rows: WindowRows) -> None:
        """Keep an office's quarter's window rows as this turn read them."""
        self.windows[(office_id, period)] = rows


async def open_turn(connection: BaseDBAsyncClient, platform: Platform, user_ref: str, display_name: str,
                    now: datetime, live_chat: int | None = None) -> TurnRows:
    """Mark the account seen (creating it on first contact) and read everything the turn starts from; with
    ``live_chat``, that Telegram chat's live question too."""
    marks = placeholders(connection, 3)
    touched = await connection.execute_query_dict(
        f"UPDATE chat_account SET last_seen_at = {marks[0]}, active = TRUE WHERE platform = {marks[1]} "
        f"AND external_id = {marks[2]} RETURNING id", [now, platform.value, user_ref])
    created = False
    if touched:
        account_id = int(touched[0]["id"])
    else:  # first contact: rare, so the ORM's get_or_create settles a race with another process
        account, created = await ChatAccount.get_or_create(
            platform=platform, external_id=user_ref, defaults={"display_name": display_name[:255],
                                                               "last_seen_at": now}, using_db=connection)
        account_id = account.id
    if live_chat is None:
        rows = await connection.execute_query_dict(_open_sql(placeholders(connection, 1)[0]), [account_id])
    else:
        live_mark, mark = placeholders(connection, 2)  # the join's parameter comes first in the statement
        rows = await connection.execute_query_dict(_open_sql(mark, live_mark), [live_chat, account_id])
    row = rows[0]
    user = _model(User, row, "u")
    live = None if row.get("l__id") is None else LiveMessage(int(row["l__message_id"]), row["l__text"],
                                                              row["l__prompt"])
    office = None if row["o__id"] is None else OfficeRow(int(row["o__id"]), row["o__name"], row["o__province"])
    session = None if row["s__id"] is None else SessionRow(
        int(row["s__id"]), _session_state(row["s__state"]), int(row["s__row_version"]))
    return TurnRows(account_id=account_id, created=created, user=user, office=office, session=session,
                    notified=bool(row["notified"]) and user is not None, live=live, row=row)


def _session_state(stored: Any) -> dict[str, Any]:
    """The session's state as its JSON field reads it."""
    return ConversationSession._meta.fields_map["state"].to_python_value(stored)  # type: ignore[no-any-return]


def _model(model: type[M], row: dict[str, Any], alias: str) -> M | None:
    """The joined table's model instance, or None when the outer join found no row."""
    return None if row[f"{alias}__id"] is None else _built(model, row, alias)


def _built(model: type[M], row: dict[str, Any], alias: str) -> M:
    prefix = f"{alias}__"
    return model._init_from_db(**{column: row[prefix + column] for column in model._meta.db_fields})


@functools.cache
def _item_sql(postgres: bool) -> str:
    """The open item's SELECT: its project, the report when one is open (else the report's columns are NULL), and
    the report's quarter's configured window and the office's lock exception, which a save checks (NULL: none)."""
    marks = [f"${number}" for number in range(1, 7)] if postgres else ["?"] * 6
    columns = ", ".join(f'{alias}."{column}" AS {alias}__{column}' for alias, model in (("p", Project),
                                                                                          ("r", QuarterReport))
                        for column in model._meta.db_fields)
    return (f"SELECT {columns}, w.opens_on AS w__opens_on, w.due_on AS w__due_on, w.locks_on AS w__locks_on, "
            f"e.until AS e__until FROM project p LEFT JOIN quarter_report r ON r.id = {marks[0]} "
            f"AND r.project_id = p.id LEFT JOIN reporting_window w ON w.fiscal_year = {marks[1]} "
            f"AND w.quarter = {marks[2]} LEFT JOIN window_exception e ON e.office_id = p.office_id "
            f"AND e.fiscal_year = {marks[3]} AND e.quarter = {marks[4]} WHERE p.id = {marks[5]}")


async def item_rows(project_id: int, report_id: int | None, period: FiscalQuarter | None = None
                    ) -> tuple[ProjectRow | None, ReportRow | None, WindowRows | None]:
    """The open item's project and report (None when gone) and, given the report's quarter, its window rows (as
    ``models.windows.reporting_state`` takes them), in one statement of the turn's transaction."""
    connection = Project._meta.db
    year, quarter = (period.fiscal_year, period.quarter) if period is not None else (None, None)
    rows = await connection.execute_query_dict(_item_sql(is_postgres(connection)),
                                               [report_id, year, quarter, year, quarter, project_id])
    if not rows:
        return None, None, None
    row = rows[0]
    window = (window_rows(row["w__opens_on"], row["w__due_on"], row["w__locks_on"], row["e__until"])
              if period is not None else None)
    report = None if row["r__id"] is None else ReportRow(QuarterReport, row, "r")
    return ProjectRow(Project, row, "p"), report, window


async def save_session(session: SessionRow, state: dict[str, Any], now: datetime) -> bool:
    """Write the concluded state over the version this turn read, in the turn's transaction (the one the ORM
    uses in this task); False when another writer got there first."""
    connection = ConversationSession._meta.db
    marks = placeholders(connection, 6)
    updated, _ = await connection.execute_query(
        f"UPDATE conversation_session SET state = {marks[0]}, flow_id = {marks[1]}, "
        f"row_version = {marks[2]}, updated_at = {marks[3]} WHERE id = {marks[4]} AND row_version = {marks[5]}",
        [JSON_DUMPS(state), str(state.get("flow", "")), session.row_version + 1, now, session.id,
         session.row_version])
    return updated == 1
