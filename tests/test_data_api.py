"""The data API through the app factory: bearer tokens (missing, wrong, revoked), scoping by the token's
role and office, pagination, bad parameters, the Excel export and the OpenAPI document."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from openpyxl import load_workbook

from api.demo import seed_demo
from api.settings import Settings
from models.api_tokens import issue_token
from models.clock import system_clock
from models.enums import Role
from models.org import ApiToken, Office, User
from tests.support.app import app_client, bearer
from tests.support.reminders import second_office

Client = TestClient[Any, Any]


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[Client]:
    async with app_client(settings) as client:
        await seed_demo()
        await second_office()
        yield client


async def codes(client: Client, headers: dict[str, str], path: str = "/api/v1/projects") -> set[str]:
    response = await client.get(path, headers=headers)
    assert response.status == 200, await response.text()
    return {item["code"] for item in (await response.json())["items"]}


async def test_without_a_valid_token_nothing_is_answered(client: Client) -> None:
    paths = ["/api/v1/projects", "/api/v1/projects/CMI1-2570-001", "/api/v1/reports", "/api/v1/status",
             "/api/v1/export.xlsx"]
    revoked = await bearer(role=Role.ADMIN)
    await ApiToken.all().update(revoked_at=system_clock())
    for headers in ({}, {"Authorization": "Bearer tdt_wrong"}, {"Authorization": "Basic abc"}, revoked):
        for path in paths:
            response = await client.get(path, headers=headers)
            assert response.status == 401, path
            body = await response.json()
            assert body["error"]["code"] == "unauthorized" and response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_each_token_sees_its_scope(client: Client) -> None:
    cmi1 = await Office.get(code="CMI1")
    admin, director = await bearer(role=Role.ADMIN), await bearer(role=Role.DIRECTOR, office=cmi1)
    owner = await bearer(user=await User.get(name="นางสาวสุดา ศรีสุข"))
    assert await codes(client, admin) == {"CMI1-2570-001", "CMI1-2570-002", "LPN1-2570-001"}
    assert await codes(client, director) == {"CMI1-2570-001", "CMI1-2570-002"}
    assert await codes(client, owner) == {"CMI1-2570-001"}
    assert (await client.get("/api/v1/projects/LPN1-2570-001", headers=director)).status == 404
    assert (await client.get("/api/v1/projects/CMI1-2570-002", headers=owner)).status == 404
    card = await (await client.get("/api/v1/projects/cmi1-2570-001", headers=owner)).json()
    assert card["office"]["code"] == "CMI1" and card["kpis"] and card["budget_lines"] and card["activities"]

    status = await (await client.get("/api/v1/status?fy=2570&q=1", headers=director)).json()
    assert [office["code"] for office in status["offices"]] == ["CMI1"]
    assert {item["code"] for item in status["pending"]} == {"CMI1-2570-001", "CMI1-2570-002"}
    assert status["due"] == "2027-01-15" and status["offices"][0]["planned"] == "150000.00"
    everything = await (await client.get("/api/v1/status?fy=2570&q=1", headers=admin)).json()
    assert [office["code"] for office in everything["offices"]] == ["CMI1", "LPN1"]

    response = await client.get("/api/v1/export.xlsx?fy=2570", headers=director)
    assert response.status == 200 and "tidtam-CMI1-2570.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(await response.read()))
    assert {row[0] for row in workbook["โครงการ"].iter_rows(min_row=2, values_only=True)} == {
        "CMI1-2570-001", "CMI1-2570-002"}


async def test_filters_pages_and_bad_parameters(client: Client) -> None:
    admin = await bearer(role=Role.ADMIN)
    first = await (await client.get("/api/v1/projects?per_page=2", headers=admin)).json()
    second = await (await client.get("/api/v1/projects?per_page=2&page=2", headers=admin)).json()
    assert first["total"] == 3 and len(first["items"]) == 2 and len(second["items"]) == 1
    assert {item["code"] for item in first["items"] + second["items"]} == {
        "CMI1-2570-001", "CMI1-2570-002", "LPN1-2570-001"}
    assert await codes(client, admin, "/api/v1/projects?office=lpn1") == {"LPN1-2570-001"}
    assert await codes(client, admin, "/api/v1/projects?fy=2569") == set()
    reports = await (await client.get("/api/v1/reports?fy=2570&q=1", headers=admin)).json()
    assert reports["total"] == 0 and reports["items"] == []
    for bad in ("/api/v1/projects?per_page=1000", "/api/v1/projects?status=lost", "/api/v1/status?fy=2570",
                "/api/v1/reports?q=5", "/api/v1/projects?fy=abc"):
        response = await client.get(bad, headers=admin)
        assert response.status == 400, bad
        assert (await response.json())["error"]["code"] == "bad_parameter"


async def test_the_openapi_document_describes_every_route(client: Client) -> None:
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    document = await response.json()
    assert document["openapi"].startswith("3.1")
    routes = {resource.canonical for resource in client.app.router.resources()
              if resource.canonical.startswith(("/api/", "/healthz", "/readyz"))}
    routes -= {"/api/v1/channels/line"}  # only with LINE configured
    assert routes <= set(document["paths"]), routes - set(document["paths"])


async def test_tokens_are_stored_hashed_and_owner_tokens_need_the_person(client: Client) -> None:
    row, token = await issue_token(role=Role.ADMIN, name="dashboard")
    assert token.startswith("tdt_") and token not in row.token_hash and len(row.token_hash) == 64
    with pytest.raises(ValueError, match="owner"):
        await issue_token(role=Role.OWNER)
    with pytest.raises(ValueError, match="office"):
        await issue_token(role=Role.DIRECTOR)


async def test_every_api_error_is_json(client: Client) -> None:
    admin = await bearer(role=Role.ADMIN)
    unknown = await client.get("/api/v1/nothing-here", headers=admin)
    assert unknown.status == 404 and (await unknown.json())["error"]["code"] == "not_found"
    posted = await client.post("/api/v1/projects", headers=admin)
    assert posted.status == 405 and (await posted.json())["error"]["code"] == "method_not_allowed"
    odd = await client.get("/api/v1/projects?page=²", headers=admin)
    assert odd.status == 400 and (await odd.json())["error"]["code"] == "bad_parameter"
