"""Memory: the resident memory of ``tidtam serve`` with 100 and with 10,000 open drafts.

A draft in progress is a project row (with its plan links) and a conversation session holding the
conversation's state, both in the database. Each run seeds its drafts on a fresh database — copies of one
real draft, made by registering Project A through sections M1 and M2 with the real service (the session
then waits on M3's first question) — starts ``tidtam serve`` (LINE and Telegram at the stand-ins, as in
:mod:`bench.turns`) and makes the service load drafts: ``BENCH_MEMORY_TURNS`` turns (the section hub, then
back to the question), ``BENCH_MEMORY_PEOPLE`` people at a time. With 10,000 drafts every turn is a different
person's; with 100 each person comes back as often as it takes. Both runs do the same number of turns, so
the difference is what the service keeps per person or per draft. The figure is the service's VmRSS (and
its peak, VmHWM) after the turns; goal (#9): flat, the ratio 10k/100 near 1, because drafts live in the
database and not in memory.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.log_setup import redact
from api.settings import load_settings
from bench.chat_standins import chat_standins
from bench.chat_users import Person, Router
from bench.service import fresh_database, served
from bench.turn_scenario import account_of
from bench.turns import TELEGRAM_RATE, client_session, people_for, warm_up
from conversations.service.turns import ConversationService
from models.catalog import load_catalog
from models.db import Database
from models.enums import Platform, Role
from models.org import ChatAccount, Office, User
from models.project import Project, ProjectPlanLink
from models.runtime import ConversationSession
from tests.support.scenario import PROJECT_A, fill_m1, fill_m2
from tests.support.transcript import Chat

DRAFTS = tuple(int(n) for n in os.environ.get("BENCH_MEMORY_DRAFTS", "100,10000").split(","))
TURNS = int(os.environ.get("BENCH_MEMORY_TURNS", "1200"))
PEOPLE = int(os.environ.get("BENCH_MEMORY_PEOPLE", "50"))  # people chatting at once
DATABASE = os.environ.get("BENCH_MEMORY_DATABASE", "sqlite")
PER_OFFICE = 200
BATCH = 2000
TEMPLATE = "template"
MESSAGES = ("ตรวจทาน", "สารบัญ")  # the review card, the section hub: each turn loads and shows the draft


@dataclass(frozen=True, slots=True)
class MemoryResult:
    """One run: the drafts in the database and the service's memory before and after the turns."""

    drafts: int
    turns: int
    people: int  # different people who sent a message
    idle_mb: float  # after start-up and a warm-up turn on each platform
    rss_mb: float  # after the turns
    peak_mb: float
    seconds: float
    failures: int
    loaded: int  # drafts whose conversation the service ran and wrote back (row_version moved), of ``people``


async def _template(office: Office) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """A real draft: Project A registered through M1 and M2 by the real service, as an owner would.

    Returns the session's state, the project's columns and its plan links'.
    """
    await User.create(name="นายสมชาย ใจดี", role=Role.DIRECTOR, office=office, email="somchai.j@example.go.th",
                      phone="053-112-233")  # M2 offers the office director's contacts
    owner = await User.create(name="นางสาวสุดา ศรีสุข", role=Role.OWNER, office=office,
                              email="suda.s@example.go.th", phone="081-234-5678")
    await ChatAccount.create(platform=Platform.CONSOLE, external_id=TEMPLATE, user=owner)
    chat = Chat(ConversationService(postgres=False).handle, TEMPLATE)
    await chat.say("สวัสดี")
    await chat.tap("ลงทะเบียนโครงการใหม่")
    await chat.say(PROJECT_A)
    await chat.tap(chat.labels()[0])  # this fiscal year
    await fill_m1(chat)
    await fill_m2(chat)
    session = await ConversationSession.get(chat_account__external_id=TEMPLATE)
    project = (await Project.filter(id=session.state["project_id"]).values())[0]
    links = list(await ProjectPlanLink.filter(project_id=project["id"]).order_by("position").values())
    return session.state, project, links


async def seed_drafts(count: int) -> list[tuple[Platform, str]]:
    """``count`` owners, each with a chat account, a draft copied from the template and its session."""
    await load_catalog()
    offices = [Office(code=f"M{number:04d}", name=f"สพป.ทดสอบ เขต {number}", province="เชียงใหม่")
               for number in range(count // PER_OFFICE + 1)]
    await Office.bulk_create(offices, batch_size=BATCH)
    office_ids = list(await Office.filter(code__startswith="M").order_by("id").values_list("id", flat=True))
    state, project, links = await _template(await Office.get(id=office_ids[0]))
    await User.bulk_create([User(name=f"เจ้าของ {number}", role=Role.OWNER, office_id=office_ids[number // PER_OFFICE],
                                 email="owner@example.go.th", phone="081-234-5678") for number in range(count)],
                           batch_size=BATCH)
    owners = list(await User.filter(name__startswith="เจ้าของ ").order_by("id").values_list("id", "office_id"))
    accounts = [account_of(number) for number in range(count)]
    await ChatAccount.bulk_create([ChatAccount(platform=platform, external_id=external, user_id=owner_id)
                                   for (platform, external), (owner_id, _) in zip(accounts, owners, strict=True)],
                                  batch_size=BATCH)
    columns = {key: value for key, value in project.items()
               if key not in {"id", "code", "owner_id", "office_id", "created_at", "updated_at"}}
    fiscal_year = project["fiscal_year"]
    await Project.bulk_create([Project(code=f"M{number:05d}-{fiscal_year}-001", owner_id=owner_id, office_id=office_id,
                                       **columns) for number, (owner_id, office_id) in enumerate(owners)],
                              batch_size=BATCH)
    projects = list(await Project.filter(code__startswith="M").exclude(id=project["id"]).order_by("id").values_list(
        "id", "code"))
    link_columns = [{key: value for key, value in link.items() if key not in {"id", "project_id"}} for link in links]
    await ProjectPlanLink.bulk_create([ProjectPlanLink(project_id=project_id, **columns) for project_id, _ in projects
                                       for columns in link_columns], batch_size=BATCH)
    link_ids: dict[int, list[int]] = {}
    for project_id, link_id in await ProjectPlanLink.exclude(project_id=project["id"]).order_by(
            "project_id", "position").values_list("project_id", "id"):
        link_ids.setdefault(project_id, []).append(link_id)
    account_ids = list(await ChatAccount.exclude(platform=Platform.CONSOLE).order_by("id").values_list("id", flat=True))
    await ConversationSession.bulk_create([
        ConversationSession(chat_account_id=account_id, flow_id=state["flow"],
                            state=_copy(state, project_id, code, link_ids[project_id]))
        for account_id, (project_id, code) in zip(account_ids, projects, strict=True)], batch_size=BATCH)
    return accounts


def _copy(state: dict[str, Any], project_id: int, code: str, link_ids: list[int]) -> dict[str, Any]:
    """The template's state for another draft: its project, code and plan-link rows."""
    copied: dict[str, Any] = json.loads(json.dumps(state))
    copied["project_id"], copied["project_code"] = project_id, code
    copied.pop("synced", None)  # the copy was never written by a conversation: nothing to compare with
    for link, link_id in zip(copied["answers"].get("plan_links", []), link_ids, strict=True):
        link["id"] = link_id
    return copied


async def _seeded(url: str, count: int) -> list[tuple[Platform, str]]:
    database = Database(url)
    await database.open()
    try:
        return await seed_drafts(count)
    finally:
        await database.close()


async def measure(drafts: int, turns: int = TURNS) -> MemoryResult:
    """Seed ``drafts`` (and two more for the warm-up), serve, drive ``turns`` turns, read the service's memory."""
    async with fresh_database(DATABASE, "tidtam_bench_memory") as url:
        accounts = await _seeded(url, drafts + 2)
        warm, accounts = accounts[-2:], accounts[:-2]
        async with chat_standins() as standins, served(url, standins, TIDTAM_TELEGRAM_RATE=TELEGRAM_RATE) as service, \
                client_session(PEOPLE) as session, Router(standins) as router:
            await warm_up(session, router, warm, service.line_webhook, service.telegram_webhook)
            idle = service.rss_mb()
            people = people_for(session, router, accounts, service.line_webhook, service.telegram_webhook)
            queue = [number % len(people) for number in range(turns)]  # every person in turn, round and round
            lanes = [[people[index] for index in queue if index % PEOPLE == lane] for lane in range(PEOPLE)]

            async def lane(persons: Sequence[Person]) -> None:
                for person in persons:  # each person alternates between the two
                    await person.say(MESSAGES[len(person.latencies) % len(MESSAGES)])

            started = time.perf_counter()
            results = await asyncio.gather(*(lane(persons) for persons in lanes), return_exceptions=True)
            seconds = time.perf_counter() - started
            await asyncio.sleep(1.0)  # the last replies' clean-up
            rss, peak = service.rss_mb(), _peak_mb(service.pid)
        loaded = await _loaded(url, [people[index].user for index in set(queue)])
    failures = sum(1 for result in results if isinstance(result, BaseException))
    return MemoryResult(drafts, sum(len(person.latencies) for person in people), len(set(queue)), idle,
                        rss, peak, seconds, failures, loaded)


async def _loaded(url: str, externals: Sequence[str]) -> int:
    """How many of these people's sessions the service wrote: their turns really ran on their drafts."""
    database = Database(url)
    await database.open()
    try:
        return await ConversationSession.filter(chat_account__external_id__in=list(externals),
                                                row_version__gt=0).count()
    finally:
        await database.close()


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(drafts: Sequence[int] = DRAFTS) -> list[MemoryResult]:
    """Each number of drafts on a fresh database, smallest first."""
    return [await measure(count) for count in sorted(drafts)]


def table(results: Sequence[MemoryResult]) -> str:
    """RSS at each number of drafts, its ratio to the smallest run's (goal: near 1), and what each further
    person who chatted added (the growth beyond the smallest run's, over the extra people)."""
    lines = ["| open drafts | turns | people who chatted | their drafts loaded | RSS idle MB | RSS after MB | peak MB "
             "| ratio (goal ≈ 1) | KB per extra person | turns/s | failed |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    base = results[0] if results else None
    for result in results:
        ratio = per_person = "—"
        if base is not None and result is not base:
            ratio = f"{result.rss_mb / base.rss_mb:.2f}"
            extra = result.people - base.people
            growth = (result.rss_mb - result.idle_mb) - (base.rss_mb - base.idle_mb)
            per_person = f"{growth * 1024 / extra:.1f}" if extra > 0 else "—"
        rate = result.turns / result.seconds if result.seconds else 0.0
        lines.append(f"| {result.drafts:,} | {result.turns} | {result.people:,} | {result.loaded:,} | "
                     f"{result.idle_mb:.0f} | {result.rss_mb:.0f} | {result.peak_mb:.0f} | {ratio} | {per_person} | "
                     f"{rate:.0f} | {result.failures} |")
    return "\n".join(lines)


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    began = time.perf_counter()
    print(table(asyncio.run(run())))
    print(f"({time.perf_counter() - began:.0f} s)")
