"""``tidtam serve`` as a real process: the quickstart's service answers health and plan searches, and a search
typed in raw UTF-8 (as ``curl`` sends it unencoded) gets the API's JSON ``bad_parameter``."""

from __future__ import annotations

import asyncio
import json

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
        reader, writer = await asyncio.open_connection("127.0.0.1", port)  # what `curl '…?q=การศึกษา'` sends:
        writer.write("GET /api/v1/plans?q=การศึกษา HTTP/1.1\r\nHost: x\r\n\r\n".encode())  # raw UTF-8
        refused = await reader.read()
        writer.close()
        assert refused.startswith(b"HTTP/1.") and b" 400 " in refused.split(b"\r\n")[0]
        assert json.loads(refused.partition(b"\r\n\r\n")[2])["error"]["code"] == "bad_parameter"
    finally:
        code, _, err = stop(process)
    assert code == 0, err
    assert "Traceback" not in err and "malformed request from 127.0.0.1 refused" in err
