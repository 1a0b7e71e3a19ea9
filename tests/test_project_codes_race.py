"""Owners of one office creating drafts at the same moment all get a draft, each with its own code: across two
``tidtam serve`` processes on one PostgreSQL, and within one process on either database."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from api.demo import seed_demo
from api.line_channel import WEBHOOK_PATH
from models.clock import system_clock
from models.db import Database, is_postgres
from models.fiscal import fiscal_year_of, local_day
from models.org import Office
from models.project import Project
from tests.support.draft_race import Race, Racer
from tests.support.faults import Served, line_owners
from tests.support.line_standin import line_standin
from tests.support.line_user import LineUser
from tests.support.line_world import ACCESS_TOKEN, SECRET, line_world
from tests.support.processes import free_port, tidtam_env

OFFICE = "RACE1"


async def _settle(user_id: str, before: int) -> None:  # the race waits for answers by itself
    return None


def _check_codes(drafts: list[Project], count: int, fiscal_year: int) -> None:
    """One draft each, codes distinct and numbered 001 to ``count`` without a gap."""
    assert len(drafts) == count
    assert len({draft.owner_id for draft in drafts}) == count
    assert sorted(draft.code for draft in drafts) == [f"{OFFICE}-{fiscal_year}-{number:03d}"
                                                      for number in range(1, count + 1)]


async def test_50_owners_on_two_processes_create_50_drafts_with_50_codes(
        empty_database_url: str, tmp_path: Path) -> None:
    if not is_postgres(empty_database_url):
        pytest.skip("two tidtam serve processes on one SQLite file is not a supported deployment: PostgreSQL only "
                    "(DATABASE_URL); the single-process race below runs on SQLite")
    fiscal_year = fiscal_year_of(local_day(system_clock()))
    async with Database(empty_database_url):
        await seed_demo()  # the plan catalog the new drafts go on to
        office = await Office.create(code=OFFICE, name="สำนักงานทดสอบการแข่งกันสร้าง")
        owners = await line_owners(office, 50)
    ports = [free_port(), free_port()]
    async with line_standin(ACCESS_TOKEN) as standin, aiohttp.ClientSession() as session:
        served = [Served(tidtam_env(empty_database_url, TIDTAM_PORT=str(port), LINE_CHANNEL_SECRET=SECRET,
                                    LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN, LINE_API_BASE_URL=standin.url,
                                    TIDTAM_REMINDERS="false"), port, tmp_path / f"serve-{port}.log")
                  for port in ports]
        urls = [f"http://127.0.0.1:{port}{WEBHOOK_PATH}" for port in ports]
        racers = [Racer(LineUser(standin, secret=SECRET, clock=system_clock, webhook_url=urls[0], session=session,
                                 settle=_settle, user_id=line_id), person.id) for line_id, person in owners]
        race = Race(racers, urls, standin, session, SECRET)
        try:
            for server in served:
                await server.start()
            async with Database(empty_database_url):
                drafts = await race.run(fiscal_year)
        finally:
            statuses = [await server.stop() for server in served]
    assert statuses == [0, 0], [server.output()[-3000:] for server in served]
    _check_codes(drafts, 50, fiscal_year)
    assert race.apologised() == []  # nobody was told their answer was not saved
    assert all("Traceback" not in server.output() for server in served), served[0].output()[-3000:]
    assert standin.rejected == []


async def test_20_owners_on_one_process_create_20_drafts_with_20_codes(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        office = await Office.create(code=OFFICE, name="สำนักงานทดสอบการแข่งกันสร้าง")
        owners = await line_owners(office, 20)
        url = str(world.client.make_url(WEBHOOK_PATH))
        racers = [Racer(LineUser(world.standin, secret=SECRET, clock=world.clock, webhook_url=url,
                                 session=world.client.session, settle=_settle, user_id=line_id), person.id)
                  for line_id, person in owners]
        race = Race(racers, [url], world.standin, world.client.session, SECRET)
        fiscal_year = fiscal_year_of(local_day(world.clock()))
        drafts = await race.run(fiscal_year)
        _check_codes(drafts, 20, fiscal_year)
        assert race.apologised() == []
        assert world.standin.rejected == []
