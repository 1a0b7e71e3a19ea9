"""The inbox's rows: storing received events, claiming each chat's next one, and recording what became of it.

Receiving is one short transaction per webhook (or poll): the events are inserted, a redelivered or replayed one
is dropped by the unique (platform, event id), and only then is the platform told it arrived. Handling claims
the *head* of each chat — its oldest event not yet finished — so one person's events are handled one after
another in the order they came, while different people's go side by side, in any number of processes: a claim
is a conditional update that only one process can win, held for a lease that the holder renews while it works.
A claim that lapses (its process died) is taken over. Only the holder of a claim records an outcome.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F, Q
from tortoise.functions import Count, Min
from tortoise.transactions import in_transaction

from models.enums import InboxStatus, Platform
from models.inbox import InboxEvent, OutboxReply

log = logging.getLogger(__name__)
UNFINISHED = (InboxStatus.PENDING, InboxStatus.REPLYING)
KEPT_FOR = timedelta(days=7)  # finished events are remembered this long, to drop a late redelivery
ERROR_CHARS = 2000


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


def encode_payload(payload: dict[str, Any]) -> str:
    """JSON with every non-ASCII character escaped: a NUL or a lone surrogate a person typed is stored as
    ``\\u0000`` text, which every database takes (PostgreSQL refuses a NUL in text and in jsonb)."""
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":"))


async def receive(events: Sequence[Received], now: datetime) -> None:
    """Store the events in one statement; one already there (a redelivery, a replay) is left as it is."""
    if not events:
        return
    rows = [InboxEvent(platform=event.platform, chat_ref=event.chat_ref[:128], event_id=event.event_id[:128],
                       payload=encode_payload(event.payload), received_at=now, available_at=now)
            for event in events]
    await InboxEvent.bulk_create(rows, ignore_conflicts=True)


def new_claim(worker: str) -> str:
    """A claim id unique to one claiming round of one worker."""
    return f"{worker}/{uuid.uuid4().hex[:12]}"


async def claim(worker: str, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    """Claim up to ``limit`` chat heads that are due and not held by a live claim; return what this round won.

    Two processes that pick the same head both run the conditional update; the second one's finds the claim
    already taken (PostgreSQL re-reads a row it waited for) and changes nothing.
    """
    heads = await (InboxEvent.filter(status__in=UNFINISHED).annotate(head=Min("id"))
                   .group_by("platform", "chat_ref").values_list("head", flat=True))
    if not heads:
        return []
    due = await (InboxEvent.filter(id__in=list(heads), available_at__lte=now)
                 .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
                 .order_by("id").limit(limit).values_list("id", flat=True))
    if not due:
        return []
    token = new_claim(worker)
    await (InboxEvent.filter(id__in=list(due), status__in=UNFINISHED)
           .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
           .update(claimed_by=token, claimed_until=now + lease, claims=F("claims") + 1))
    won = await InboxEvent.filter(id__in=list(due), claimed_by=token).order_by("id")
    return [Claimed(id=row.id, claim=token, platform=row.platform, chat_ref=row.chat_ref, event_id=row.event_id,
                    payload=json.loads(row.payload), status=row.status, received_at=row.received_at,
                    claims=row.claims, failures=row.failures, delivery_failures=row.delivery_failures,
                    set_aside=row.set_aside) for row in won]


async def renew(claims: Sequence[tuple[int, str]], until: datetime) -> None:
    """Extend the leases of the rows still being worked on."""
    for token in {token for _, token in claims}:
        ids = [row_id for row_id, held in claims if held == token]
        await InboxEvent.filter(id__in=ids, claimed_by=token).update(claimed_until=until)


async def release(claims: Sequence[tuple[int, str]], available_at: datetime) -> None:
    """Give rows back untouched (an outage, or a shutdown), to be claimed again from ``available_at``."""
    for row_id, token in claims:
        await InboxEvent.filter(id=row_id, claimed_by=token).update(claimed_until=None, available_at=available_at)


async def finish(item: Claimed, now: datetime, error: str = "") -> bool:
    """Its replies went out (or were given up): the chat's next event may go. False when the claim was lost."""
    status = InboxStatus.SET_ASIDE if item.set_aside else InboxStatus.DONE
    async with in_transaction():
        done = await InboxEvent.filter(id=item.id, claimed_by=item.claim).update(
            status=status, finished_at=now, claimed_until=None,
            **({"last_error": error[:ERROR_CHARS]} if error else {}))
        if done and not error:
            await OutboxReply.filter(inbox_id=item.id).update(sent_at=now)
    return bool(done)


async def failed(item: Claimed, error: str, available_at: datetime) -> None:
    """Its turn failed with an error that is not an outage: counted, and tried again from ``available_at``."""
    await InboxEvent.filter(id=item.id, claimed_by=item.claim).update(
        failures=F("failures") + 1, last_error=error[:ERROR_CHARS], available_at=available_at, claimed_until=None)


async def delivery_failed(item: Claimed, error: str, available_at: datetime) -> None:
    """Its replies could not be sent this time: counted, and sent again from ``available_at``."""
    await InboxEvent.filter(id=item.id, claimed_by=item.claim).update(
        delivery_failures=F("delivery_failures") + 1, last_error=error[:ERROR_CHARS], available_at=available_at,
        claimed_until=None)


async def unfinished() -> int:
    """Events whose turn or replies are still to come, over every process."""
    return await InboxEvent.filter(status__in=UNFINISHED).count()


async def prune(now: datetime) -> int:
    """Forget finished events old enough that no platform redelivers them."""
    return await InboxEvent.filter(status__in=(InboxStatus.DONE, InboxStatus.SET_ASIDE),
                                   finished_at__lt=now - KEPT_FOR).delete()


async def reachable() -> bool:
    """Whether the database answers a query at all (a failed turn with a healthy database is not an outage)."""
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
    rows = await InboxEvent.all().group_by("status").annotate(count=Count("id")).values_list("status", "count")
    found = {InboxStatus(status): int(count) for status, count in rows}
    return {status: found.get(status, 0) for status in InboxStatus}


async def set_aside_events(limit: int = 50) -> list[SetAside]:
    """The latest events set aside, newest first."""
    rows = await InboxEvent.filter(status=InboxStatus.SET_ASIDE).order_by("-id").limit(limit)
    return [SetAside(row.id, row.platform, row.chat_ref, row.event_id, row.received_at, row.failures,
                     row.last_error) for row in rows]
