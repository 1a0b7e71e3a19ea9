"""The read-only data API behind bearer tokens: projects, reports, quarter status and the Excel export.

Every endpoint answers within the token's user's scope (``conversations.oversight.monitoring.scope``): an owner's
token sees their projects, a director's their office's, an admin's everything. Errors are JSON with a
stable code. The OpenAPI document at ``/api/v1/openapi.json`` describes all of it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from api.errors import json_error
from api.keys import CLOCK, SETTINGS
from api.openapi import OPENAPI
from api.params import BadParameter, int_param
from conversations.flows.flow import Flow, FlowId, Group, JsonItems, Question, Rows, groups
from conversations.flows.registry import FLOWS
from conversations.oversight.documents import PDF, pdf_filename, project_pdf, report_pdf
from conversations.oversight.export import XLSX, export_workbook
from conversations.oversight.field_columns import api_fields, json_value
from conversations.oversight.handover import not_keyed, pack_text, pack_workbook, project_handover
from conversations.oversight.monitoring import current_period, quarter_picture, scope
from models.api_tokens import user_of
from models.enums import ItemStatus, Role
from models.fiscal import FiscalQuarter, local_day
from models.org import Office, User
from models.project import Project
from models.report import QuarterReport

routes = web.RouteTableDef()
USER = web.RequestKey("api_user", User)
MAX_PER_PAGE = 200
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json_response(body: Any, status: int = 200) -> web.Response:
    """JSON with Thai as Thai (not ``\\u0e2a…``), so that ``curl`` output can be read."""
    return web.json_response(body, status=status, dumps=_dumps)


def _dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)


def authenticated(handler: Handler) -> Handler:
    """Refuse a request without a valid bearer token (401); put the token's user on the request."""
    async def check(request: web.Request) -> web.StreamResponse:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        user = await user_of(token.strip(), request.app[CLOCK]()) if scheme.lower() == "bearer" else None
        if user is None:
            response = json_error(401, "unauthorized", "send a valid token: Authorization: Bearer <token>")
            response.headers["WWW-Authenticate"] = 'Bearer realm="tidtam"'
            return response
        request[USER] = user
        try:
            return await handler(request)
        except BadParameter as problem:
            return json_error(400, "bad_parameter", str(problem))

    check.__doc__ = handler.__doc__
    return check


def admin_only(handler: Handler) -> Handler:
    """Refuse (403) a token that does not act as an admin; wrap it in :func:`authenticated`, which runs first."""
    async def check(request: web.Request) -> web.StreamResponse:
        if request[USER].role is not Role.ADMIN:
            return json_error(403, "forbidden", "this endpoint needs an admin's token")
        return await handler(request)

    check.__doc__ = handler.__doc__
    return check


def _page(request: web.Request) -> tuple[int, int]:
    page = int_param(request, "page", 1, 1_000_000) or 1
    per_page = int_param(request, "per_page", 1, MAX_PER_PAGE) or 50
    return page, per_page


PROJECT_FIELDS = ("id", "code", "emenscr_id", "emenscr_keyed_at", "fiscal_year", "status", "name", "project_type",
                  "budget_plan", "uses_budget", "start_date", "end_date", "submitted_at", "decided_at", "office__code",
                  "owner__name")


@routes.get("/api/v1/projects")
@authenticated
async def projects(request: web.Request) -> web.Response:
    """Projects in scope: ``fy``, ``office`` (code), ``status`` filters; ``page`` and ``per_page``."""
    query = Project.filter(**scope(request[USER]))
    fiscal_year = int_param(request, "fy", 2400, 2800)
    if fiscal_year:
        query = query.filter(fiscal_year=fiscal_year)
    if request.query.get("office"):
        query = query.filter(office__code=request.query["office"].upper())
    if request.query.get("status"):
        try:
            query = query.filter(status=ItemStatus(request.query["status"]))
        except ValueError:
            raise BadParameter(f"status is one of {', '.join(s.value for s in ItemStatus)}") from None
    page, per_page = _page(request)
    total = await query.count()
    rows = await query.order_by("code").offset((page - 1) * per_page).limit(per_page).values(*PROJECT_FIELDS)
    return _json_response({"page": page, "per_page": per_page, "total": total,
                              "items": [{key.replace("__", "_"): json_value(value) for key, value in row.items()}
                                        for row in rows]})


def _pdf_response(content: bytes, filename: str) -> web.Response:
    return web.Response(body=content, content_type=PDF,
                        headers={"Content-Disposition": f'inline; filename="{filename}"'})


@routes.get(r"/api/v1/projects/{code}.pdf")
@authenticated
async def project_document(request: web.Request) -> web.Response:
    """The project's registration (M1–M5) as an A4 PDF form; 404 outside the token's scope."""
    code = request.match_info["code"].upper()
    content = await project_pdf(code, request[USER])
    if content is None:
        return json_error(404, "not_found", "no such project within this token's scope")
    return _pdf_response(content, pdf_filename(code))


@routes.get(r"/api/v1/reports/{code}/{fy:\d+}/{q:\d+}.pdf")
@authenticated
async def report_document(request: web.Request) -> web.Response:
    """One quarterly report (M6) as an A4 PDF form; 404 when there is none within the token's scope."""
    code, fiscal_year, quarter = (request.match_info["code"].upper(), int(request.match_info["fy"]),
                                  int(request.match_info["q"]))
    if quarter not in (1, 2, 3, 4):
        raise BadParameter("the quarter is 1, 2, 3 or 4")
    content = await report_pdf(code, fiscal_year, quarter, request[USER])
    if content is None:
        return json_error(404, "not_found", "no such report within this token's scope")
    return _pdf_response(content, pdf_filename(code, fiscal_year, quarter))


# Fields that are not questions of the flows (codes, statuses, dates of the approval round), and the names
# served before the fields were derived from the flows, kept for the API's users.
PROJECT_EXTRAS = ("code", "emenscr_id", "emenscr_keyed_at", "status", "submitted_at", "decided_at")
REPORT_EXTRAS = ("fiscal_year", "quarter", "status", "late", "submitted_at", "planned_amount", "emenscr_keyed_at")
ROW_EXTRAS: dict[str, tuple[str, ...]] = {"activities": ("parent_id",)}  # a sub-activity's parent
ALIASES: dict[str, dict[str, str]] = {"kpis": {"target": "target_value"},
                                      "budget_lines": {"category": "expense_category"}}


def _row_groups(flow: Flow) -> list[tuple[Group, Rows, tuple[Question, ...]]]:
    """The flow's groups stored as rows, each with its questions (a nested group's rows are in the same list)."""
    found = []
    for group in groups(flow):
        if isinstance(group.store, Rows):
            questions = group.questions
            if group.children is not None:
                questions += tuple(question for question in group.children.questions
                                   if question.key not in {known.key for known in questions})
            found.append((group, group.store, questions))
    return found


def _record_json(flow: Flow, record: Any, extras: tuple[str, ...]) -> dict[str, Any]:
    """A record's fields: the extras, every question by its key (a multi-select of yes/no columns also each
    column by name), the JSON lists and the rows of every group."""
    body = {name: json_value(getattr(record, name)) for name in extras}
    body |= api_fields(flow.questions(), record)
    body |= {option.column: getattr(record, option.column) for question in flow.questions()
             for option in question.options if option.column}
    for group in groups(flow):
        if isinstance(group.store, JsonItems):
            body[group.key] = getattr(record, group.store.column)
    for group, store, questions in _row_groups(flow):
        identity = "id" if store.match == "id" else store.match
        body[group.key] = [{identity: getattr(row, identity)} | api_fields(questions, row)
                           | {name: json_value(getattr(row, name)) for name in ROW_EXTRAS.get(group.key, ())}
                           | {alias: json_value(getattr(row, column))
                              for alias, column in ALIASES.get(group.key, {}).items()}
                           for row in getattr(record, store.relation)]
    return body


def _prefetched(flow: Flow, prefix: str = "") -> list[str]:
    return [f"{prefix}{store.relation}" for _, store, _ in _row_groups(flow)]


@routes.get("/api/v1/projects/{code}/emenscr")
@authenticated
async def project_emenscr(request: web.Request) -> web.Response:
    """The project's eMENSCR copy pack (M1 level by level to M5, then M6 of each approved report), each field's
    name and value: plain text, or a workbook with ``?format=xlsx`` or ``Accept`` asking for one; 404 outside
    the token's scope."""
    wanted = request.query.get("format", "")
    if wanted not in ("", "text", "xlsx"):
        raise BadParameter("format is text or xlsx")
    handover = await project_handover(request.match_info["code"].upper(), request[USER])
    if handover is None:
        return json_error(404, "not_found", "no such project within this token's scope")
    if wanted == "xlsx" or (not wanted and XLSX in request.headers.get("Accept", "")):
        return web.Response(body=pack_workbook(handover), content_type=XLSX, headers={
            "Content-Disposition": f'attachment; filename="{handover.code}-emenscr.xlsx"'})
    return web.Response(text=pack_text(handover), content_type="text/plain", charset="utf-8")


@routes.get("/api/v1/projects/{code}")
@authenticated
async def project(request: web.Request) -> web.Response:
    """One project in scope, with its plan links, KPIs, activities, budget lines and reports; 404 otherwise.

    Every question of the registration flow is a field named by its key (``conversations.oversight.field_columns``)."""
    found = await Project.filter(code=request.match_info["code"].upper(), **scope(request[USER])).prefetch_related(
        "office", "owner", "plan_links__plan_node", *_prefetched(FLOWS[FlowId.REGISTER]), "reports",
        *_prefetched(FLOWS[FlowId.REPORT], "reports__")).first()
    if found is None:
        return json_error(404, "not_found", "no such project within this token's scope")
    body = _record_json(FLOWS[FlowId.REGISTER], found, PROJECT_EXTRAS)
    body |= {
        "office": {"code": found.office.code, "name": found.office.name},
        "owner": {"name": found.owner.name},
        "plan_links": [{"plan_code": link.plan_node.code, "title": link.plan_node.title_th,
                        "reference": link.reference_text} for link in found.plan_links],
        "reports": [_report_json(report, found.code) for report in sorted(
            found.reports, key=lambda report: (report.fiscal_year, report.quarter))],
    }
    return _json_response(body)


def _report_json(report: QuarterReport, code: str) -> dict[str, Any]:
    """A report's fields: every question of the report flow by its key, its KPI values, activity progress and
    contributions, and the extras."""
    return {"project_code": code} | _record_json(FLOWS[FlowId.REPORT], report, REPORT_EXTRAS)


@routes.get("/api/v1/reports")
@authenticated
async def reports(request: web.Request) -> web.Response:
    """Quarterly reports in scope: ``fy``, ``q``, ``status`` filters; ``page`` and ``per_page``."""
    query = QuarterReport.filter(**scope(request[USER], "project__"))
    fiscal_year, quarter = int_param(request, "fy", 2400, 2800), int_param(request, "q", 1, 4)
    if fiscal_year:
        query = query.filter(fiscal_year=fiscal_year)
    if quarter:
        query = query.filter(quarter=quarter)
    if request.query.get("status"):
        try:
            query = query.filter(status=ItemStatus(request.query["status"]))
        except ValueError:
            raise BadParameter(f"status is one of {', '.join(s.value for s in ItemStatus)}") from None
    page, per_page = _page(request)
    total = await query.count()
    rows = await query.order_by("project__code", "fiscal_year", "quarter").offset((page - 1) * per_page).limit(
        per_page).prefetch_related("project", *_prefetched(FLOWS[FlowId.REPORT]))
    return _json_response({"page": page, "per_page": per_page, "total": total,
                              "items": [_report_json(report, report.project.code) for report in rows]})


@routes.get("/api/v1/status")
@authenticated
async def status(request: web.Request) -> web.Response:
    """A quarter's status per office in scope (``fy`` and ``q``; default the quarter being reported now), with
    the first 1,000 pending projects (``pending_total`` counts them all; ``/projects`` pages through them)."""
    today = local_day(request.app[CLOCK]())
    policy = request.app[SETTINGS].reporting_policy
    fiscal_year, quarter = int_param(request, "fy", 2400, 2800), int_param(request, "q", 1, 4)
    if (fiscal_year is None) != (quarter is None):
        raise BadParameter("give both fy and q, or neither (the quarter being reported now)")
    period = FiscalQuarter(fiscal_year, quarter) if fiscal_year and quarter else await current_period(today, policy)
    picture = await quarter_picture(request[USER], period, today, policy)
    offices = [{"code": office.code, "name": office.name, "projects": office.projects, "on_time": office.on_time,
                "late": office.late, "pending": office.pending, "awaiting_decision": office.waiting,
                "approved": office.approved, "returned": office.returned, "planned": json_value(office.planned),
                "disbursed": json_value(office.disbursed), "disbursed_percent": json_value(office.percent)}
               for office in picture.offices]
    backlog = {office.code: office for office in await not_keyed(request[USER])}
    for entry in offices:
        waiting = backlog.get(str(entry["code"]))
        entry["not_in_emenscr"] = {"projects": waiting.projects if waiting else 0,
                                   "reports": waiting.reports if waiting else 0}
    pending = [{"code": item.code, "name": item.name, "owner": item.owner, "office": item.office_code,
                "report_status": json_value(item.status), "days_left": item.days_left} for item in picture.pending]
    return _json_response({"fiscal_year": period.fiscal_year, "quarter": period.quarter,
                           "pending_total": picture.total.pending, "pending_listed": len(pending),
                              "opens": picture.window.opens.isoformat(), "due": picture.window.due.isoformat(),
                              "locks": picture.window.locks.isoformat(), "offices": offices, "pending": pending,
                           "not_in_emenscr": [{"office": office.code, "name": office.name, "projects": office.projects,
                                               "reports": office.reports} for office in backlog.values()]})


@routes.get("/api/v1/export.xlsx")
@authenticated
async def export(request: web.Request) -> web.Response:
    """The Excel export of every project in scope (of one fiscal year with ``fy``)."""
    fiscal_year = int_param(request, "fy", 2400, 2800)
    user = request[USER]
    content = await export_workbook(user, fiscal_year=fiscal_year)
    office = await Office.get_or_none(id=user.office_id) if user.office_id else None
    filename = f"tidtam-{office.code if office else 'all'}-{fiscal_year or 'all'}.xlsx"
    return web.Response(body=content, content_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@routes.get("/api/v1/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    """The OpenAPI 3.1 description of this API (no token needed to read it)."""
    return _json_response(OPENAPI)
