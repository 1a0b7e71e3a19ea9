"""The annual action plan over HTTP: ``GET /api/v1/template.xlsx`` and ``POST /api/v1/import``.

The import takes the workbook as the request's body (an .xlsx, at most 10 MB) for ``office`` (a director's
token: their own office, the default; an admin's: any); ``dry_run=1`` only checks. Answers are JSON: the
errors by cell (422, nothing written) with their Thai lines, or what was created, updated and left alone.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from api.data_api import USER, authenticated
from api.errors import json_error
from api.keys import CLOCK
from api.params import int_param
from conversations.copy import render
from conversations.flows.flow import FlowId
from conversations.flows.registry import FLOWS
from conversations.oversight.export import XLSX
from conversations.oversight.plan_reader import MAX_BYTES, WorkbookRefused
from conversations.oversight.plan_template import template_workbook
from conversations.service.plan_import import import_plan, may_import
from models.fiscal import fiscal_year_of, local_day
from models.org import Office

routes = web.RouteTableDef()
CHUNK = 256 * 1024


@routes.get("/api/v1/template.xlsx")
@authenticated
async def template(request: web.Request) -> web.Response:
    """The empty template of the annual action plan (this fiscal year and the next in its lists)."""
    year = fiscal_year_of(local_day(request.app[CLOCK]()))
    content = await asyncio.to_thread(template_workbook, FLOWS[FlowId.REGISTER], (year, year + 1))
    return web.Response(body=content, content_type=XLSX,
                        headers={"Content-Disposition": 'attachment; filename="tidtam-template.xlsx"'})


async def _body(request: web.Request) -> bytes:
    """The request's body; refused when it is over the limit (read no further than that)."""
    content = bytearray()
    while chunk := await request.content.read(CHUNK):
        content.extend(chunk)
        if len(content) > MAX_BYTES:
            raise WorkbookRefused("imp.too_big", limit=MAX_BYTES // (1024 * 1024))
    return bytes(content)


@routes.post("/api/v1/import")
@authenticated
async def import_workbook(request: web.Request) -> web.Response:
    """Import a filled plan as drafts (all or nothing); with ``dry_run=1`` only check it."""
    user = request[USER]
    code = request.query.get("office", "").strip().upper()
    office = await Office.get_or_none(code=code) if code else None
    if office is None and not code and user.office_id:
        office = await Office.get_or_none(id=user.office_id)
    if office is None:
        return json_error(404 if code else 400, "no_office", "name the office: ?office=CODE")
    if not may_import(user, office):
        return json_error(403, "forbidden", "directors import for their own office, admins for any")
    fiscal_year = int_param(request, "fy", 2400, 2800)
    try:
        content = await _body(request)
        outcome = await import_plan(content, office, user, request.app[CLOCK](), fiscal_year=fiscal_year,
                                    dry_run=request.query.get("dry_run") in ("1", "true"))
    except WorkbookRefused as refused:
        status = 413 if refused.reason == "imp.too_big" else 415 if refused.reason == "imp.not_workbook" else 422
        return _json({"error": {"code": "refused", "message": refused.text()}}, status)
    if outcome.errors:
        return _json({"error": {"code": "invalid_cells", "message": render("imp.errors", count=len(outcome.errors),
                                                                           lines="")}, "written": False, "errors": [
            {"sheet": error.where.sheet, "row": error.where.row, "column": error.where.column,
             "value": error.where.value, "problem": error.problem, "line": error.line()} for error in outcome.errors]},
            422)
    return _json({"written": not outcome.dry_run, "office": office.code,
                           "fiscal_years": outcome.fiscal_years, "created": outcome.created,
                           "updated": outcome.updated, "unchanged": outcome.unchanged,
                           "left_alone": [{"key": item.key, "code": item.code, "status": item.status.value}
                                          for item in outcome.left_alone],
                           "filled_from_records": outcome.filled, "summary": outcome.summary()})


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    """JSON with Thai as Thai, so that ``curl`` output can be read."""
    return web.json_response(body, status=status, dumps=lambda data: json.dumps(data, ensure_ascii=False))
