"""The plan over HTTP: the template to download, and the import for a director's own office (an admin's: any)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from api.demo import seed_demo
from api.settings import Settings
from conversations.copy import render
from conversations.oversight.export import XLSX
from models.enums import Role
from models.org import Office
from models.project import Project
from tests.support.app import app_client, bearer
from tests.support.plan_files import plan_workbook, reading_plan


async def test_the_template_and_an_import_through_the_api(settings: Settings) -> None:
    async with app_client(settings) as client:
        people = await seed_demo()
        office = await Office.get(code="CMI1")
        director, owner = await bearer(user=people["somchai"]), await bearer(user=people["suda"])

        template = await client.get("/api/v1/template.xlsx", headers=owner)
        assert template.status == 200 and template.content_type == XLSX
        assert "โครงการ" in load_workbook(io.BytesIO(await template.read())).sheetnames
        assert (await client.get("/api/v1/template.xlsx")).status == 401

        content = plan_workbook(reading_plan())
        refused = await client.post("/api/v1/import", data=content, headers=owner)
        assert refused.status == 403
        count = await Project.all().count()
        dry = await client.post("/api/v1/import?dry_run=1", data=content, headers=director)
        dry_body = await dry.json()
        assert dry.status == 200 and dry_body["written"] is False
        assert dry_body["filled_from_records"]["P2"][-1] == "provinces"  # blank cells the records fill
        assert "• P2: ผู้อำนวยการ," in dry_body["summary"]
        assert await Project.all().count() == count
        done = await client.post("/api/v1/import", data=content, headers=director)
        body = await done.json()
        assert done.status == 200 and body["written"] is True and body["office"] == "CMI1"
        assert len(body["created"]) == 2 and body["fiscal_years"] == [2570]
        assert await Project.filter(office=office).count() == count + 2

        rows = reading_plan()
        rows["xl.sheet.budget"][0]["จำนวนเงิน (บาท)"] = "ราวหนึ่งล้าน"
        bad = await client.post("/api/v1/import", data=plan_workbook(rows), headers=director)
        errors = await bad.json()
        assert bad.status == 422 and errors["written"] is False and errors["error"]["code"] == "invalid_cells"
        [error] = errors["errors"]
        assert (error["sheet"], error["row"], error["column"], error["value"]) == (
            "งบประมาณ", 2, "จำนวนเงิน (บาท)", "ราวหนึ่งล้าน")
        assert error["line"].startswith("แผ่นงาน «งบประมาณ» แถว 2")

        not_a_workbook = await client.post("/api/v1/import", data=b"hello", headers=director)
        assert not_a_workbook.status == 415
        assert (await not_a_workbook.json())["error"]["message"] == render("imp.not_workbook")
        too_big = await client.post("/api/v1/import", data=b"PK" + b"\0" * (10 * 1024 * 1024), headers=director)
        assert too_big.status == 413 and "10 MB" in (await too_big.json())["error"]["message"]

        admin = await bearer(role=Role.ADMIN)
        assert (await client.post("/api/v1/import", data=content, headers=admin)).status == 400  # which office?
        by_admin = await client.post("/api/v1/import?office=cmi1", data=content, headers=admin)
        assert by_admin.status == 200 and sorted((await by_admin.json())["unchanged"]) == sorted(body["created"])
