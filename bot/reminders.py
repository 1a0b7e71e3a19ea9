"""The reminder loop: on every tick, what is due (from the database), claimed once, sent on each person's
channel within the platforms' limits and our sending hours, and recorded.

It is an outbox worker, not a scheduler: nothing is kept in memory that a restart would lose. Each tick
recomputes the due reminders from the data (``conversations.oversight.reminder_plan``), claims them in
chunks (``conversations.service.reminder_claims``) and sends each chunk before claiming the next, so a claim is
never held longer than its lease. Several processes may run the loop against one PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.pushers import Pusher, Refused, SendFailed, Unreachable
from bot.sending_hours import SendingHours
from conversations.messages import Reply
from conversations.oversight.reminder_plan import DueReminder, Key, due_reminders
from conversations.oversight.reminder_stages import ReminderSchedule
from conversations.service import accounts
from conversations.service import reminder_claims as claims
from models.clock import Clock
from models.enums import Platform
from models.shared_files import forget_expired
from models.window_rules import ReportingPolicy

log = logging.getLogger(__name__)
CHUNK = 500  # reminders claimed, then sent, at a time
CONCURRENCY = 16  # people sent to at once per chunk (each person's in order); more only queues in the HTTP pool
CHUNKS_IN_FLIGHT = 2  # one chunk is claimed or recorded while the other is being sent
PRUNE_EVERY = timedelta(hours=1)
DONE_KEYS_KEPT = 200_000


@dataclass(frozen=True, slots=True)
class Target:
    """Where one person is reached."""

    platform: Platform
    external_id: str


@dataclass(slots=True)
class RunReport:
    """What one run did (``tidtam reminders run-once`` prints it)."""

    at: datetime
    due: int = 0
    sent: int = 0
    settled: int = 0  # sent before, or being sent by another process
    no_channel: int = 0  # nobody can be reached on a channel this process has
    blocked: int = 0
    refused: int = 0
    retry_later: int = 0
    deferred_until: datetime | None = None
    by_platform: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReminderOptions:
    """What the loop needs to know besides its pushers (from settings)."""

    schedule: ReminderSchedule = field(default_factory=ReminderSchedule)
    policy: ReportingPolicy = field(default_factory=ReportingPolicy)
    hours: SendingHours = field(default_factory=SendingHours)
    interval: float = 60.0
    concurrency: int = CONCURRENCY
    chunk: int = CHUNK
    lease: timedelta = claims.LEASE


class _Lease:
    """Keeps a chunk's claims held while it is being sent: renewed as sends finish and, in a stall (a 429
    storm, a slow platform), every third of the lease by a timer."""

    def __init__(self, loop: ReminderLoop, held: list[claims.Claimed], run: str) -> None:
        self.loop, self.run = loop, run
        self.ids = [claimed.delivery_id for claimed in held]
        self.renewed = loop.clock()
        self._busy = False

    async def touch(self) -> None:
        """After a send: renew when a third of the lease has passed (on the injected clock)."""
        if self.loop.clock() - self.renewed >= self.loop.options.lease / 3:
            await self.renew()

    async def renew(self) -> None:
        """Hold the claims for another lease from now."""
        if self._busy:
            return
        self._busy = True
        try:
            self.renewed = self.loop.clock()
            await claims.extend(self.ids, self.run, self.renewed + self.loop.options.lease)
        finally:
            self._busy = False

    async def keep(self) -> None:
        """Renew on a timer until cancelled."""
        while True:
            await asyncio.sleep(self.loop.options.lease.total_seconds() / 3)
            await self.renew()


class ReminderLoop:
    """Ticks on the injected clock's time; every run is safe to repeat and to race with another process."""

    def __init__(self, pushers: Sequence[Pusher], *, clock: Clock, options: ReminderOptions | None = None) -> None:
        self.pushers = {pusher.platform: pusher for pusher in pushers}
        self.clock = clock
        self.options = options or ReminderOptions()
        self._done: set[Key] = set()
        self._pruned_at: datetime | None = None
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Finish the chunks being sent (and record them), start no more, and end ``run_forever``."""
        self._stopping.set()

    async def run_forever(self) -> None:
        """Tick every ``interval`` seconds until stopped; a failed tick is logged and the next one tries again."""
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.options.interval)
            if self._stopping.is_set():
                return
            try:
                report = await self.run_once()
            except Exception:  # the database may be away for a moment: the next tick tries again
                log.exception("reminder run failed")
                continue
            if report.sent or report.retry_later or report.blocked or report.refused:
                log.info("reminders: %s", report)

    async def run_once(self, now: datetime | None = None) -> RunReport:
        """Send what is due now (or at ``now``), within the sending hours."""
        now = now or self.clock()
        report = RunReport(at=now)
        await self._prune(now)
        if not self.options.hours.allows(now):
            report.deferred_until = self.options.hours.next_allowed(now)
            return report
        due = [reminder for reminder in await due_reminders(now, self.options.schedule, self.options.policy,
                                                            working_day=self.options.hours.is_working_day)
               if reminder.key not in self._done]
        report.due = len(due)
        targets = await reachable({reminder.recipient_id for reminder in due},
                                  {platform: pusher.reaches for platform, pusher in self.pushers.items()})
        reachable_due = [reminder for reminder in due if reminder.recipient_id in targets]
        report.no_channel = len(due) - len(reachable_due)
        run = str(uuid.uuid4())
        gate = asyncio.Semaphore(CHUNKS_IN_FLIGHT)

        async def one(chunk: list[DueReminder]) -> None:
            async with gate:
                moment = self.clock()
                if self._stopping.is_set() or not self.options.hours.allows(moment):
                    report.deferred_until = report.deferred_until or self.options.hours.next_allowed(moment)
                    return
                await self._chunk(chunk, targets, run, report)

        await asyncio.gather(*(one(chunk) for chunk in by_person_chunks(reachable_due, self.options.chunk)))
        if len(self._done) > DONE_KEYS_KEPT:
            self._done.clear()
        return report

    async def _chunk(self, chunk: list[DueReminder], targets: dict[int, Target], run: str,
                     report: RunReport) -> None:
        held = await claims.still_due(await claims.claim(chunk, run, self.clock(), self.options.lease), run)
        report.settled += len(chunk) - len(held)
        if len(held) < len(chunk):  # remember what others settled, so that the next ticks skip it cheaply
            self._done.update(await claims.settled(chunk))
        outcomes = claims.Outcomes.empty()
        lease = _Lease(self, held, run)
        keeper = asyncio.create_task(lease.keep())
        try:
            await self._send(held, targets, outcomes, lease)
        finally:
            keeper.cancel()
            # recorded even when the send was cancelled (shutdown): what went out must not go out again
            await asyncio.shield(self._record(held, outcomes, run, report))

    async def _record(self, held: list[claims.Claimed], outcomes: claims.Outcomes, run: str,
                      report: RunReport) -> None:
        await claims.record(outcomes, run, [(claimed.delivery_id, claimed.reminder.notification_id)
                                            for claimed in held if claimed.reminder.notification_id is not None],
                            self.clock())
        for claimed in held:
            if claimed.delivery_id in outcomes.sent or claimed.delivery_id in outcomes.skipped \
                    or claimed.delivery_id in outcomes.refused:
                self._done.add(claimed.reminder.key)
        report.sent += len(outcomes.sent)
        report.blocked += len(outcomes.skipped)
        report.refused += len(outcomes.refused)
        report.retry_later += len(outcomes.retry)
        for platform in outcomes.sent.values():
            report.by_platform[platform.value] = report.by_platform.get(platform.value, 0) + 1

    async def _send(self, held: list[claims.Claimed], targets: dict[int, Target], outcomes: claims.Outcomes,
                    lease: _Lease) -> None:
        """Multicast identical messages where the platform can, push the rest; each person's in order."""
        gate = asyncio.Semaphore(self.options.concurrency)
        singles: dict[int, list[claims.Claimed]] = defaultdict(list)
        groups: dict[tuple[Platform, Reply], list[claims.Claimed]] = defaultdict(list)
        for claimed in held:
            target = targets[claimed.reminder.recipient_id]
            if self.pushers[target.platform].batch_size > 1:
                groups[(target.platform, claimed.reminder.reply)].append(claimed)
            else:
                singles[claimed.reminder.recipient_id].append(claimed)
        jobs = []
        for (platform, reply), members in groups.items():
            if len(members) == 1:
                singles[members[0].reminder.recipient_id].append(members[0])
                continue
            size = self.pushers[platform].batch_size
            for start in range(0, len(members), size):
                jobs.append(self._multicast(platform, reply, members[start:start + size], targets, outcomes, gate,
                                            lease))
        jobs += [self._person(queue, targets, outcomes, gate, lease) for queue in singles.values()]
        await asyncio.gather(*jobs)

    async def _multicast(self, platform: Platform, reply: Reply, members: list[claims.Claimed],
                         targets: dict[int, Target], outcomes: claims.Outcomes, gate: asyncio.Semaphore,
                         lease: _Lease) -> None:
        ids = [targets[claimed.reminder.recipient_id].external_id for claimed in members]
        async with gate:
            try:
                await self.pushers[platform].multicast(ids, [reply])
            except Refused as error:  # one bad recipient must not cost the other 499 theirs: one by one
                log.warning("reminders: multicast refused (%s); pushing one by one", error)
            except Exception as error:
                self._failed(members, error, outcomes)
                return
            else:
                outcomes.sent.update({claimed.delivery_id: platform for claimed in members})
                await lease.touch()
                return
        for claimed in members:
            await self._person([claimed], targets, outcomes, gate, lease)

    async def _person(self, queue: list[claims.Claimed], targets: dict[int, Target], outcomes: claims.Outcomes,
                      gate: asyncio.Semaphore, lease: _Lease) -> None:
        target = targets[queue[0].reminder.recipient_id]
        async with gate:
            for index, claimed in enumerate(queue):
                try:
                    await self.pushers[target.platform].push(target.external_id, [claimed.reminder.reply])
                except Unreachable as error:
                    log.info("reminders: %s %s is unreachable (%s); account marked inactive", target.platform,
                             target.external_id, error)
                    self._failed(queue[index:], error, outcomes)
                    with contextlib.suppress(Exception):  # marked again at the next try if this fails
                        await accounts.deactivate(target.platform, target.external_id)
                    return
                except Exception as error:  # refused, failed for now, or a bug: the others still go out
                    self._failed([claimed], error, outcomes)
                    continue
                outcomes.sent[claimed.delivery_id] = target.platform
                await lease.touch()

    @staticmethod
    def _failed(members: list[claims.Claimed], error: Exception, outcomes: claims.Outcomes) -> None:
        text = f"{type(error).__name__}: {error}"
        for claimed in members:
            if isinstance(error, Unreachable):
                outcomes.skipped[claimed.delivery_id] = text
            elif isinstance(error, Refused):
                log.warning("reminders: %s refused: %s", claimed.reminder.why, error)
                outcomes.refused[claimed.delivery_id] = text
            else:
                if not isinstance(error, SendFailed):
                    log.error("reminders: %s failed unexpectedly", claimed.reminder.why, exc_info=error)
                outcomes.retry[claimed.delivery_id] = (claimed.attempts, text)

    async def _prune(self, now: datetime) -> None:
        """Forget expired shared files (once an hour)."""
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        expired = await forget_expired(now)
        if expired:
            log.info("pruned %d expired shared files", expired)


def by_person_chunks(due: list[DueReminder], size: int) -> list[list[DueReminder]]:
    """Chunks of about ``size`` that never split one person's reminders (so they go out in order)."""
    people: dict[int, list[DueReminder]] = defaultdict(list)
    for reminder in due:
        people[reminder.recipient_id].append(reminder)
    chunks: list[list[DueReminder]] = [[]]
    for reminders in people.values():
        if chunks[-1] and len(chunks[-1]) + len(reminders) > size:
            chunks.append([])
        chunks[-1].extend(reminders)
    return [chunk for chunk in chunks if chunk]


async def reachable(user_ids: set[int], reaches: Mapping[Platform, Callable[[str], bool]]) -> dict[int, Target]:
    """Each person's chat account on a channel we can send on (``reaches``): the one they used last."""
    found: dict[int, tuple[datetime | None, Target]] = {}
    for account in await accounts.listening_accounts(user_ids, list(reaches)):
        if not reaches[account.platform](account.external_id):
            continue
        seen = account.last_seen_at
        earlier = found.get(account.user_id)
        if earlier is None or (seen is not None and (earlier[0] is None or seen > earlier[0])):
            found[account.user_id] = (seen, Target(account.platform, account.external_id))
    return {user_id: target for user_id, (_, target) in found.items()}
