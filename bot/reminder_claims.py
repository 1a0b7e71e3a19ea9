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

from tortoise.expressions import F

from conversations.reminder_plan import DueReminder, Key
from models.enums import DeliveryStatus, Platform
from models.runtime import Notification, ReminderDelivery

LEASE = timedelta(minutes=5)  # a claim not recorded by then is presumed lost with its process
RETRY_FIRST = timedelta(minutes=2)  # after a failed send; doubles with each attempt
RETRY_LONGEST = timedelta(hours=2)
MAX_ATTEMPTS = 8  # then the delivery is recorded as failed and no longer tried
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
    recipients = list({reminder.recipient_id for reminder in reminders})
    subjects = list({reminder.subject for reminder in reminders})
    return await ReminderDelivery.filter(recipient_id__in=recipients, subject__in=subjects).values(*_COLUMNS)


async def settled(reminders: Sequence[DueReminder], now: datetime | None = None) -> set[Key]:
    """Keys already delivered (or given up); with ``now``, also those held by a claim that has not lapsed."""
    wanted = {reminder.key for reminder in reminders}
    return {_key(row) for row in await _rows(reminders) if _key(row) in wanted and (
        row["status"] in FINAL or (now is not None and row["retry_at"] is not None and row["retry_at"] > now))}


async def claim(reminders: Sequence[DueReminder], run: str, now: datetime, lease: timedelta = LEASE
                ) -> list[Claimed]:
    """Claim what nobody holds: insert new rows, take over lapsed claims; return what this run holds."""
    by_key = {reminder.key: reminder for reminder in reminders}
    existing = {_key(row): row for row in await _rows(reminders) if _key(row) in by_key}
    fresh = [ReminderDelivery(recipient_id=reminder.recipient_id, kind=reminder.kind,
                              fiscal_year=reminder.fiscal_year, quarter=reminder.quarter, subject=reminder.subject,
                              status=DeliveryStatus.CLAIMED, attempts=1, claimed_at=now, claim=run,
                              retry_at=now + lease)
             for key, reminder in by_key.items() if key not in existing]
    if fresh:
        await ReminderDelivery.bulk_create(fresh, ignore_conflicts=True)  # another process may insert some first
    lapsed = [int(str(row["id"])) for row in existing.values()
              if row["status"] == DeliveryStatus.CLAIMED and (row["retry_at"] is None or row["retry_at"] <= now)]
    if lapsed:
        await ReminderDelivery.filter(id__in=lapsed, status=DeliveryStatus.CLAIMED, retry_at__lte=now).update(
            claim=run, claimed_at=now, retry_at=now + lease, attempts=F("attempts") + 1)
    held = [row for row in await _rows(reminders) if row["claim"] == run and _key(row) in by_key
            and row["status"] == DeliveryStatus.CLAIMED]
    return [Claimed(int(str(row["id"])), by_key[_key(row)], int(str(row["attempts"]))) for row in held]


@dataclass(slots=True)
class Outcomes:
    """What became of one batch of claims."""

    sent: dict[int, Platform]
    skipped: dict[int, str]  # unreachable: blocked, unfollowed
    refused: dict[int, str]
    retry: dict[int, tuple[int, str]]  # delivery id -> (attempts so far, error)

    @classmethod
    def empty(cls) -> Outcomes:
        """Nothing recorded yet."""
        return cls({}, {}, {}, {})


async def record(outcomes: Outcomes, notifications: Iterable[tuple[int, int]], now: datetime) -> None:
    """Write the outcomes; mark pushed notifications (``(delivery id, notification id)``) as pushed and seen."""
    by_platform: dict[Platform, list[int]] = {}
    for delivery_id, platform in outcomes.sent.items():
        by_platform.setdefault(platform, []).append(delivery_id)
    for platform, ids in by_platform.items():
        await ReminderDelivery.filter(id__in=ids).update(status=DeliveryStatus.SENT, sent_at=now, platform=platform,
                                                         retry_at=None)
    for status, errors in ((DeliveryStatus.SKIPPED, outcomes.skipped), (DeliveryStatus.FAILED, outcomes.refused)):
        for delivery_id, error in errors.items():
            await ReminderDelivery.filter(id=delivery_id).update(status=status, last_error=error[:500], retry_at=None)
    for delivery_id, (attempts, error) in outcomes.retry.items():
        if attempts >= MAX_ATTEMPTS:
            await ReminderDelivery.filter(id=delivery_id).update(status=DeliveryStatus.FAILED, last_error=error[:500],
                                                                 retry_at=None)
        else:
            pause = min(RETRY_FIRST * 2 ** (attempts - 1), RETRY_LONGEST)
            await ReminderDelivery.filter(id=delivery_id).update(retry_at=now + pause, last_error=error[:500])
    pushed = [notification_id for delivery_id, notification_id in notifications if delivery_id in outcomes.sent]
    if pushed:
        await Notification.filter(id__in=pushed, shown_at__isnull=True).update(pushed_at=now, shown_at=now)
