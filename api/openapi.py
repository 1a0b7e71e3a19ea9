"""The OpenAPI 3.1 document of the HTTP API, served at ``/api/v1/openapi.json`` (kept beside the handlers'
tests, which check that every route is described)."""

from __future__ import annotations

from typing import Any

_ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}
_ERROR = {"description": "an error", "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
_AUTH = {"401": {**_ERROR, "description": "no valid bearer token"}, "400": {**_ERROR, "description": "a bad parameter"}}


def _query(name: str, description: str, kind: str = "integer") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": {"type": kind}}


_PAGING = [_query("page", "page number, from 1"), _query("per_page", "items per page, 1–200 (default 50)")]
_JSON = {"content": {"application/json": {"schema": {"type": "object"}}}}
_PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


def _path(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Tidtam API", "version": "1",
             "description": "Projects and quarterly reports registered through Tidtam, scoped to the token's user: "
                            "an owner's token sees their projects, a director's their office, an admin's all."},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "a token from `tidtam token create`"}},
        "schemas": {"Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}},
    },
    "security": [{"bearer": []}],
    "paths": {
        "/healthz": {"get": {"summary": "the process serves", "security": [],
                             "responses": {"200": {"description": "ok", **_JSON}}}},
        "/readyz": {"get": {"summary": "the database answers", "security": [],
                            "responses": {"200": {"description": "ready", **_JSON},
                                          "503": {**_ERROR, "description": "the database does not answer"}}}},
        "/api/v1/plans": {"get": {"summary": "search the plan catalog", "security": [],
                                  "parameters": [_query("q", "code prefix or Thai words", "string"),
                                                 _query("fy", "fiscal year (BE)"), _query("level", "1–3"),
                                                 _query("limit", "1–100")],
                                  "responses": {"200": {"description": "plan nodes", **_JSON}, "400": _ERROR}}},
        "/api/v1/projects": {"get": {"summary": "projects in scope, paged",
                                     "parameters": [_query("fy", "fiscal year (BE), e.g. 2570"),
                                                    _query("office", "office code, e.g. CMI1", "string"),
                                                    _query("status", "draft, submitted, approved or returned",
                                                           "string"), *_PAGING],
                                     "responses": {"200": {"description": "a page of projects", **_JSON}, **_AUTH}}},
        "/api/v1/projects/{code}": {"get": {
            "summary": "one project with its plan links, KPIs, activities, budget lines and reports",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the project", **_JSON}, **_AUTH,
                          "404": {**_ERROR, "description": "not found within the token's scope"}}}},
        "/api/v1/projects/{code}/emenscr": {"get": {
            "summary": "the project's eMENSCR copy pack (M1 by plan level to M5, then M6 of each approved report): "
                       "each step's fields and values, and whether the step is keyed in",
            "parameters": [_path("code"), _query("format", "text (default) or xlsx; or Accept: the xlsx type",
                                                  "string")],
            "responses": {"200": {"description": "the pack", "content": {
                "text/plain": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}}}}, **_AUTH,
                "404": {**_ERROR, "description": "not found within the token's scope"}}}},
        "/api/v1/projects/{code}.pdf": {"get": {
            "summary": "the project's registration (M1–M5) as an A4 PDF form",
            "parameters": [_path("code")],
            "responses": {"200": {"description": "the document", **_PDF}, **_AUTH,
                          "404": {**_ERROR, "description": "not found within the token's scope"}}}},
        "/api/v1/reports/{code}/{fy}/{q}.pdf": {"get": {
            "summary": "one quarterly report (M6) as an A4 PDF form",
            "parameters": [_path("code"), _path("fy", "integer"), _path("q", "integer")],
            "responses": {"200": {"description": "the document", **_PDF}, **_AUTH,
                          "404": {**_ERROR, "description": "no such report within the token's scope"}}}},
        "/api/v1/reports": {"get": {"summary": "quarterly reports in scope, paged",
                                    "parameters": [_query("fy", "fiscal year (BE)"), _query("q", "quarter, 1–4"),
                                                   _query("status", "draft, submitted, approved or returned",
                                                          "string"), *_PAGING],
                                    "responses": {"200": {"description": "a page of reports", **_JSON}, **_AUTH}}},
        "/api/v1/status": {"get": {"summary": "a quarter's status per office and its pending reports, and per "
                                              "office what is approved but not keyed into eMENSCR yet",
                                   "parameters": [_query("fy", "fiscal year (BE); with q"),
                                                  _query("q", "quarter 1–4; with fy (default: being reported now)")],
                                   "responses": {"200": {"description": "the status", **_JSON}, **_AUTH}}},
        "/api/v1/export.xlsx": {"get": {
            "summary": "the Excel export of every project in scope",
            "parameters": [_query("fy", "fiscal year (BE); all years when absent")],
            "responses": {"200": {"description": "an .xlsx workbook", "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}}}}, **_AUTH}}},
        "/api/v1/template.xlsx": {"get": {
            "summary": "the annual action plan's template: Thai headers, drop-down lists, an instructions sheet",
            "responses": {"200": {"description": "an .xlsx workbook", "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}}}}, **_AUTH}}},
        "/api/v1/import": {"post": {
            "summary": "import a filled plan as drafts of the people it names (all or nothing)",
            "parameters": [_query("office", "office code (default: the token's own office)", "string"),
                           _query("fy", "move every project to this fiscal year (BE), dates by whole years"),
                           _query("dry_run", "1: check every cell, write nothing", "string")],
            "requestBody": {"required": True, "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}}}},
            "responses": {"200": {"description": "created, updated, unchanged and left-alone projects", **_JSON},
                          **_AUTH, "403": {**_ERROR, "description": "not a director of that office or an admin"},
                          "413": {**_ERROR, "description": "over 10 MB"},
                          "415": {**_ERROR, "description": "not an .xlsx workbook"},
                          "422": {**_ERROR, "description": "errors by cell (sheet, row, column); nothing written"}}}},
        "/api/v1/openapi.json": {"get": {"summary": "this document", "security": [],
                                         "responses": {"200": {"description": "OpenAPI 3.1", **_JSON}}}},
    },
}
