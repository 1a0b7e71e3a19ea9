"""Many LINE owners of one office creating drafts at the same moment, over signed webhooks, whoever answers them.

Each owner types the script that creates a draft ("/new", a name, a fiscal year). A webhook answered anything
but 200 (or not answered) is delivered again as LINE does: the same ``webhookEventId`` with
``deliveryContext.isRedelivery`` set, to the next URL. A step is done when its answer reaches the owner's chat at
the stand-in, whenever that is relative to the webhook's own answer. The first two steps are taken by everyone,
then every owner sends the fiscal year at once, and the race is over when the database holds every owner's draft
and every owner has read that it was created (or the deadline passes).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from conversations.copy import render
from models.project import Project
from tests.support.line_standin import LineStandin, sign
from tests.support.line_user import LineUser

Json = dict[str, Any]
POLL = 0.05
APOLOGIES = ("error.outage", "error.sorry")  # what a person reads when their answer was not saved


@dataclass
class Racer:
    """One owner in the race: their LINE user, their person's id, and how often LINE had to deliver again."""

    user: LineUser
    person_id: int
    redeliveries: int = 0


@dataclass
class Race:
    """The owners, the webhook URLs they post to (in turn), and where their answers arrive."""

    racers: Sequence[Racer]
    urls: Sequence[str]
    standin: LineStandin
    session: aiohttp.ClientSession
    secret: str
    deadline: float = 90.0

    async def run(self, fiscal_year: int) -> list[Project]:
        """Everyone to the fiscal-year question, then every draft created at once; returns the drafts."""
        starts: list[int] = []
        try:
            async with asyncio.timeout(self.deadline):
                await asyncio.gather(*(self._prepare(number, racer) for number, racer in enumerate(self.racers)))
                starts = [len(self.standin.deliveries_to(racer.user.user_id)) for racer in self.racers]
                await asyncio.gather(*(self._deliver(number, racer, str(fiscal_year))
                                       for number, racer in enumerate(self.racers)))
                while True:
                    drafts = await self.drafts()
                    if len(drafts) >= len(self.racers) and not self.untold(starts):
                        return drafts
                    await asyncio.sleep(POLL)
        except TimeoutError:
            raise AssertionError(
                f"after {self.deadline:.0f} s: {len(await self.drafts())} drafts of {len(self.racers)}, "
                f"{'not told of their draft: ' + str(self.untold(starts)) if starts else 'still preparing'}, "
                f"told their answer was not saved: {self.apologised()}, "
                f"redeliveries: {sum(racer.redeliveries for racer in self.racers)}") from None

    async def drafts(self) -> list[Project]:
        """The owners' projects in the database now."""
        return await Project.filter(owner_id__in=[racer.person_id for racer in self.racers])

    def untold(self, starts: Sequence[int]) -> list[int]:
        """The owners who have not yet read that their draft was created (since their ``starts`` deliveries)."""
        return [number for number, (racer, start) in enumerate(zip(self.racers, starts, strict=True))
                if render("project.created") not in self.said(racer, start)]

    def said(self, racer: Racer, since: int = 0) -> str:
        """Everything the bot said to the owner after their first ``since`` deliveries (Flex by its alt text)."""
        return "\n".join(str(message.get("text") or message.get("altText", ""))
                         for delivery in self.standin.deliveries_to(racer.user.user_id)[since:]
                         for message in delivery.messages)

    def apologised(self) -> list[int]:
        """The owners who were told that an answer of theirs was not saved."""
        wordings = [render(key) for key in APOLOGIES]
        return [number for number, racer in enumerate(self.racers)
                if any(wording in self.said(racer) for wording in wordings)]

    async def _prepare(self, number: int, racer: Racer) -> None:
        for text, answer in (("/new", "reg.name"), (f"โครงการแข่งกันสร้าง {number:03d}", "reg.fiscal_year")):
            before = len(self.standin.deliveries_to(racer.user.user_id))
            await self._deliver(number, racer, text)
            while render(answer) not in self.said(racer, before):
                arrived = len(self.standin.deliveries_to(racer.user.user_id))
                await self.standin.wait_for_deliveries(racer.user.user_id, arrived + 1, self.deadline)

    async def _deliver(self, number: int, racer: Racer, text: str) -> None:
        """Post the owner's message until a process answers 200, alternating between the URLs."""
        event = racer.user.event("message", message={"type": "text", "id": uuid.uuid4().hex[:18],
                                                     "quoteToken": uuid.uuid4().hex, "text": text})
        attempt = 0
        while await self._post(self.urls[(number + attempt) % len(self.urls)], racer.user, event) != 200:
            attempt += 1
            racer.redeliveries += 1
            event = event | {"deliveryContext": {"isRedelivery": True}}
            await asyncio.sleep(POLL)

    async def _post(self, url: str, user: LineUser, event: Json) -> int | None:
        body = user.body(event)
        try:
            async with self.session.post(url, data=body, headers={"X-Line-Signature": sign(self.secret, body)},
                                         timeout=aiohttp.ClientTimeout(total=30)) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return None
