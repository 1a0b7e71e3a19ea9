"""Bad input at the HTTP boundary: NUL bytes, lone surrogates, invalid UTF-8, raw non-ASCII bytes and over-long
values in any API query parameter or path segment get a 400 JSON ``bad_parameter`` saying what is accepted, and a
file link whose token cannot exist a 404 JSON; never a 500, never a traceback in the log. The requests are sent
as raw bytes (a client library would encode them), to the app served the way ``tidtam serve`` serves it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from api.demo import seed_demo
from api.settings import Settings
from api.url_input import MAX_SEGMENT, MAX_VALUE
from models.api_tokens import issue_token
from models.catalog import load_catalog
from models.clock import system_clock
from models.enums import Role
from models.shared_files import share
from tests.support.app import app_client

THAI = "การศึกษา"
THAI_ENCODED = "".join(f"%{byte:02X}" for byte in THAI.encode())
LONE_SURROGATE = "%ED%A0%80"  # U+D800 as UTF-8 would write it, which UTF-8 forbids


@dataclass(frozen=True)
class Answer:
    """Status, content type and JSON body of one raw request."""

    status: int
    content_type: str
    body: Any


@dataclass
class Rig:
    """The app, an admin's API token and a real file link's token."""

    client: TestClient[Any, Any]
    token: str
    file_token: str

    async def raw(self, target: bytes) -> Answer:
        """Send ``GET target`` exactly as given (no encoding, no checks) and read the answer."""
        assert self.client.server.port is not None
        reader, writer = await asyncio.open_connection("127.0.0.1", self.client.server.port)
        writer.write(b"GET " + target + b" HTTP/1.1\r\nHost: tidtam\r\nConnection: close\r\n"
                     b"Authorization: Bearer " + self.token.encode() + b"\r\n\r\n")
        await writer.drain()
        response = await reader.read()
        writer.close()
        head, _, body = response.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
        content_type = headers.get("content-type", "").split(";")[0]
        return Answer(int(lines[0].split()[1]), content_type,
                      json.loads(body) if content_type == "application/json" else body)


@pytest.fixture
async def rig(settings: Settings) -> AsyncIterator[Rig]:
    async with app_client(settings) as client:
        _, token = await issue_token(role=Role.ADMIN)
        file_token = await share("export.xlsx", "application/octet-stream", b"PK", system_clock())
        yield Rig(client, token, file_token)


BAD_PARAMETERS = [
    ("/api/v1/plans?q=%00", "control character"),
    ("/api/v1/plans?q=MP%00-12", "control character"),
    ("/api/v1/plans?q=%FF", "not UTF-8"),
    ("/api/v1/plans?q=%", "not followed by two hexadecimal digits"),  # a malformed query string
    ("/api/v1/plans?q=50%zz", "not followed by two hexadecimal digits"),
    ("/api/v1/plans?q=%E0%B8%8", "not followed by two hexadecimal digits"),
    ("/api/v1/plans?q%=MP", "not followed by two hexadecimal digits"),
    ("/api/v1/projects/CMI1%2", "not followed by two hexadecimal digits"),
    ("/api/v1/plans?q=%C3%28", "not UTF-8"),
    (f"/api/v1/plans?q={LONE_SURROGATE}", "not UTF-8"),
    (f"/api/v1/plans?q={'a' * (MAX_VALUE + 1)}", "at most 200"),
    (f"/api/v1/plans?q={THAI_ENCODED * 26}", "at most 200"),  # 208 Thai characters
    ("/api/v1/plans?q=MP&level=%00", "control character"),
    ("/api/v1/plans?q=MP&fy=%FF", "not UTF-8"),
    ("/api/v1/plans?%00=1&q=MP", "control character"),
    ("/api/v1/plans?%FF=1&q=MP", "not UTF-8"),
    ("/api/v1/plans?q=%1B%5B31m", "control character"),  # a terminal escape
    ("/api/v1/projects?office=%00", "control character"),
    ("/api/v1/projects?office=CMI1%FF", "not UTF-8"),
    ("/api/v1/projects?status=%00", "control character"),
    (f"/api/v1/projects?status={'x' * 5000}", "at most 200"),
    ("/api/v1/projects/%00", "control character"),
    ("/api/v1/projects/CMI1-2570-001%00", "control character"),
    ("/api/v1/projects/%FF", "not UTF-8"),
    (f"/api/v1/projects/{LONE_SURROGATE}", "not UTF-8"),
    (f"/api/v1/projects/{'A' * (MAX_SEGMENT + 1)}", "at most 100"),
    ("/api/v1/reports?fy=%00&q=1", "control character"),
    ("/api/v1/reports?status=%FF", "not UTF-8"),
    ("/api/v1/status?fy=2570%00&q=1", "control character"),
    ("/api/v1/export.xlsx?fy=%FF", "not UTF-8"),
    ("/api/v1/channels/line?x=%00", "control character"),
    ("/api/v1/nothing-here%00", "control character"),
]


@pytest.mark.parametrize(("target", "says"), BAD_PARAMETERS, ids=[target[:50] for target, _ in BAD_PARAMETERS])
async def test_bad_input_in_an_api_url_is_a_400_saying_what_is_accepted(
        rig: Rig, caplog: pytest.LogCaptureFixture, target: str, says: str) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await rig.raw(target.encode())
    assert (answer.status, answer.content_type) == (400, "application/json"), answer
    assert answer.body["error"]["code"] == "bad_parameter" and says in answer.body["error"]["message"]
    assert not [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]


UNPARSEABLE = [
    f"/api/v1/plans?q={THAI}".encode(),  # what `curl '…?q=การศึกษา'` sends
    f"/api/v1/projects/{THAI}".encode(),
    b"/api/v1/plans?q=\xff",
    b"/api/v1/plans?q=\x00",
    b"/api/v1/plans?q=" + b"a" * 9000,  # beyond aiohttp's 8,190 bytes of request line
    f"/files/{THAI}/x".encode(),
]


@pytest.mark.parametrize("target", UNPARSEABLE, ids=[repr(target[:40]) for target in UNPARSEABLE])
async def test_a_request_line_the_server_cannot_parse_is_a_json_400_without_a_traceback(
        rig: Rig, caplog: pytest.LogCaptureFixture, target: bytes) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await rig.raw(target)
    assert (answer.status, answer.content_type) == (400, "application/json"), answer
    assert answer.body["error"]["code"] in {"bad_parameter", "bad_request"}
    assert not [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]
    assert (await rig.raw(b"/api/v1/plans?q=MP")).status == 200  # and the server goes on


NO_SUCH_FILES = ["/files/%00/x.xlsx", "/files/%FF/x.xlsx", f"/files/{LONE_SURROGATE}/x", f"/files/{'a' * 5000}/x",
                 "/files/short/x.xlsx", "/files/abc%00def-ghijklmnopqrstuvwxyz0123456789ABCD/x.xlsx",
                 "/files/Zm9yZ2VkLXRva2VuLXRoYXQtd2FzLW5ldmVyLWlzc3VlZA/x.xlsx"]


@pytest.mark.parametrize("target", NO_SUCH_FILES, ids=[target[:40] for target in NO_SUCH_FILES])
async def test_a_file_token_that_cannot_exist_is_a_json_404(rig: Rig, caplog: pytest.LogCaptureFixture,
                                                             target: str) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await rig.raw(target.encode())
    assert (answer.status, answer.body["error"]["code"]) == (404, "not_found"), answer
    assert not [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]


async def test_good_input_still_passes(rig: Rig) -> None:
    await load_catalog()
    await seed_demo()
    found = await rig.raw(f"/api/v1/plans?q={THAI_ENCODED}".encode())
    assert found.status == 200 and found.body["query"] == THAI and found.body["count"] > 0
    assert (await rig.raw(f"/api/v1/plans?q={THAI_ENCODED}+MP&limit=5".encode())).status == 200
    assert (await rig.raw(f"/api/v1/plans?q={'a' * MAX_VALUE}".encode())).status == 200
    assert (await rig.raw(b"/api/v1/plans?q=%E0%B8%81%09%E0%B8%B2")).status == 200  # a tab in pasted words
    assert (await rig.raw(b"/api/v1/projects/CMI1-2570-001")).status == 200
    served = await rig.raw(f"/files/{rig.file_token}/export.xlsx".encode())
    assert served.status == 200 and served.body == b"PK"
