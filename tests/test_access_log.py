"""The access log of ``tidtam serve`` (issue 20): no line for a webhook delivery that was stored, every other
request — a refused delivery among them — logged as aiohttp logs it."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from api.http_server import AccessLog

ACCESS = "aiohttp.access"


def logged(caplog: pytest.LogCaptureFixture, method: str, path: str, status: int) -> list[str]:
    caplog.clear()
    AccessLog(logging.getLogger(ACCESS)).log(make_mocked_request(method, path), web.Response(status=status), 0.001)
    return [record.getMessage() for record in caplog.records if record.name == ACCESS]


def test_a_stored_delivery_has_no_line_and_anything_else_has_its_own(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, ACCESS)
    assert logged(caplog, "POST", "/webhook/line", 200) == []
    assert logged(caplog, "POST", "/webhook/telegram", 200) == []
    for method, path, status in (("POST", "/webhook/line", 400), ("POST", "/webhook/telegram", 503),
                                 ("POST", "/webhook/telegram", 403), ("GET", "/api/v1/health", 200)):
        lines = logged(caplog, method, path, status)
        assert len(lines) == 1 and f"{method} {path}" in lines[0] and f" {status} " in lines[0], lines


def test_at_debug_the_stored_deliveries_are_logged_too(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, ACCESS)
    assert len(logged(caplog, "POST", "/webhook/line", 200)) == 1
