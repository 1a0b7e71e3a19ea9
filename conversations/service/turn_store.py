"""The rows every turn reads and writes, in as few statements as the databases allow.

A turn opens with two statements: the chat account's row is marked seen (and active again) and hands back its
id — on PostgreSQL that update also locks the row, so one chat's turns run one at a time in every process — then
one SELECT reads the account with its person, their office, the conversation's session and whether notifications
wait for them (and, for a Telegram chat, the message carrying its live question's buttons, which the channel
needs once the replies are out: a statement of its own before). It closes with the session written back by its
row version. The rows come back as the ORM's model instances, built from the row the way tortoise builds them, so
the rest of the service works with them unchanged; the SQL is written out once here instead of being built by the
ORM on every turn.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields.data import JSON_DUMPS
from tortoise.models import Model

from models.enums import Platform
from models.fiscal import FiscalQuarter
from models.live_questions import LiveMessage
from models.org import ChatAccount, Office, User
from models.project import Project
from models.report import QuarterReport
from models.runtime import ConversationSession
from models.sql import is_postgres, placeholders
from models.windows import WindowRows, window_rows

M = TypeVar("M", bound=Model)
_TABLES: tuple[tuple[str, type[Model]], ...] = (
    ("a", ChatAccount), ("u", User), ("o", Office), ("s", ConversationSession))


@functools.cache
def _open_sql(mark: str, live_mark: str | None = None) -> str:
    """The opening SELECT, written once per process (the models' columns are known only once tortoise is up);
    with ``live_mark``, the Telegram chat's live question too (at most one row: ``chat_id`` is unique)."""
    columns = ", ".join(f'{alias}."{column}" AS {alias}__{column}' for alias, model in _TABLES
                        for column in model._meta.db_fields)
    live_columns = ', l.id AS l__id, l.message_id AS l__message_id, l."text" AS l__text, l.prompt AS l__prompt'
    live_join = f" LEFT JOIN telegram_live_question l ON l.chat_id = {live_mark}"
    return (f"SELECT {columns}{live_columns if live_mark else ''}, EXISTS (SELECT 1 FROM notification n "
            "WHERE n.recipient_id = a.user_id AND n.shown_at IS NULL) AS notified FROM chat_account a "
            "LEFT JOIN app_user u ON u.id = a.user_id LEFT JOIN office o ON o.id = u.office_id "
            f"LEFT JOIN conversation_session s ON s.chat_account_id = a.id{live_join if live_mark else ''} "
            f"WHERE a.id = {mark}")


@dataclass(frozen=True, slots=True)
class TurnRows:
    """What a turn starts from: the account, its person (None until linked) and their office, the session (None
    before the first conversation), and whether notifications wait to be shown."""

    account: ChatAccount
    created: bool
    user: User | None
    office: Office | None
    session: ConversationSession | None
    notified: bool
    live: LiveMessage | None = None  # the Telegram chat's live question, when it was asked for and is noted


@dataclass(slots=True)
class TurnReads:
    """The open item's rows as this turn's transaction read them before the engine ran: the effects write to
    these instead of reading them again. Only for one turn (the next reads afresh)."""

    projects: dict[int, Project] = field(default_factory=dict)
    reports: dict[int, QuarterReport] = field(default_factory=dict)
    windows: dict[tuple[int, FiscalQuarter], WindowRows] = field(default_factory=dict)  # by office and quarter

    def saw(self, row: Project | QuarterReport) -> None:
        """Keep a row this turn read."""
        if isinstance(row, Project):
            self.projects[row.id] = row
        else:
            self.reports[row.id] = row

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
    return TurnRows(account=_built(ChatAccount, row, "a"), created=created, user=user,
                    office=_model(Office, row, "o"), session=_model(ConversationSession, row, "s"),
                    notified=bool(row["notified"]) and user is not None, live=live)


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
                    ) -> tuple[Project | None, QuarterReport | None, WindowRows | None]:
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
    return _built(Project, row, "p"), _model(QuarterReport, row, "r"), window


async def save_session(session: ConversationSession, state: dict[str, Any], now: datetime) -> bool:
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
