"""Read-only search of the plan catalog: ``GET /api/v1/plans?q=&fy=&level=&limit=``."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from api.errors import json_error
from api.params import int_param
from models.catalog import search_plans
from models.plans import PlanNode

routes = web.RouteTableDef()
MAX_LIMIT = 100


def plan_json(node: PlanNode, parent_code: str | None) -> dict[str, Any]:
    """The public JSON form of a plan node."""
    return {
        "code": node.code,
        "family": node.family,
        "level": node.level,
        "kind": node.kind,
        "parent_code": parent_code,
        "title_th": node.title_th,
        "title_en": node.title_en,
        "nesdc_code": node.nesdc_code or None,
        "confirmed": node.confirmed,
        "valid_from_fy": node.valid_from_fy,
        "valid_to_fy": node.valid_to_fy,
    }


@routes.get("/api/v1/plans")
async def list_plans(request: web.Request) -> web.Response:
    """Plan nodes matching ``q`` (a code or Thai/English words), optionally for one fiscal year."""
    query = request.query.get("q", "").strip()
    if not query:
        return json_error(400, "missing_query", "give q= a plan code or Thai keywords")
    try:
        fiscal_year = int_param(request, "fy", 2500, 2700)
        level = int_param(request, "level", 1, 3)
        limit = int_param(request, "limit", 1, MAX_LIMIT) or 20
    except ValueError:
        return json_error(400, "bad_parameter", "fy is a Buddhist-era year, level 1–3, limit 1–100")
    nodes = await search_plans(query, fiscal_year=fiscal_year, level=level, limit=limit)
    parent_ids = {node.parent_id for node in nodes if node.parent_id}
    parents = {node.id: node.code for node in await PlanNode.filter(id__in=parent_ids)} if parent_ids else {}
    items = [plan_json(node, parents.get(node.parent_id) if node.parent_id else None) for node in nodes]
    return web.json_response({"query": query, "count": len(items), "items": items})
