"""``GET /api/v1/channels/line`` tells how much LINE quota this process spent: to an admin's token only."""

from __future__ import annotations

from typing import Any

import pytest

from models.api_tokens import issue_token
from models.enums import Role
from models.org import Office, User
from tests.support.line_world import line_world

PATH = "/api/v1/channels/line"


@pytest.mark.parametrize(("who", "status", "code"), [
    (None, 401, "unauthorized"),
    ("owner", 403, "forbidden"),
    ("director", 403, "forbidden"),
    ("director of the office", 403, "forbidden"),
    ("admin person", 200, None),
    ("admin", 200, None),
])
async def test_the_line_counters_need_an_admin_token(empty_database_url: str, who: str | None, status: int,
                                                     code: str | None) -> None:
    async with line_world(empty_database_url) as world:
        office = await Office.get(code="CMI1")
        tokens: dict[str, dict[str, Any]] = {
            "owner": {"user": world.people["suda"]},
            "director": {"user": world.people["somchai"]},
            "director of the office": {"role": Role.DIRECTOR, "office": office},
            "admin person": {"user": await User.get(role=Role.ADMIN)},
            "admin": {"role": Role.ADMIN}}
        headers = {}
        if who is not None:
            _, token = await issue_token(**tokens[who])
            headers["Authorization"] = f"Bearer {token}"
        response = await world.client.get(PATH, headers=headers)
        assert response.status == status
        body = await response.json()
        if code is None:
            assert body["channel"] == "line" and "pushes" in body
        else:
            assert body["error"]["code"] == code and "pushes" not in body
