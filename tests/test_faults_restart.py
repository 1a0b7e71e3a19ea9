"""A real ``tidtam serve`` killed with SIGKILL at random turns of 100 LINE conversations, and started again:
no answer the service acknowledged is lost, nothing is stored twice, and every conversation carries on.

Each owner registers a draft and answers M2 (the contacts the people records know are taken; not the owner's
e-mail and phone), by signed webhooks to the process, each answer
after the bot's reply to the one before (as a person reads, then answers). An answer is acknowledged when its
webhook was answered ``{"status": "ok"}``: it is stored in the inbox, and its turn runs after — in this process
or, if it dies first, in the next one. A webhook that got no answer (the process died, or it answered 503) is
delivered again, as LINE does, with the same ``webhookEventId``. The kills come at random moments (a fixed
seed), while other users' turns are in flight; after each kill the database is checked: every acknowledged answer
is stored, or its event is waiting in the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from api.demo import seed_demo
from models.clock import system_clock
from models.db import Database
from models.enums import InboxStatus, Platform, ProjectType
from models.fiscal import fiscal_year_of, local_day
from models.inbox import InboxEvent
from models.org import Office
from models.project import Project
from models.runtime import AuditEntry, ConversationSession
from tests.support.faults import Served, line_owners
from tests.support.line_standin import LineStandin, line_standin, sign
from tests.support.line_user import LineUser
from tests.support.line_world import ACCESS_TOKEN, SECRET
from tests.support.processes import free_port, tidtam_env

SEED = 20261124
USERS = 100
KILLS = 4
AT_ONCE = 12  # webhooks in flight together (LINE posts many at once; a 2-core machine serves them)
M2 = "M2 ข้อมูลทั่วไป"
Json = dict[str, Any]


def script(number: int, fiscal_year: int) -> list[str]:
    """What owner ``number`` types, in order (``tap:`` presses a button of the latest screen)."""
    return ["/new", f"โครงการทดสอบการล่ม {number:03d}", str(fiscal_year), "/hub", f"tap:{M2}", "โครงการ",
            f"แผนงานทดสอบ {number:03d}", "ใช่", "ดำเนินการเอง", f"owner{number:03d}@example.go.th"]


NAME, YEAR, TYPE, PLAN, USES, METHOD, EMAIL = 1, 2, 5, 6, 7, 8, 9  # steps whose answer is stored


@dataclass
class Progress:
    """How many steps were acknowledged, over all owners; ``reached(n)`` waits for the n-th."""

    count: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self) -> None:
        """One more step acknowledged."""
        self.count += 1
        self.changed.set()

    async def reached(self, count: int) -> None:
        """Return once ``count`` steps were acknowledged."""
        while self.count < count:
            self.changed.clear()
            await self.changed.wait()


@dataclass
class Owner:
    """One simulated LINE user and what the service acknowledged to them."""

    number: int
    person_id: int
    user: LineUser
    steps: list[str]
    acknowledged: int = 0  # steps acknowledged so far (they run in order)
    redeliveries: int = 0
    screens: list[Json] = field(default_factory=list)


async def post(session: aiohttp.ClientSession, url: str, user: LineUser, event: Json) -> tuple[int | None, str]:
    """POST one signed webhook; (None, "") when the process was not there to answer."""
    body = user.body(event)
    try:
        async with session.post(url, data=body, headers={"X-Line-Signature": _sign(body)},
                                timeout=aiohttp.ClientTimeout(total=30)) as response:
            payload = await response.json(content_type=None)
            return response.status, str((payload or {}).get("status", ""))
    except (aiohttp.ClientError, TimeoutError):
        return None, ""


def _sign(body: bytes) -> str:
    return sign(SECRET, body)


def _button(standin: LineStandin, owner: Owner, label: str) -> str | None:
    """The postback data of the newest button showing ``label`` in the owner's chat."""
    for delivery in reversed(standin.deliveries_to(owner.user.user_id)):
        for message in reversed(delivery.messages):
            for item in (message.get("quickReply") or {}).get("items", []):
                if label in item["action"].get("label", "") and item["action"]["type"] == "postback":
                    return str(item["action"]["data"])
    return None


async def converse(owner: Owner, served: Served, standin: LineStandin, session: aiohttp.ClientSession, url: str,
                   slots: asyncio.Semaphore, rng: random.Random, acked: Progress) -> None:
    """Step through the owner's script, each step until acknowledged, whatever happens to the process."""
    user = owner.user
    while owner.acknowledged < len(owner.steps):
        step = owner.steps[owner.acknowledged]
        if step.startswith("tap:"):
            data = _button(standin, owner, step[4:])
            if data is None:  # the hub's reply was lost in a kill: ask for it again
                owner.steps.insert(owner.acknowledged, "/hub")
                continue
            event = user.event("postback", postback={"data": data})
        else:
            event = user.event("message", message={"type": "text", "id": str(rng.getrandbits(40)),
                                                   "quoteToken": "q", "text": step})
        while True:
            await served.up.wait()
            before = len(standin.deliveries_to(user.user_id))
            async with slots:
                status, answer = await post(session, url, user, event)
            if status == 200 and answer == "ok":
                break
            owner.redeliveries += 1  # no answer, or 503: LINE delivers it again
            event = event | {"deliveryContext": {"isRedelivery": True}}
            await asyncio.sleep(0.05)
        owner.acknowledged += 1
        acked.add()
        await standin.wait_for_deliveries(user.user_id, before + 1, seconds=90)  # stored: answered, if only later


def stored_steps(owner: Owner, waiting: int = 0) -> list[int]:
    """The script's steps (by index) acknowledged so far whose answers the database must hold, but for the last
    ``waiting`` ones, whose events wait in the inbox for their turn."""
    base = [index for index, text in enumerate(owner.steps) if not text.startswith(("/", "tap:"))]
    return base[:sum(1 for index in base if index < owner.acknowledged - waiting)]


async def check_saved(database_url: str, owners: list[Owner]) -> None:
    """Every acknowledged answer is in the database or its event in the inbox, and no owner has two drafts."""
    async with Database(database_url):
        pending = await InboxEvent.filter(status=InboxStatus.PENDING).values_list("chat_ref", flat=True)
        ids = [owner.person_id for owner in owners]
        projects = {project.owner_id: project for project in await Project.filter(owner_id__in=ids)}
        assert len(projects) == await Project.filter(owner_id__in=ids).count()  # one draft each, never two
        sessions = {session.chat_account_id: session for session in await ConversationSession.all()
                    .prefetch_related("chat_account")}
        by_line_id = {session.chat_account.external_id: session for session in sessions.values()}
        for owner in owners:
            texts = [owner.steps[index] for index in stored_steps(owner, pending.count(owner.user.user_id))]
            if not texts:
                continue
            project = projects.get(owner.person_id)
            state = json.dumps(by_line_id[owner.user.user_id].state, ensure_ascii=False)
            assert texts[0] in state or project is not None, f"owner {owner.number} lost the name"
            expected = _expected(texts)
            if expected:
                assert project is not None, f"owner {owner.number}: no draft after {texts}"
                found = {column: getattr(project, column) for column in expected}
                assert found == expected, f"owner {owner.number} lost answers: {found} != {expected}"


def _expected(texts: list[str]) -> dict[str, Any]:
    columns: list[tuple[str, Any]] = [("name", texts[0])]
    if len(texts) > 1:
        columns.append(("fiscal_year", int(texts[1])))
    if len(texts) > 2:
        columns.append(("project_type", ProjectType.PROJECT))
    if len(texts) > 3:
        columns.append(("budget_plan", texts[3]))
    if len(texts) > 4:
        columns.append(("uses_budget", True))
    if len(texts) > 5:
        columns.append(("method_self", True))
    if len(texts) > 6:
        columns.append(("owner_email", texts[6]))
    return dict(columns) if len(texts) > 1 else {}


async def test_sigkill_at_random_turns_of_100_conversations_loses_no_acknowledged_answer(
        empty_database_url: str, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    async with Database(empty_database_url):
        people = await seed_demo()
        office_owners = await line_owners(await Office.get(id=people["suda"].office_id), USERS)
    fiscal_year = fiscal_year_of(local_day(system_clock()))
    port = free_port()
    async with line_standin(ACCESS_TOKEN) as standin, aiohttp.ClientSession() as session:
        env = tidtam_env(empty_database_url, TIDTAM_PORT=str(port), LINE_CHANNEL_SECRET=SECRET,
                         LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN, LINE_API_BASE_URL=standin.url,
                         TIDTAM_REMINDERS="false", TIDTAM_INBOX_LEASE="2")
        served = Served(env, port, tmp_path / "serve.log")
        url = f"http://127.0.0.1:{port}/webhook/line"

        async def settle(user_id: str, before: int) -> None:  # the driver waits by itself
            return None

        owners = [Owner(number, person.id, LineUser(standin, secret=SECRET, clock=system_clock, webhook_url=url,
                                         session=session, settle=settle, user_id=line_id), script(number, fiscal_year))
                  for number, (line_id, person) in enumerate(office_owners)]
        total = sum(len(owner.steps) for owner in owners)
        kill_at = sorted(rng.sample(range(total // 10, total - total // 10), KILLS))
        acked = Progress()
        await served.start()
        try:
            slots = asyncio.Semaphore(AT_ONCE)
            talking = asyncio.gather(*(converse(owner, served, standin, session, url, slots,
                                                random.Random(rng.random()), acked) for owner in owners))
            for threshold in kill_at:
                await acked.reached(threshold)
                await asyncio.sleep(rng.uniform(0, 0.05))  # somewhere inside the next turns
                await served.kill()
                await check_saved(empty_database_url, owners)  # while it is down: what was acknowledged is there
                await served.start()
            await asyncio.wait_for(talking, 120)
            # Every conversation carries on where it was: the next answer goes to the question after the last.
            finals = await asyncio.gather(*(_next_answer(owner, standin, session, url, slots) for owner in owners))
            assert all(ok for ok, _ in finals), [(owner.number, owner.steps, seen) for owner, (ok, seen)
                                                 in zip(owners, finals, strict=True) if not ok]
        finally:
            status = await served.stop()
    output = served.output()
    assert status == 0, output[-3000:]
    assert served.kills == KILLS
    await check_saved(empty_database_url, owners)
    async with Database(empty_database_url):
        assert await Project.filter(owner_id__in=[owner.person_id for owner in owners]).count() == USERS
        assert await InboxEvent.filter(platform=Platform.LINE).count() == sum(len(o.steps) + 1 for o in owners)
        assert set(await InboxEvent.all().values_list("status", flat=True)) == {InboxStatus.DONE}
        edits = await AuditEntry.filter(field="owner_email").count()
        assert edits == USERS  # each answer stored once, however often it was delivered
        phones = await Project.filter(owner_id__in=[owner.person_id for owner in owners],
                                      owner_phone__startswith="081-234-5").count()
        assert phones == USERS
    assert sum(owner.redeliveries for owner in owners) > 0  # the kills really cut turns off
    assert standin.rejected == []


async def _next_answer(owner: Owner, standin: LineStandin, session: aiohttp.ClientSession, url: str,
                       slots: asyncio.Semaphore) -> tuple[bool, str]:
    """The owner's phone, after everything: acknowledged with M2 done and M3's first question next."""
    user = owner.user
    before = len(standin.deliveries_to(user.user_id))
    event = user.event("message", message={"type": "text", "id": "last", "quoteToken": "q",
                                           "text": f"0812345{owner.number:03d}"})
    async with slots:
        status, _ = await post(session, url, user, event)
    if status != 200:
        return False, f"webhook answered {status}"
    expected = f"รับทราบ: 081-234-5{owner.number:03d}"

    def seen() -> str:
        return "\n".join(message.get("text", "") for delivery in standin.deliveries_to(user.user_id)[before:]
                         for message in delivery.messages)

    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(30):
            while expected not in seen():  # the previous step's reply may still be on its way: wait past it
                await standin.wait_for_deliveries(user.user_id, len(standin.deliveries_to(user.user_id)) + 1)
    texts = seen()
    return expected in texts and "หลักการและเหตุผล" in texts.split(expected, 1)[-1], texts
