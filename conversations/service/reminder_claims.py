"""Claiming reminders before sending them and recording what became of them, safe across processes.

A reminder is claimed by inserting its delivery row (unique on recipient, kind, fiscal year, quarter and
subject) under this run's claim id; a row already there belongs to whoever inserted it. A claim that was
never recorded (the process died between claiming and recording, or the send failed for now) may be
taken over once its ``retry_at`` has passed, by one conditional update that only one process can win.
So a reminder is never sent twice in normal operation, and a crash may repeat one but never drops it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F, Q

from conversations.oversight.reminder_plan import DueReminder, Key
from models.enums import DeliveryStatus, Platform
from models.runtime import Notification, ReminderDelivery

LEASE = timedelta(minutes=5)  # a claim not recorded by then is presumed lost with its process
RETRY_FIRST = timedelta(minutes=2)  # after a failed send; doubles with each attempt
RETRY_LONGEST = timedelta(hours=2)
MAX_ATTEMPTS = 8  # then the delivery is recorded as failed and no longer tried
KEYS_PER_QUERY = 500  # recipients and subjects of one lookup (PostgreSQL takes at most 32,767 parameters)
FINAL = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)
_COLUMNS = ("id", "recipient_id", "kind", "fiscal_year", "quarter", "subject", "status", "retry_at", "claim",
            "attempts")


@dataclass(frozen=True, slots=True)
class Claimed:
    """A reminder this run holds: its delivery row and how many times it has been tried (this one included)."""

    delivery_id: int
    reminder: DueReminder
    attempts: int


def _key(row: dict[str, Any]) -> Key:
    return (int(str(row["recipient_id"])), str(row["kind"]), int(str(row["fiscal_year"])), int(str(row["quarter"])),
            str(row["subject"]))


async def _rows(reminders: Sequence[DueReminder]) -> list[dict[str, Any]]:
    """The delivery rows of these reminders' keys (and perhaps a few more, filtered by the caller)."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(reminders), KEYS_PER_QUERY):
        part = reminders[start:start + KEYS_PER_QUERY]
        rows += await ReminderDelivery.filter(recipient_id__in=list({reminder.recipient_id for reminder in part}),
                                              subject__in=list({reminder.subject for reminder in part})
                                              ).values(*_COLUMNS)
    return rows


async def settled(reminders: Sequence[DueReminder], now: datetime | None = None) -> set[Key]:
    """Keys already delivered (or given up); with ``now``, also those held by a claim that has not lapsed."""
    wanted = {reminder.key for reminder in reminders}
    return {_key(row) for row in await _rows(reminders) if _key(row) in wanted and (
        row["status"] in FINAL or (now is not None and row["retry_at"] is not None and row["retry_at"] > now))}


def _lapsed(row: dict[str, Any], now: datetime) -> bool:
    return bool(row["status"] == DeliveryStatus.CLAIMED and (row["retry_at"] is None or row["retry_at"] <= now))


async def claim(reminders: Sequence[DueReminder], run: str, now: datetime, lease: timedelta = LEASE
                ) -> list[Claimed]:
    """Claim what nobody holds: insert new rows, take over lapsed claims; return what this run holds.

    A lapsed claim that has been tried :data:`MAX_ATTEMPTS` times is given up (failed) instead: a message
    that kills its process every time must not be sent forever.
    """
    by_key = {reminder.key: reminder for reminder in reminders}
    existing = {_key(row): row for row in await _rows(reminders) if _key(row) in by_key}
    fresh = [ReminderDelivery(recipient_id=reminder.recipient_id, kind=reminder.kind,
                              fiscal_year=reminder.fiscal_year, quarter=reminder.quarter, subject=reminder.subject,
                              status=DeliveryStatus.CLAIMED, attempts=1, claimed_at=now, claim=run,
                              retry_at=now + lease)
             for key, reminder in by_key.items() if key not in existing]
    if fresh:
        await ReminderDelivery.bulk_create(fresh, ignore_conflicts=True)  # another process may insert some first
    lapsed = [row for row in existing.values() if _lapsed(row, now)]
    lapsed_now = Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    spent = [int(row["id"]) for row in lapsed if int(row["attempts"]) >= MAX_ATTEMPTS]
    if spent:
        await ReminderDelivery.filter(lapsed_now, id__in=spent, status=DeliveryStatus.CLAIMED).update(
            status=DeliveryStatus.FAILED, retry_at=None, last_error=f"given up after {MAX_ATTEMPTS} attempts")
    retry = [int(row["id"]) for row in lapsed if int(row["attempts"]) < MAX_ATTEMPTS]
    if retry:
        await ReminderDelivery.filter(lapsed_now, id__in=retry, status=DeliveryStatus.CLAIMED).update(
            claim=run, claimed_at=now, retry_at=now + lease, attempts=F("attempts") + 1)
    held = [row for row in await _rows(reminders) if row["claim"] == run and _key(row) in by_key
            and row["status"] == DeliveryStatus.CLAIMED]
    return [Claimed(int(row["id"]), by_key[_key(row)], int(row["attempts"])) for row in held]


async def extend(delivery_ids: Sequence[int], run: str, until: datetime) -> None:
    """Keep holding claims still being sent (a long chunk, a 429 storm), so that nobody takes them over."""
    if delivery_ids:
        await ReminderDelivery.filter(id__in=list(delivery_ids), claim=run, status=DeliveryStatus.CLAIMED).update(
            retry_at=until)


async def still_due(held: Sequence[Claimed], run: str) -> list[Claimed]:
    """The claims still to send: a notification stopped since it was planned (a take-back stopping the news of its
    submission) is dropped and its delivery recorded as skipped.

    Called after claiming, so that a take-back either sees the claim or has stopped the row before this reads it;
    the read goes through an update, which waits for a take-back that is stopping one of these rows right now.
    """
    notes = {claimed.reminder.notification_id: claimed for claimed in held
             if claimed.reminder.notification_id is not None}
    if not notes:
        return list(held)
    await Notification.filter(id__in=list(notes), shown_at__isnull=True).update(shown_at=None)
    due = {int(str(note)) for note in await Notification.filter(id__in=list(notes), shown_at__isnull=True
                                                                 ).values_list("id", flat=True)}
    stopped = [claimed.delivery_id for note, claimed in notes.items() if note not in due]
    if stopped:
        await ReminderDelivery.filter(id__in=stopped, claim=run, status=DeliveryStatus.CLAIMED).update(
            status=DeliveryStatus.SKIPPED, retry_at=None, last_error="no longer due")
    return [claimed for claimed in held
            if claimed.reminder.notification_id is None or claimed.reminder.notification_id in due]


@dataclass(slots=True)
class Outcomes:
    """What became of one batch of claims (filled in as each send finishes)."""

    sent: dict[int, Platform]
    skipped: dict[int, str]  # unreachable: blocked, unfollowed
    refused: dict[int, str]
    retry: dict[int, tuple[int, str]]  # delivery id -> (attempts so far, error)

    @classmethod
    def empty(cls) -> Outcomes:
        """Nothing recorded yet."""
        return cls({}, {}, {}, {})


def _grouped(errors: dict[int, str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for delivery_id, error in errors.items():
        groups.setdefault(error[:500], []).append(delivery_id)
    return groups


async def record(outcomes: Outcomes, run: str, notifications: Iterable[tuple[int, int]], now: datetime) -> None:
    """Write the outcomes of this run's claims (a claim taken over meanwhile is the other run's to record).

    ``notifications`` pairs delivery ids with the notification each pushed: a sent one is marked pushed
    and seen; one that can never be pushed (blocked, refused) is marked pushed, so it is shown at the
    recipient's next turn and no longer looked at by the loop.
    """
    ours = ReminderDelivery.filter(claim=run, status=DeliveryStatus.CLAIMED)
    by_platform: dict[Platform, list[int]] = {}
    for delivery_id, platform in outcomes.sent.items():
        by_platform.setdefault(platform, []).append(delivery_id)
    for platform, ids in by_platform.items():
        await ours.filter(id__in=ids).update(status=DeliveryStatus.SENT, sent_at=now, platform=platform,
                                             retry_at=None)
    for status, errors in ((DeliveryStatus.SKIPPED, outcomes.skipped), (DeliveryStatus.FAILED, outcomes.refused)):
        for error, ids in _grouped(errors).items():
            await ours.filter(id__in=ids).update(status=status, last_error=error, retry_at=None)
    again: dict[tuple[int, str], list[int]] = {}
    for delivery_id, (attempts, error) in outcomes.retry.items():
        again.setdefault((min(attempts, MAX_ATTEMPTS), error[:500]), []).append(delivery_id)
    for (attempts, error), ids in again.items():
        if attempts >= MAX_ATTEMPTS:
            await ours.filter(id__in=ids).update(status=DeliveryStatus.FAILED, last_error=error, retry_at=None)
        else:
            pause = min(RETRY_FIRST * 2 ** (attempts - 1), RETRY_LONGEST)
            await ours.filter(id__in=ids).update(retry_at=now + pause, last_error=error)
    pairs = list(notifications)
    seen = [note for delivery_id, note in pairs if delivery_id in outcomes.sent]
    if seen:
        await Notification.filter(id__in=seen, shown_at__isnull=True).update(pushed_at=now, shown_at=now)
    never = [note for delivery_id, note in pairs if delivery_id in outcomes.skipped or delivery_id in outcomes.refused]
    if never:
        await Notification.filter(id__in=never).update(pushed_at=now)
