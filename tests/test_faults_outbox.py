"""A real ``tidtam serve`` killed with SIGKILL after a turn was committed and before its reply reached LINE: the
reply waits in the outbox and arrives once after the restart — by reply while the token is fresh and unused, and
by push under the same retry key when a push LINE had accepted is sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from api.demo import seed_demo
from models.clock import system_clock
from models.db import Database
from models.enums import InboxStatus
from models.inbox import InboxEvent
from models.org import Office
from tests.support.faults import Served, line_owners
from tests.support.line_standin import LineStandin, line_standin
from tests.support.line_user import LineUser
from tests.support.line_world import ACCESS_TOKEN, SECRET
from tests.support.processes import free_port, tidtam_env
from tests.test_faults_restart import post

NAME = "โครงการที่ตอบไม่ทันก่อนเครื่องดับ"
HELD = 30.0  # seconds the test waits for the service to reach LINE with the held reply


@dataclass
class Rig:
    """A served process, the LINE stand-in and one linked owner."""

    served: Served
    standin: LineStandin
    user: LineUser
    session: aiohttp.ClientSession
    url: str

    async def say(self, text: str, number: int) -> None:
        """Post one message and insist it was stored (answered ``ok``)."""
        event = self.user.event("message", message={"type": "text", "id": str(number), "quoteToken": "q",
                                                    "text": text})
        assert await post(self.session, self.url, self.user, event) == (200, "ok")

    def acknowledgements(self) -> list[str]:
        """The bot's messages to the owner that acknowledge the project's name, with how each came."""
        return [delivery.via for delivery in self.standin.deliveries_to(self.user.user_id)
                for message in delivery.messages if f"รับทราบ: {NAME}" in message.get("text", "")]


@asynccontextmanager
async def killable(database_url: str, tmp_path: Path) -> AsyncIterator[Rig]:
    """``tidtam serve`` on LINE (claims lapse after a second), an owner at the question of a new project's name."""
    async with Database(database_url):
        people = await seed_demo()
        [(line_id, _)] = await line_owners(await Office.get(id=people["suda"].office_id), 1)
    port = free_port()
    async with line_standin(ACCESS_TOKEN) as standin, aiohttp.ClientSession() as session:
        env = tidtam_env(database_url, TIDTAM_PORT=str(port), LINE_CHANNEL_SECRET=SECRET,
                         LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN, LINE_API_BASE_URL=standin.url,
                         TIDTAM_REMINDERS="false", TIDTAM_INBOX_LEASE="1")
        served = Served(env, port, tmp_path / "serve.log")
        url = f"http://127.0.0.1:{port}/webhook/line"

        async def settle(user_id: str, before: int) -> None:
            return None

        user = LineUser(standin, secret=SECRET, clock=system_clock, webhook_url=url, session=session,
                        settle=settle, user_id=line_id)
        rig = Rig(served, standin, user, session, url)
        await served.start()
        try:
            await rig.say("/new", 1)
            await standin.wait_for_deliveries(line_id, 1)
            yield rig
        finally:
            standin.release()
            assert await served.stop() == 0, served.output()[-3000:]


async def _stored_unsent(database_url: str) -> tuple[InboxStatus, bool]:
    async with Database(database_url):
        event = await InboxEvent.all().order_by("-id").first()
        assert event is not None
        return event.status, event.replies is not None


async def _all_done(database_url: str) -> bool:
    async with Database(database_url):
        return set(await InboxEvent.all().values_list("status", flat=True)) == {InboxStatus.DONE} and not \
            await InboxEvent.filter(replies__isnull=False).exists()  # sent replies are not kept


async def test_a_reply_lost_with_its_process_arrives_once_after_the_restart(
        empty_database_url: str, tmp_path: Path) -> None:
    async with killable(empty_database_url, tmp_path) as rig:
        rig.standin.hold("reply", "push")  # the reply leaves the service and never arrives
        await rig.say(NAME, 2)
        await asyncio.wait_for(rig.standin.holding.wait(), HELD)
        assert await _stored_unsent(empty_database_url) == (InboxStatus.REPLYING, True)  # committed, not sent
        await rig.served.kill()
        rig.standin.release()
        assert rig.acknowledgements() == []
        await rig.served.start()
        await rig.standin.wait_for_deliveries(rig.user.user_id, 2)
        assert rig.acknowledgements() == ["reply"]  # once, with the token nobody used
        await rig.say("โครงการ", 3)  # and the conversation goes on from there
        await rig.standin.wait_for_deliveries(rig.user.user_id, 3)
    assert rig.acknowledgements() == ["reply"]
    assert await _all_done(empty_database_url)


async def test_a_push_accepted_when_its_process_died_is_not_delivered_twice(
        empty_database_url: str, tmp_path: Path) -> None:
    async with killable(empty_database_url, tmp_path) as rig:
        rig.standin.token_lifetime = -1  # the reply token is spent at once: the answer is pushed
        rig.standin.hold("push", after_accepting=True)  # LINE takes the push; its answer is lost with the process
        await rig.say(NAME, 2)
        await asyncio.wait_for(rig.standin.holding.wait(), HELD)
        await rig.served.kill()
        rig.standin.release()
        assert rig.acknowledgements() == ["push"]
        await rig.served.start()
        await rig.say("โครงการ", 3)  # its turn waits for the one before to be settled
        await rig.standin.wait_for_deliveries(rig.user.user_id, 3)
        pushes = [call for call in rig.standin.calls_of("push") if call.body["to"] == rig.user.user_id]
        keys = [call.headers["X-Line-Retry-Key"] for call in pushes]
        assert [call.status for call in pushes][:3] == [503, 409, 200]  # sent again under its key: refused as done
        assert keys[0] == keys[1] != keys[2]
    assert rig.acknowledgements() == ["push"]  # delivered once
    assert await _all_done(empty_database_url)
