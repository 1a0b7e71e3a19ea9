"""``tidtam serve`` as a real process with a Telegram bot token: it polls a Bot API server (the stand-in)
and a person registers and submits Project A on it, start to finish. Its logs never show the token."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import aiohttp

from api.demo import seed_demo
from models.clock import system_clock
from models.db import Database
from models.enums import ItemStatus, Role
from models.invites import issue_invite
from models.project import Project
from tests.support.processes import free_port, tidtam_env
from tests.support.scenario import register_project_a
from tests.support.telegram_app import screen_settle
from tests.support.telegram_standin import TelegramStandin
from tests.support.telegram_user import TelegramUser


async def started(process: asyncio.subprocess.Process, standin: TelegramStandin) -> bool:
    """Wait until the service polls the stand-in; False if it exits first."""
    polling = asyncio.create_task(standin.wait_for(lambda: bool(standin.called("getUpdates")), 30))
    exited = asyncio.create_task(process.wait())
    await asyncio.wait({polling, exited}, return_when=asyncio.FIRST_COMPLETED)
    polled = polling.done() and polling.exception() is None
    for task in (polling, exited):
        task.cancel()
    return polled


async def test_tidtam_serve_registers_a_project_over_a_bot_api_server(empty_database_url: str, tmp_path: Path
                                                                       ) -> None:
    async with Database(empty_database_url):
        people = await seed_demo()
        _, code = await issue_invite(role=Role.OWNER, user=people["suda"], now=system_clock())
    standin = TelegramStandin()
    await standin.start()
    port = free_port()
    env = tidtam_env(empty_database_url, TIDTAM_PORT=str(port), TELEGRAM_BOT_TOKEN=standin.token,
                     TELEGRAM_API_BASE_URL=standin.base_url, TIDTAM_LOG_LEVEL="DEBUG")
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "api.cli", "serve", env=env,
                                                       stdin=asyncio.subprocess.DEVNULL, stdout=log,
                                                       stderr=asyncio.subprocess.STDOUT)
    try:
        assert await started(process, standin), await asyncio.to_thread(log_path.read_text)
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as health:
            assert health.status == 200  # the HTTP service runs beside the bot
        suda = TelegramUser(standin, 7001, "สุดา", "ศรีสุข", settle=screen_settle(standin))
        await suda.say(f"/start {code}")
        assert "เชื่อมบัญชีเรียบร้อย" in suda.text
        await register_project_a(suda)  # type: ignore[arg-type]
        await suda.tap("📤 ส่งให้ผู้อำนวยการ")
        assert "ส่งโครงการ CMI1-2570-003 ให้ผู้อำนวยการแล้ว" in suda.text
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        returncode = await asyncio.wait_for(process.wait(), 30)
        await standin.close()
    logs = await asyncio.to_thread(log_path.read_text)
    assert returncode == 0, logs[-3000:]
    assert "telegram: long polling" in logs
    assert standin.token not in logs and standin.token.split(":")[1] not in logs
    async with Database(empty_database_url):
        assert (await Project.get(code="CMI1-2570-003")).status is ItemStatus.SUBMITTED
