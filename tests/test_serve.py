"""``tidtam serve`` as a real process: the quickstart's service answers health and plan searches."""

from __future__ import annotations

import aiohttp

from models.catalog import load_catalog
from models.db import Database
from tests.support.processes import free_port, start_tidtam, stop, tidtam_env, wait_until_healthy


async def test_serve_answers_health_and_plan_search(empty_database_url: str) -> None:
    async with Database(empty_database_url):
        await load_catalog()
    port = free_port()
    process = start_tidtam(["serve"], tidtam_env(empty_database_url, TIDTAM_PORT=str(port)))
    try:
        await wait_until_healthy(port, process)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/api/v1/plans", params={"q": "การศึกษา"}) as response:
                assert response.status == 200
                codes = {item["code"] for item in (await response.json())["items"]}
            assert {"RF-12", "MP-12-01-Y1"} <= codes
            async with session.get(f"http://127.0.0.1:{port}/readyz") as ready:
                assert ready.status == 200
    finally:
        code, _, err = stop(process)
    assert code == 0, err
