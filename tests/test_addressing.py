"""Greetings say "คุณ" before a plain name and nothing before a name that carries its title (นาย, นางสาว, ดร.,
ว่าที่ร้อยตรี, ผศ. …): never "คุณนายอนุชา"."""

from __future__ import annotations

import pytest

from models.enums import Role
from models.invites import issue_invite
from models.org import User
from tests.support.line_world import line_world


@pytest.mark.parametrize(("name", "greeting"), [
    ("นายอนุชา ใจงาม", "สวัสดีค่ะ นายอนุชา ใจงาม ("),
    ("นางพรทิพย์ สุขใจ", "สวัสดีค่ะ นางพรทิพย์ สุขใจ ("),
    ("ดร.ปรีชา วงศ์ดี", "สวัสดีค่ะ ดร.ปรีชา วงศ์ดี ("),
    ("ว่าที่ร้อยตรีสมพงษ์ มั่นคง", "สวัสดีค่ะ ว่าที่ร้อยตรีสมพงษ์ มั่นคง ("),
    ("ผศ. มาลี ดีงาม", "สวัสดีค่ะ ผศ. มาลี ดีงาม ("),
    ("Dr. Somsak", "สวัสดีค่ะ Dr. Somsak ("),
    ("อนุชา ใจงาม", "สวัสดีค่ะ คุณอนุชา ใจงาม ("),  # no title: "คุณ" is the polite address
    ("คุณากร ศรีงาม", "สวัสดีค่ะ คุณคุณากร ศรีงาม ("),  # a given name that starts like a title
    ("พระพาย ลมดี", "สวัสดีค่ะ คุณพระพาย ลมดี ("),
])
async def test_line_greetings_put_khun_only_before_a_plain_name(empty_database_url: str, name: str,
                                                                 greeting: str) -> None:
    async with line_world(empty_database_url) as world:
        person = await User.create(name=name, role=Role.OWNER, office_id=world.people["suda"].office_id)
        line = world.user()
        await line.follow()
        _, code = await issue_invite(role=Role.OWNER, user=person, now=world.clock())
        await line.say(code)
        welcome = greeting.replace("สวัสดีค่ะ ", "ยินดีต้อนรับ").removesuffix(" (")
        assert f"เชื่อมบัญชีเรียบร้อย {welcome} ในบทบาท" in line.text, line.text
        await line.say("เมนู")
        assert line.text.startswith(greeting), line.text
        assert ("คุณ" + name in line.text) is greeting.startswith("สวัสดีค่ะ คุณ")
