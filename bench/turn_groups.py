"""The turn benchmark's groups: who files when, and what each group cost (see :mod:`bench.turns`).

Each setup (the service, two instances, one instance with half the people, the durable baseline) serves an untimed
first group, then timed groups that take turns with the other setups', which are paused meanwhile. Apart from
:mod:`bench.turns` so that the machinery of a run reads on its own: the people handed out, the groups driven, the
CPU read from each process's own accounting.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.chat_users import LinePerson, Person, Router, TelegramPerson, TurnFailed
from bench.service import LINE_SECRET, TELEGRAM_SECRET
from bench.turn_scenario import open_period, report_script
from models.enums import Platform

# Turns timed at least, for each service and baseline run: groups of people follow one another (see Rounds).
MIN_TURNS = int(os.environ.get("BENCH_TURN_MIN_TURNS", "1000"))
SETTLE = 0.3  # seconds after a group's last answer before its CPU is read (its events' finishing, late answers)


def people_for(session: aiohttp.ClientSession, router: Router | None, accounts: Sequence[tuple[Platform, str]],
               line_url: str, telegram_url: str) -> list[Person]:
    """The people of these chat accounts, each posting to its platform's webhook."""
    return [LinePerson(session, line_url, router, external, LINE_SECRET) if platform is Platform.LINE
            else TelegramPerson(session, telegram_url, router, external, TELEGRAM_SECRET)
            for platform, external in accounts]


async def drive(people: Sequence[Person], work: Callable[[Person], Awaitable[None]]) -> tuple[float, int]:
    """Everyone at once; the wall time from the first post to the last answer, and the people who failed."""
    started = time.perf_counter()
    outcomes = await asyncio.gather(*(work(person) for person in people), return_exceptions=True)
    seconds = time.perf_counter() - started
    failed = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    for failure in failed[:3]:
        print(f"bench: {type(failure).__name__}: {failure}", file=sys.stderr)
    for failure in failed:
        if not isinstance(failure, TurnFailed | aiohttp.ClientError | TimeoutError):
            raise failure  # a bug of the benchmark, not a turn the service failed
    return seconds, len(failed)


def cpu_seconds(pid: int) -> float:
    """A process's own CPU time so far, user and system (fields 14 and 15 of /proc/<pid>/stat, in clock ticks):
    what it cost, whatever else the machine was doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Rounds:
    """Who files the report against one service: ``first`` untimed, then each group of ``timed`` in turn, as many
    people at once, measured.

    A process pays some work once rather than a turn: PostgreSQL prepares each statement once on each pooled
    connection it runs on (about 3 a turn over the first 10 people's reports, next to none after), and the first
    use of a screen fills caches. A long-running service has paid it; the first round's CPU is reported beside
    (information). With few people one round is a second of CPU, which a busy machine's noise swamps: groups follow
    one another until ``MIN_TURNS`` turns are timed."""

    first: Sequence[tuple[Platform, str]]
    timed: Sequence[Sequence[tuple[Platform, str]]]


def timed_groups(count: int) -> int:
    """Groups of ``count`` people, one after the other, that make at least ``MIN_TURNS`` turns (two at least, so
    that the setups take turns)."""
    return max(2, -(-MIN_TURNS // (count * len(report_script(open_period())))))


class Accounts:
    """The seeded people, handed out in order: nobody files twice (a submitted report is done)."""

    def __init__(self, accounts: Sequence[tuple[Platform, str]]) -> None:
        self._accounts = accounts
        self._next = 0

    def _take(self, count: int) -> Sequence[tuple[Platform, str]]:
        taken = self._accounts[self._next:self._next + count]
        if len(taken) < count:
            raise RuntimeError(f"bench: {count} people wanted, {len(taken)} left of those seeded")
        self._next += count
        return taken

    def rounds(self, count: int, groups: int) -> Rounds:
        """An untimed first group of ``count`` people, then ``groups`` timed groups of as many."""
        return Rounds(self._take(count), [self._take(count) for _ in range(groups)])


def needed(users: Sequence[int], two: bool) -> int:
    """People to seed: each setup's first group and timed groups (one instance; with ``two``, also two instances
    and one instance at half the people, who make as many turns in twice as many groups)."""
    total = 0
    for count in users:
        groups = timed_groups(count)
        total += (1 + groups) * count
        if two:
            total += (1 + groups) * count + (1 + 2 * groups) * (count // 2 if count >= 2 else 0)
    return total


@dataclass
class Tally:
    """One setup's timed groups so far (and its untimed first round)."""

    people: list[Person] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0
    strays: int = 0
    cpu: float = 0.0
    first_cpu: float = 0.0
    first_turns: int = 0
    filed: list[tuple[Platform, str]] = field(default_factory=list)


@dataclass
class Setup:
    """What one group of people is driven against: the service (one instance, two, or one with half the people)
    or the durable baseline; ``pids`` are the processes whose CPU is its cost."""

    target: str
    users: int
    pids: list[int]
    webhooks: list[tuple[str, str]]  # (LINE, Telegram) of each process, people spread across them in turn
    session: aiohttp.ClientSession
    rounds: Rounds | None  # the service's people; None for the durable baseline, whose groups are ``chatters``
    tally: Tally = field(default_factory=Tally)
    chatters: Sequence[tuple[Platform, str]] = ()

    def people(self, router: Router, accounts: Sequence[tuple[Platform, str]]) -> list[Person]:
        """These people, every one posting to one of the processes."""
        count = len(self.webhooks)
        return [person for number, (line, telegram) in enumerate(self.webhooks)
                for person in people_for(self.session, router, accounts[number::count], line, telegram)]


@contextmanager
def paused(setups: Sequence[Setup]) -> Iterator[None]:
    """The processes of these setups stopped (SIGSTOP) for the block, then let go on: an idle service's worker
    still polls the inbox every second, and on one PostgreSQL it would claim events the measured setup stored, its
    CPU then counted for nobody."""
    pids = [pid for setup in setups for pid in setup.pids]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


async def run_group(setup: Setup, router: Router, accounts: Sequence[tuple[Platform, str]],
                 work: Callable[[Person], Awaitable[None]], others: Sequence[Setup], *, first: bool = False) -> None:
    """Drive one group of people against the setup, the ``others`` paused, and add what it cost to its tally:
    read after ``SETTLE`` seconds, so that the last events' finishing and any answer sent twice count here."""
    people = setup.people(router, accounts)
    with paused([other for other in others if other is not setup]):
        strays, before = router.strays, sum(cpu_seconds(pid) for pid in setup.pids)
        seconds, failures = await drive(people, work)
        await asyncio.sleep(SETTLE)
        spent = sum(cpu_seconds(pid) for pid in setup.pids) - before
        tally = setup.tally
        tally.failures += failures
        tally.strays += router.strays - strays
    if first:
        tally.first_cpu, tally.first_turns = spent, sum(len(person.latencies) for person in people)
        return
    tally.people += people
    tally.seconds += seconds
    tally.cpu += spent
    if setup.rounds is not None:
        tally.filed += accounts
