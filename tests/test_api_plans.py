"""The HTTP service: health endpoints and the read-only plan search, through the real app factory."""

from __future__ import annotations

from api.settings import Settings
from models.catalog import load_catalog
from tests.support.app import app_client


async def test_health_and_readiness(settings: Settings) -> None:
    async with app_client(settings) as client:
        health = await client.get("/healthz")
        assert health.status == 200 and (await health.json())["status"] == "ok"
        ready = await client.get("/readyz")
        assert ready.status == 200 and (await ready.json()) == {"status": "ready"}


async def test_plan_search_returns_matching_nodes_as_json(settings: Settings) -> None:
    async with app_client(settings) as client:
        await load_catalog()
        response = await client.get("/api/v1/plans", params={"q": "การศึกษา"})
        assert response.status == 200
        assert response.content_type == "application/json"
        body = await response.json()
        codes = [item["code"] for item in body["items"]]
        assert {"RF-12", "MP-12-01-Y1", "L3-EDU-NEP"} <= set(codes)
        assert body["count"] == len(codes)
        target = next(item for item in body["items"] if item["code"] == "MP-12-01-Y1")
        assert target["parent_code"] == "MP-12-01" and target["level"] == 2 and target["kind"] == "target"
        assert "การศึกษา" in target["title_th"] and target["confirmed"] is True
        unconfirmed = next(item for item in body["items"] if item["code"] == "L3-EDU-NEP")
        assert unconfirmed["confirmed"] is False

        by_code = await (await client.get("/api/v1/plans", params={"q": "NS-03"})).json()
        assert by_code["items"][0]["code"] == "NS-03" and by_code["items"][0]["parent_code"] == "NS"

        limited = await (await client.get("/api/v1/plans", params={"q": "การ", "limit": "3", "level": "2"})).json()
        assert limited["count"] == 3 and {item["level"] for item in limited["items"]} == {2}


async def test_bad_plan_queries_get_json_errors(settings: Settings) -> None:
    async with app_client(settings) as client:
        missing = await client.get("/api/v1/plans")
        assert missing.status == 400 and (await missing.json())["error"]["code"] == "missing_query"
        for params in ({"q": "x", "level": "7"}, {"q": "x", "fy": "abc"}, {"q": "x", "limit": "0"}):
            bad = await client.get("/api/v1/plans", params=params)
            assert bad.status == 400 and (await bad.json())["error"]["code"] == "bad_parameter"
