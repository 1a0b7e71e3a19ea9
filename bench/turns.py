"""Turn throughput: simulated owners file a quarterly report over LINE and Telegram webhooks, against the least a
durable turn must cost.

Four processes besides this one: ``tidtam serve`` (both platforms configured as in production, Telegram in
webhook mode), the stand-in platforms (:mod:`bench.chat_standins`), the durable baseline (:mod:`bench.durable`:
check the signature, one transaction that records the event, reads and writes the person's session, inserts an
answer and an audit row, then a two-message reply through the same SDKs) and, for information, a bare aiohttp
server that only checks each webhook's signature (:mod:`bench.bare`). This process is the load: ``users`` people
at once, half on LINE and half on Telegram, each filing the scenarios' Q1 report of Project A — the output and
outcome, two KPI values, three activities, four plan contributions, the amount disbursed below plan and its
reason, problems, no evidence, submit, confirm: 21 turns — on a project of its own (approved, its quarter's window
open), one turn after the other as fast as the bot answers; against the durable baseline the same people send
as many messages with the same texts.

A turn is a webhook posted until the bot's answer reaches the stand-in platform (the service answers the webhook
once the event is stored, and sends the answer on its own), timed where the answer lands: the stand-ins, in a
process of their own so that they take none of the service's CPU, stamp its arrival with the machine's monotonic
clock, which this process also read when it posted (see :mod:`bench.chat_standins`). Reported, at each number of
people on SQLite and on PostgreSQL: turns a second over the durable baseline's (goal ≥ 0.5), the CPU seconds a
turn costs the serving process over the baseline's, read from each process's own /proc accounting so that a busy
machine does not skew it (goal ≤ 2), and p50 and p99 of the turn latency (goal p99 ≤ 3 × p50 with 10 people).
Every report must end submitted, checked in the database after the run. ``--json`` prints the rows as JSON.

Telegram's flood limit is lifted (``BENCH_TURN_TELEGRAM_RATE``): at the default ``TIDTAM_TELEGRAM_RATE`` of
30 messages a second, which is Telegram's, the limiter and not the service is what would be measured.

Who the people are and what they say is :mod:`bench.turn_scenario`; the rows and the table, :mod:`bench.turn_figures`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from api.log_setup import redact
from api.settings import load_settings
from bench.chat_standins import chat_standins
from bench.chat_users import LinePerson, Person, Router, TelegramPerson, TurnFailed
from bench.helper_process import helper_process
from bench.service import LINE_SECRET, TELEGRAM_SECRET, Unreachable, fresh_database, served
from bench.turn_figures import TWO, TurnResult, figures, table
from bench.turn_scenario import open_period, report_script, seed_reporters
from models.db import Database
from models.enums import ItemStatus, Platform
from models.fiscal import FiscalQuarter
from models.org import ChatAccount
from models.report import QuarterReport
from models.runtime import ConversationSession

USERS = tuple(int(n) for n in os.environ.get("BENCH_TURN_USERS", "10,100").split(","))
DATABASES = tuple(os.environ.get("BENCH_TURN_DATABASES", "sqlite,postgres").split(","))
BARE_SECONDS = float(os.environ.get("BENCH_TURN_BARE_SECONDS", "4"))  # how long the baseline is driven
# A Telegram turn makes two or three rate-limited calls (a pressed keyboard is redrawn, then the answer sent):
# at 30 messages a second the limiter, not the service, would set the pace.
TELEGRAM_RATE = os.environ.get("BENCH_TURN_TELEGRAM_RATE", "1000")
# On PostgreSQL, each number of people once more against two instances of the service on the one database.
TWO_INSTANCES = os.environ.get("BENCH_TURN_TWO_INSTANCES", "1") == "1"
# Its own name, so that benchmarks run side by side (other worktrees) do not drop each other's database.
PG_NAME = os.environ.get("BENCH_TURN_PG_NAME", "tidtam_bench_turns")


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


async def _report(person: Person, script: Sequence[tuple[str, str]]) -> None:
    for action, text in script:
        await (person.say(text) if action == "say" else person.tap(text))


def cpu_seconds(pid: int) -> float:
    """A process's own CPU time so far, user and system (fields 14 and 15 of /proc/<pid>/stat, in clock ticks):
    what it cost, whatever else the machine was doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def service_run(database: str, url: str, users: int, accounts: Sequence[tuple[Platform, str]],
                      period: FiscalQuarter, warm: Sequence[tuple[Platform, str]]) -> TurnResult:
    """``users`` people file their report at once through the service; the reports are checked after."""
    script = report_script(period)
    async with chat_standins() as standins, served(url, standins, TIDTAM_TELEGRAM_RATE=TELEGRAM_RATE) as service, \
            client_session(users) as session, Router(standins) as router:
        await warm_up(session, router, warm, service.line_webhook, service.telegram_webhook)
        people = people_for(session, router, accounts, service.line_webhook, service.telegram_webhook)
        before = cpu_seconds(service.pid)
        seconds, failures = await drive(people, lambda person: _report(person, script))
        spent = cpu_seconds(service.pid) - before
        strays = router.strays
    submitted, size = await _submitted(url, accounts, period)
    latencies = tuple(latency for person in people for latency in person.latencies)
    return TurnResult(database, users, "service", len(latencies), seconds, latencies, failures, strays, submitted,
                      cpu_seconds=spent, session_bytes=size)


async def two_instances_run(database: str, url: str, users: int, accounts: Sequence[tuple[Platform, str]],
                            period: FiscalQuarter, warm: Sequence[tuple[Platform, str]]) -> TurnResult:
    """The same as :func:`service_run` with two ``tidtam serve`` on one database, each person's webhooks going to
    one of them (every other person to the second): either may claim any event. The CPU is both processes'; an
    event handled twice would be answered twice, which the router counts as a stray."""
    script = report_script(period)
    async with chat_standins() as standins, served(url, standins, TIDTAM_TELEGRAM_RATE=TELEGRAM_RATE) as first, \
            served(url, standins, TIDTAM_TELEGRAM_RATE=TELEGRAM_RATE) as second, client_session(users) as session, \
            Router(standins) as router:
        for service in (first, second):
            await warm_up(session, router, warm, service.line_webhook, service.telegram_webhook)
        people = [*people_for(session, router, accounts[0::2], first.line_webhook, first.telegram_webhook),
                  *people_for(session, router, accounts[1::2], second.line_webhook, second.telegram_webhook)]
        before = cpu_seconds(first.pid) + cpu_seconds(second.pid)
        seconds, failures = await drive(people, lambda person: _report(person, script))
        spent = cpu_seconds(first.pid) + cpu_seconds(second.pid) - before
        strays = router.strays
    submitted, size = await _submitted(url, accounts, period)
    latencies = tuple(latency for person in people for latency in person.latencies)
    return TurnResult(database, users, TWO, len(latencies), seconds, latencies, failures, strays, submitted,
                      cpu_seconds=spent, session_bytes=size)


async def durable_run(database: str, url: str, users: int, accounts: Sequence[tuple[Platform, str]],
                      session_bytes: int) -> TurnResult:
    """The same people, as many turns each with the same texts, against the least a durable turn must do."""
    texts = [text for action, text in report_script(open_period()) if action == "say"]
    turns_each = len(report_script(open_period()))
    async with chat_standins() as standins, client_session(users) as session, Router(standins) as router, \
            helper_process("bench.durable", url, str(session_bytes), LINE_SECRET, TELEGRAM_SECRET,
                           standins.line_token, standins.line_url, standins.telegram_token,
                           standins.telegram_url) as (port, pid):
        line_url, telegram_url = (f"http://127.0.0.1:{port}/webhook/{name}" for name in ("line", "telegram"))
        people = people_for(session, router, accounts, line_url, telegram_url)
        await drive(people[:2], lambda person: person.say("warm-up"))
        for person in people[:2]:
            person.latencies.clear()

        async def chatter(person: Person) -> None:
            for number in range(turns_each):
                await person.say(texts[number % len(texts)])

        before = cpu_seconds(int(pid))
        seconds, failures = await drive(people, chatter)
        spent = cpu_seconds(int(pid)) - before
        strays = router.strays
    latencies = tuple(latency for person in people for latency in person.latencies)
    return TurnResult(database, users, "durable", len(latencies), seconds, latencies, failures, strays,
                      cpu_seconds=spent)


async def warm_up(session: aiohttp.ClientSession, router: Router, accounts: Sequence[tuple[Platform, str]],
                  line_url: str, telegram_url: str) -> None:
    """A turn on each platform by a linked person who is not measured (the main menu): imports done, caches
    filled, the Telegram bot set up (until then its turns fail), before anything is timed."""
    for person in people_for(session, router, accounts, line_url, telegram_url):
        for _ in range(100):
            try:
                await asyncio.wait_for(person.say("เมนู"), 5)
                break
            except (TurnFailed, TimeoutError):
                await asyncio.sleep(0.2)
        else:
            raise TurnFailed(f"the service never answered {person.platform}")
    await asyncio.sleep(0.5)  # let the warm-up's other answers arrive before anyone waits
    router.strays = 0


async def bare_run(database: str, users: int, accounts: Sequence[tuple[Platform, str]]) -> TurnResult:
    """The same people post the same kind of bodies to the bare handler for ``BARE_SECONDS``."""
    async with _bare_process() as port, client_session(users) as session:
        people = people_for(session, None, accounts, f"http://127.0.0.1:{port}/webhook/line",
                            f"http://127.0.0.1:{port}/webhook/telegram")
        texts = itertools.cycle([text for action, text in report_script(open_period()) if action == "say"])
        deadline = time.perf_counter() + BARE_SECONDS

        async def chatter(person: Person) -> None:
            while time.perf_counter() < deadline:
                await person.say(next(texts))

        await drive(people[:2], lambda person: person.say("warm-up"))
        for person in people[:2]:
            person.latencies.clear()
        seconds, failures = await drive(people, chatter)
    latencies = tuple(latency for person in people for latency in person.latencies)
    return TurnResult(database, users, "bare", len(latencies), seconds, latencies, failures)


@asynccontextmanager
async def _bare_process() -> AsyncIterator[int]:
    async with helper_process("bench.bare", LINE_SECRET, TELEGRAM_SECRET) as (port,):
        yield int(port)


@asynccontextmanager
async def client_session(users: int) -> AsyncIterator[aiohttp.ClientSession]:
    """One keep-alive connection a person, as a platform keeps connections to a webhook open."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=users + 8)) as session:
        yield session


async def _submitted(url: str, accounts: Sequence[tuple[Platform, str]], period: FiscalQuarter) -> tuple[int, int]:
    """Reports of these people submitted, and the average size of their session state in bytes."""
    database = Database(url)
    await database.open()
    try:
        externals = [external for _, external in accounts]
        owners = await ChatAccount.filter(external_id__in=externals).values_list("user_id", flat=True)
        submitted = await QuarterReport.filter(project__owner_id__in=list(owners), fiscal_year=period.fiscal_year,
                                               quarter=period.quarter, status=ItemStatus.SUBMITTED).count()
        states = await ConversationSession.filter(chat_account__external_id__in=externals).values_list(
            "state", flat=True)
        sizes = [len(json.dumps(state, ensure_ascii=False).encode()) for state in states]
        return submitted, (sum(sizes) // len(sizes) if sizes else 2000)
    finally:
        await database.close()


async def _seeded(url: str, count: int, period: FiscalQuarter) -> list[tuple[Platform, str]]:
    database = Database(url)
    await database.open()
    try:
        return await seed_reporters(count, period)
    finally:
        await database.close()


async def database_runs(database: str, users: Sequence[int] = USERS) -> list[TurnResult]:
    """Every number of people on one database: the bare handler, then the service (new people each run)."""
    period = open_period()
    results = []
    async with fresh_database(database, PG_NAME) as url:
        two = database == "postgres" and TWO_INSTANCES
        accounts = await _seeded(url, sum(users) * (2 if two else 1) + 2, period)
        warm = accounts[-2:]  # one on each platform (their numbers differ by one)
        offset = 0
        for count in users:
            group = accounts[offset:offset + count]
            offset += count
            results.append(await bare_run(database, count, group))
            served_run = await service_run(database, url, count, group, period, warm)
            results.append(served_run)
            results.append(await durable_run(database, url, count, group, served_run.session_bytes))
            if two:  # new people again (the others' reports are submitted)
                group = accounts[offset:offset + count]
                offset += count
                results.append(await two_instances_run(database, url, count, group, period, warm))
    return results


async def run(users: Sequence[int] = USERS, databases: Sequence[str] = DATABASES) -> list[TurnResult]:
    """Each database in turn; a PostgreSQL that does not answer gives one row saying so."""
    results: list[TurnResult] = []
    for database in databases:
        try:
            results += await database_runs(database, users)
        except Unreachable as error:
            results.append(TurnResult(database, 0, "service", 0, 0.0, (), note=f"skipped: {error}"))
    return results


def main(arguments: Sequence[str]) -> None:
    """Run every database and number of people; print the table, or with ``--json`` the rows as JSON."""
    started = time.perf_counter()
    results = asyncio.run(run())
    if "--json" in arguments:
        print(json.dumps([row.as_json() for row in figures(results)], ensure_ascii=False, indent=2))
        return
    print(table(results))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    main(sys.argv[1:])
