"""The inbox's rows: storing received events, claiming each chat's next one, and recording what became of it.

Receiving is one statement per webhook (or poll): the events are inserted, a redelivered or replayed one is dropped
by the unique (platform, event id), and only then is the platform told they arrived. Handling claims the *head*
of each chat — its oldest event not yet finished — so one person's events are handled one after another in the
order they were stored, while different people's go side by side, in any number of processes: a claim is one
conditional update that only one process can win, held for a lease that the holder renews while it works. A
claim that lapses (its process died) is taken over. Only the holder of a claim records an outcome, and every
outcome ends the claim (``claimed_by`` is cleared), so a late renewal cannot bring it back.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from models.enums import InboxStatus, Platform
from models.inbox import InboxEvent
from models.sql import is_postgres, placeholders

UNFINISHED = (InboxStatus.PENDING, InboxStatus.REPLYING)
KEPT_FOR = timedelta(days=7)  # finished events are remembered this long, to drop a late redelivery
ERROR_CHARS = 2000
_COLUMNS = ("id, platform, chat_ref, event_id, payload, status, received_at, claims, failures, delivery_failures, "
            "set_aside")


@dataclass(frozen=True, slots=True)
class Received:
    """An event as a channel hands it in: who wrote, the platform's id of the event, and the event itself."""

    platform: Platform
    chat_ref: str
    event_id: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Claimed:
    """An inbox row this process holds: ``claim`` must be shown to record anything about it."""

    id: int
    claim: str
    platform: Platform
    chat_ref: str
    event_id: str
    payload: dict[str, Any]
    status: InboxStatus
    received_at: datetime
    claims: int
    failures: int
    delivery_failures: int
    set_aside: bool

    @property
    def handled(self) -> bool:
        """Whether its turn is already stored (only its replies are left to send)."""
        return self.status is InboxStatus.REPLYING

    @property
    def held(self) -> tuple[int, str]:
        """The row and the claim on it."""
        return self.id, self.claim


def encode_payload(payload: dict[str, Any]) -> str:
    """JSON with every non-ASCII character escaped: a NUL or a lone surrogate a person typed is stored as
    ``\\u0000`` text, which every database takes (PostgreSQL refuses a NUL in text and in jsonb)."""
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":"))


def _db() -> BaseDBAsyncClient:
    return InboxEvent._meta.db


async def receive(events: Sequence[Received], now: datetime) -> None:
    """Store the events in one statement; one already there (a redelivery, a replay) is left as it is."""
    if not events:
        return
    connection = _db()
    rows: list[str] = []
    values: list[Any] = []
    for event in events:
        rows.append(f"({', '.join(placeholders(connection, 6, len(values) + 1))}, 'pending', '', 0, 0, 0, FALSE, '')")
        values += [event.platform.value, event.chat_ref[:128], event.event_id[:128], encode_payload(event.payload),
                   now, now]
    await connection.execute_query(
        "INSERT INTO inbox_event (platform, chat_ref, event_id, payload, received_at, available_at, status, "
        "claimed_by, claims, failures, delivery_failures, set_aside, last_error) VALUES "
        f"{', '.join(rows)} ON CONFLICT (platform, event_id) DO NOTHING", values)


def new_claim(worker: str) -> str:
    """A claim id unique to one claiming round of one worker."""
    return f"{worker}/{uuid.uuid4().hex[:12]}"


async def claim(worker: str, now: datetime, lease: timedelta, limit: int, busy: Sequence[int] = ()) -> list[Claimed]:
    """Claim up to ``limit`` chat heads that are due and not held by a live claim (nor among ``busy``, the rows this
    worker is still on); return what this round won. ``claims`` counts only takeovers of a lapsed claim.

    One statement: two processes that pick the same head cannot both win it (PostgreSQL locks the candidates and
    skips those another is taking; SQLite writes one at a time).
    """
    connection = _db()
    token = new_claim(worker)
    marks = placeholders(connection, 5 + len(busy))
    skip = f"AND e.id NOT IN ({', '.join(marks[5:])}) " if busy else ""
    lock = "FOR UPDATE SKIP LOCKED" if is_postgres(connection) else ""
    sql = (f"UPDATE inbox_event SET claimed_by = {marks[0]}, claimed_until = {marks[1]}, "
           "claims = claims + CASE WHEN claimed_until IS NULL THEN 0 ELSE 1 END "
           "WHERE id IN (SELECT e.id FROM inbox_event e WHERE e.id IN (SELECT MIN(id) FROM inbox_event "
           "WHERE status IN ('pending', 'replying') GROUP BY platform, chat_ref) "
           "AND e.status IN ('pending', 'replying') "
           f"AND e.available_at <= {marks[2]} AND (e.claimed_until IS NULL OR e.claimed_until <= {marks[3]}) "
           f"{skip}ORDER BY e.id LIMIT {marks[4]} {lock}) "
           f"RETURNING {_COLUMNS}")
    rows = await connection.execute_query_dict(sql, [token, now + lease, now, now, limit, *busy])  # with RETURNING
    won = [_claimed(row, token) for row in rows]
    return sorted(won, key=lambda item: item.id)


def _claimed(row: dict[str, Any], token: str) -> Claimed:
    received = row["received_at"]
    if isinstance(received, str):  # SQLite hands a RETURNING column back as it is stored
        received = datetime.fromisoformat(received)
    return Claimed(id=int(row["id"]), claim=token, platform=Platform(row["platform"]), chat_ref=str(row["chat_ref"]),
                   event_id=str(row["event_id"]), payload=json.loads(row["payload"]),
                   status=InboxStatus(row["status"]), received_at=received, claims=int(row["claims"]),
                   failures=int(row["failures"]), delivery_failures=int(row["delivery_failures"]),
                   set_aside=bool(row["set_aside"]))


async def store_replies(item: Claimed, replies: str, connection: BaseDBAsyncClient, *,
                        set_aside: str | None = None) -> bool:
    """Within the turn's transaction, its last write: mark the event handled with its replies; False when this
    claim no longer holds it (the turn must then be rolled back). ``set_aside`` gives up on it, saying why."""
    if set_aside is not None:
        marked = await InboxEvent.filter(id=item.id, claimed_by=item.claim, status=InboxStatus.PENDING).using_db(
            connection).update(status=InboxStatus.REPLYING, replies=replies, set_aside=True,
                               last_error=set_aside[:ERROR_CHARS])
        return bool(marked)
    marks = placeholders(connection, 3)  # every turn: one statement written out, not built by the ORM each time
    marked, _ = await connection.execute_query(
        f"UPDATE inbox_event SET status = 'replying', replies = {marks[0]} WHERE id = {marks[1]} "
        f"AND claimed_by = {marks[2]} AND status = 'pending'", [replies, item.id, item.claim])
    return bool(marked)


async def stored_replies(item: Claimed) -> str | None:
    """The replies a stored turn left to send."""
    values = await InboxEvent.filter(id=item.id).values_list("replies", flat=True)
    return str(values[0]) if values and values[0] is not None else None


async def renew(held: Sequence[tuple[int, str]], until: datetime) -> None:
    """Extend the leases of the rows still being worked on (a claim already ended stays ended)."""
    for token in {token for _, token in held}:
        ids = [row_id for row_id, claim in held if claim == token]
        await InboxEvent.filter(id__in=ids, claimed_by=token, claimed_until__isnull=False).update(claimed_until=until)


async def release(held: Sequence[tuple[int, str]], available_at: datetime) -> None:
    """Give rows back untouched (an outage, or a shutdown), to be claimed again from ``available_at``."""
    for row_id, token in held:
        await InboxEvent.filter(id=row_id, claimed_by=token).update(claimed_by="", claimed_until=None,
                                                                     available_at=available_at)


async def finish(item: Claimed, now: datetime, error: str = "") -> bool:
    """Its replies went out (or were given up): the chat's next event may go, and the replies are forgotten.
    False when the claim was lost."""
    connection = _db()
    done, _ = await connection.execute_query(*finish_statement(item, now, connection, error))
    return bool(done)


def finish_statement(item: Claimed, now: datetime, connection: BaseDBAsyncClient, error: str = "", *,
                     first: int = 1) -> tuple[str, list[Any]]:
    """The UPDATE of :func:`finish` and its values, its marks numbered from ``first``: every turn runs it, written
    out once rather than built by the ORM, and :func:`finish_with` with a channel's write of its own."""
    status = InboxStatus.SET_ASIDE if item.set_aside else InboxStatus.DONE
    values: list[Any] = [status.value, now, *([error[:ERROR_CHARS]] if error else []), item.id, item.claim]
    marks = placeholders(connection, len(values), first)
    last_error = f", last_error = {marks[2]}" if error else ""
    return (f"UPDATE inbox_event SET status = {marks[0]}, finished_at = {marks[1]}, claimed_by = '', "
            f"claimed_until = NULL, replies = NULL{last_error} WHERE id = {marks[-2]} AND claimed_by = {marks[-1]}",
            values)


async def finish_with(item: Claimed, now: datetime, write: Callable[[bool, int], tuple[str, list[Any]]]) -> bool:
    """:func:`finish`, with a channel's own ``write`` in the same commit (a Telegram chat's live question, once the
    replies are out; see bot/inbox_finish.py): one statement on PostgreSQL (the write in a WITH), one transaction on
    SQLite. ``write`` gives its statement and values for PostgreSQL or not, its marks numbered from the one given.
    False when the claim was lost; the write goes in either way."""
    connection = _db()
    if is_postgres(connection):
        sql, values = write(True, 1)
        finishing, more = finish_statement(item, now, connection, first=len(values) + 1)
        rows = await connection.execute_query_dict(f"WITH alongside AS ({sql}) {finishing} RETURNING id",
                                                   [*values, *more])
        return bool(rows)
    async with in_transaction(connection.connection_name) as transaction:
        done, _ = await transaction.execute_query(*finish_statement(item, now, transaction))
        await transaction.execute_query(*write(False, 1))
    return bool(done)


async def failed(item: Claimed, error: str, available_at: datetime) -> None:
    """Its turn failed with an error that is not an outage: counted, and tried again from ``available_at``."""
    row = InboxEvent.filter(id=item.id, claimed_by=item.claim)
    await row.update(failures=item.failures + 1, last_error=error[:ERROR_CHARS], available_at=available_at,
                     claimed_by="", claimed_until=None)


async def delivery_failed(item: Claimed, error: str, available_at: datetime) -> None:
    """Its replies could not be sent this time: counted, and sent again from ``available_at``."""
    row = InboxEvent.filter(id=item.id, claimed_by=item.claim)
    await row.update(delivery_failures=item.delivery_failures + 1, last_error=error[:ERROR_CHARS],
                     available_at=available_at, claimed_by="", claimed_until=None)


async def status_of(item: Claimed) -> InboxStatus | None:
    """Where the event stands now (its turn may have been stored by a try that then failed)."""
    row = await InboxEvent.get_or_none(id=item.id).only("id", "status")
    return row.status if row is not None else None


async def unfinished() -> int:
    """Events whose turn or replies are still to come, over every process."""
    return await InboxEvent.filter(status__in=UNFINISHED).count()


async def prune(now: datetime) -> int:
    """Forget finished events old enough that no platform redelivers them."""
    return await InboxEvent.filter(status__in=(InboxStatus.DONE, InboxStatus.SET_ASIDE),
                                   finished_at__lt=now - KEPT_FOR).delete()


async def reachable() -> bool:
    """Whether the database answers a query at all (a failed turn with a healthy database is not an outage);
    raises when it does not."""
    await InboxEvent.filter(id=0).exists()
    return True


@dataclass(frozen=True, slots=True)
class SetAside:
    """An event whose turn kept failing, for an operator to look at."""

    id: int
    platform: Platform
    chat_ref: str
    event_id: str
    received_at: datetime
    failures: int
    last_error: str


async def counts() -> dict[InboxStatus, int]:
    """How many events stand where."""
    rows = await InboxEvent.all().group_by("status").annotate(count=Count("id")).values("status", "count")
    found = {InboxStatus(row["status"]): int(row["count"]) for row in rows}
    return {status: found.get(status, 0) for status in InboxStatus}


async def set_aside_events(limit: int = 50) -> list[SetAside]:
    """The latest events set aside, newest first."""
    rows = await InboxEvent.filter(status=InboxStatus.SET_ASIDE).order_by("-id").limit(limit)
    return [SetAside(row.id, row.platform, row.chat_ref, row.event_id, row.received_at, row.failures,
                     row.last_error) for row in rows]
