"""``tidtam serve`` as a real process with LINE configured from the environment (what ``make run`` does):
it serves the signed webhook, links a new friend and starts a project, and stops cleanly.
"""

from __future__ import annotations

import aiohttp

from api.demo import seed_demo
from models.api_tokens import issue_token
from models.clock import system_clock
from models.db import Database
from models.enums import ItemStatus, Role
from models.invites import issue_invite
from models.project import Project
from tests.support.line_standin import line_standin
from tests.support.line_user import LineUser
from tests.support.line_world import ACCESS_TOKEN, SECRET
from tests.support.processes import free_port, start_tidtam, stop, tidtam_env, wait_until_healthy


async def test_serve_answers_line_from_a_new_friend_to_a_draft_project(empty_database_url: str) -> None:
    async with Database(empty_database_url):
        people = await seed_demo()
        _, code = await issue_invite(role=Role.OWNER, user=people["weera"], now=system_clock())
    port = free_port()
    async with line_standin(ACCESS_TOKEN) as standin, aiohttp.ClientSession() as session:
        env = tidtam_env(empty_database_url, TIDTAM_PORT=str(port), LINE_CHANNEL_SECRET=SECRET,
                         LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN, LINE_API_BASE_URL=standin.url)
        process = start_tidtam(["serve", "--chat-as", "suda"], env)  # no terminal chat: LINE is configured

        async def settle(user_id: str, before: int) -> None:
            await standin.wait_for_deliveries(user_id, before + 1)  # each of these turns answers once

        weera = LineUser(standin, secret=SECRET, clock=system_clock, webhook_url=f"http://127.0.0.1:{port}"
                         "/webhook/line", session=session, settle=settle, display_name="Weera K.")
        try:
            await wait_until_healthy(port, process)
            await weera.follow()
            assert "รหัสเชิญ" in weera.text
            await weera.say(code.lower())
            assert "เชื่อมบัญชีเรียบร้อย ยินดีต้อนรับนายวีระ แก้วมณี" in weera.text
            await weera.tap("ลงทะเบียนโครงการใหม่")
            await weera.say("โครงการนิเทศออนไลน์ผ่านไลน์")
            await weera.tap(weera.labels()[0])  # this fiscal year, whichever it is today
            assert "สร้างโครงการแล้ว" in weera.text
            async with Database(empty_database_url):
                _, token = await issue_token(role=Role.ADMIN)
            async with session.get(f"http://127.0.0.1:{port}/api/v1/channels/line",
                                   headers={"Authorization": f"Bearer {token}"}) as response:
                counts = await response.json()
            assert counts["replies"] == 5 and counts["pushes"] == 0
        finally:
            status, _, err = stop(process)
    assert status == 0, err
    assert "Traceback" not in err
    async with Database(empty_database_url):
        project = await Project.get(name="โครงการนิเทศออนไลน์ผ่านไลน์")
        assert project.status is ItemStatus.DRAFT and project.owner_id == people["weera"].id
