"""Turn throughput: simulated owners file a quarterly report over LINE and Telegram webhooks, against the least a
durable turn must cost.

Four processes besides this one: ``tidtam serve`` (both platforms configured as in production, Telegram in
webhook mode), the stand-in platforms (:mod:`bench.chat_standins`), the durable baseline (:mod:`bench.durable`:
check the signature, one transaction that records the event, reads and writes the person's session, inserts an
answer and an audit row, then a two-message reply through the same SDKs) and, for information, a bare aiohttp
server that only checks each webhook's signature (:mod:`bench.bare`). This process is the load: ``users`` people
at once, half on LINE and half on Telegram, each filing the scenarios' Q1 report of Project A — open the report,
pick the quarter, the output, the outcome, two KPI values, the three activities in one line, the plan
contribution, the amount disbursed below plan and its reason, problems, submit: 12 turns — on a project of its
own (approved, its quarter's window open), one turn after the other as fast as the bot answers; against the
durable baseline the same people send as many messages with the same texts.

Each service first serves an untimed round of as many other people filing the same report (and the baseline a
round of its own): what a process pays once — a statement prepared on each pooled connection, caches filled — is
not the cost of a turn (its CPU is shown beside, "first round"). Then groups of that many new people follow one
another until ``MIN_TURNS`` turns are timed, so that ten people's second of CPU is not left to a busy machine's
noise (see :class:`Rounds`), the setups' groups taking turns and the other setups paused during each
(:func:`interleaved_runs`).

A turn is a webhook posted until the bot's answer reaches the stand-in platform (the service answers the webhook
once the event is stored, and sends the answer on its own), timed where the answer lands: the stand-ins, in a
process of their own so that they take none of the service's CPU, stamp its arrival with the machine's monotonic
clock, which this process also read when it posted (see :mod:`bench.chat_standins`). Reported, at each number of
people on SQLite and on PostgreSQL: turns a second over the durable baseline's (goal ≥ 0.5), the CPU seconds a
turn costs the serving process over the baseline's, read from each process's own /proc accounting so that a busy
machine does not skew it (goal ≤ 2), and p50 and p99 of the turn latency (goal p99 ≤ 3 × p50 with 10 people).
Every report must end submitted, checked in the database after the run. ``--json`` prints the rows as JSON.

On PostgreSQL two instances of the service on the one database serve the same number of people (every other
person's webhooks to the second), and one instance serves half of them: the load each of the two carries. Two
instances' CPU a turn is set against both; against the second it is what running two adds of its own (goal:
unchanged), against the first it also holds what a process costs more a turn at half the load.

Telegram's flood limit is lifted (``BENCH_TURN_TELEGRAM_RATE``): at the default ``TIDTAM_TELEGRAM_RATE`` of
30 messages a second, which is Telegram's, the limiter and not the service is what would be measured.

Who the people are and what they say is :mod:`bench.turn_scenario`; who files when and what each group cost,
:mod:`bench.turn_groups`; the rows and the tables, :mod:`bench.turn_figures`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

import aiohttp

from api.log_setup import redact
from api.settings import load_settings
from bench.chat_standins import chat_standins
from bench.chat_users import Person, Router, TurnFailed
from bench.helper_process import helper_process
from bench.service import LINE_SECRET, TELEGRAM_SECRET, Unreachable, fresh_database, served
from bench.turn_figures import HALF, TWO, TurnResult, figures, table
from bench.turn_groups import Accounts, Setup, drive, needed, paused, people_for, run_group, timed_groups
from bench.turn_scenario import open_period, report_script, seed_reporters
from models.db import Database, is_postgres
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
# Up to this many people every setup runs side by side (their pools fit in PostgreSQL's 100 connections).
TOGETHER_UP_TO = int(os.environ.get("BENCH_TURN_TOGETHER_UP_TO", "10"))
# Connections each service may open (its URL's maxsize; production's default is models.db.POOL_SIZE, 40): with
# 100 people two instances and one with half of them run side by side, three pools within PostgreSQL's 100.
PG_POOL = int(os.environ.get("BENCH_TURN_PG_POOL", "30"))
# Its own name, so that benchmarks run side by side (other worktrees) do not drop each other's database.
PG_NAME = os.environ.get("BENCH_TURN_PG_NAME", "tidtam_bench_turns")


async def _report(person: Person, script: Sequence[tuple[str, str]]) -> None:
    for action, text in script:
        await (person.say(text) if action == "say" else person.tap(text))


async def interleaved_runs(database: str, url: str, users: int, accounts: Accounts, period: FiscalQuarter,
                           warm: Sequence[tuple[Platform, str]], two: bool) -> list[TurnResult]:
    """``users`` people at once against the service, the durable baseline and (``two``) two instances and one
    instance with half the people. Each does its untimed first round, then the timed groups of the setups running
    side by side take turns (the service's, the baseline's, two instances', half the people's two, and again), so
    that a machine whose speed drifts from minute to minute weighs on each alike; while one runs, the others are
    paused (:func:`bench.turn_groups.paused`). Up to ``TOGETHER_UP_TO`` people all run side by side; with more,
    their pools would pass PostgreSQL's 100 connections, so the service and the baseline take turns, then two
    instances and one with half the people (three pools of ``PG_POOL``). Reports are checked after."""
    script = report_script(period)
    texts = [text for action, text in script if action == "say"]
    groups = timed_groups(users)
    setups: list[Setup] = []
    size = 0
    pooled = f"{url}{'&' if '?' in url else '?'}maxsize={PG_POOL}" if is_postgres(url) else url

    async def report(person: Person) -> None:
        await _report(person, script)

    async def chatter(person: Person) -> None:
        for number in range(len(script)):
            await person.say(texts[number % len(texts)])

    live: list[Setup] = []  # the setups whose processes run now (all but the measured one paused in each group)
    async with chat_standins() as standins, Router(standins) as router:
        async def services(stack: AsyncExitStack, count: int, instances: int, target: str, times: int) -> Setup:
            with paused(live):
                started = [await stack.enter_async_context(
                    served(pooled, standins, TIDTAM_TELEGRAM_RATE=TELEGRAM_RATE)) for _ in range(instances)]
                session = await stack.enter_async_context(client_session(count))
                for service in started:
                    await warm_up(session, router, warm, service.line_webhook, service.telegram_webhook)
            setup = Setup(target, count, [service.pid for service in started],
                          [(service.line_webhook, service.telegram_webhook) for service in started], session,
                          accounts.rounds(count, groups * times))
            live.append(setup)
            await run_group(setup, router, setup.rounds.first if setup.rounds else [], report, live, first=True)
            return setup

        async def durable(stack: AsyncExitStack, service: Setup) -> Setup:
            nonlocal size
            size = await _session_bytes(url, service.rounds.first if service.rounds else [])
            port, pid = await stack.enter_async_context(helper_process(
                "bench.durable", url, str(size), LINE_SECRET, TELEGRAM_SECRET, standins.line_token,
                standins.line_url, standins.telegram_token, standins.telegram_url))
            webhooks = (f"http://127.0.0.1:{port}/webhook/line", f"http://127.0.0.1:{port}/webhook/telegram")
            setup = Setup("durable", users, [int(pid)], [webhooks],
                          await stack.enter_async_context(client_session(users)), None,
                          chatters=service.rounds.timed[0] if service.rounds else [])
            live.append(setup)
            await run_group(setup, router, setup.chatters, chatter, live, first=True)
            return setup

        async def alternate(phase: Sequence[Setup]) -> None:
            """Each setup's groups of one round, setup after setup, round after round (half the people: two)."""
            for number in range(groups):
                for setup in phase:
                    if setup.rounds is None:
                        await run_group(setup, router, setup.chatters, chatter, live)
                        continue
                    times = len(setup.rounds.timed) // groups
                    for group in setup.rounds.timed[number * times:(number + 1) * times]:
                        await run_group(setup, router, group, report, live)

        async def instances(stack: AsyncExitStack) -> list[Setup]:
            """Two instances, and one with half the people (none with fewer than two people)."""
            pair = [await services(stack, users, 2, TWO, 1)]
            return pair + ([await services(stack, users // 2, 1, HALF, 2)] if users >= 2 else [])

        async def one_and_baseline(stack: AsyncExitStack) -> list[Setup]:
            service = await services(stack, users, 1, "service", 1)
            return [service, await durable(stack, service)]

        async def everything(stack: AsyncExitStack) -> list[Setup]:
            return await one_and_baseline(stack) + await instances(stack)

        phases = [one_and_baseline] if not two else [everything] if users <= TOGETHER_UP_TO else [
            one_and_baseline, instances]
        for build in phases:  # each phase's processes side by side, stopped after it
            async with AsyncExitStack() as stack:
                phase = await build(stack)
                await alternate(phase)
                setups += phase
                live.clear()
    results = []
    for setup in setups:
        tally = setup.tally
        submitted = await _submitted(url, tally.filed, period) if tally.filed else 0
        latencies = tuple(latency for person in tally.people for latency in person.latencies)
        results.append(TurnResult(database, setup.users, setup.target, len(latencies), tally.seconds, latencies,
                                  tally.failures, tally.strays, submitted, cpu_seconds=tally.cpu,
                                  session_bytes=size, filed=len(tally.filed), first_cpu_seconds=tally.first_cpu,
                                  first_turns=tally.first_turns))
    return results


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


async def _submitted(url: str, accounts: Sequence[tuple[Platform, str]], period: FiscalQuarter) -> int:
    """Reports of these people submitted."""
    database = Database(url)
    await database.open()
    try:
        externals = [external for _, external in accounts]
        owners = await ChatAccount.filter(external_id__in=externals).values_list("user_id", flat=True)
        return await QuarterReport.filter(project__owner_id__in=list(owners), fiscal_year=period.fiscal_year,
                                          quarter=period.quarter, status=ItemStatus.SUBMITTED).count()
    finally:
        await database.close()


async def _session_bytes(url: str, accounts: Sequence[tuple[Platform, str]]) -> int:
    """The average size of these people's session state in bytes (the durable baseline writes as much)."""
    database = Database(url)
    await database.open()
    try:
        states = await ConversationSession.filter(
            chat_account__external_id__in=[external for _, external in accounts]).values_list("state", flat=True)
        sizes = [len(json.dumps(state, ensure_ascii=False).encode()) for state in states]
        return sum(sizes) // len(sizes) if sizes else 2000
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
    """Every number of people on one database: the bare handler, then the service and its baselines taking turns
    (new people each group)."""
    period = open_period()
    results = []
    async with fresh_database(database, PG_NAME) as url:
        two = database == "postgres" and TWO_INSTANCES
        seeded = await _seeded(url, needed(users, two) + 2, period)
        warm = seeded[-2:]  # one on each platform (their numbers differ by one)
        accounts = Accounts(seeded[:-2])
        for count in users:
            results.append(await bare_run(database, count, seeded[:count]))
            results += await interleaved_runs(database, url, count, accounts, period, warm, two)
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
