"""Importing the annual action plan: a valid file becomes drafts of the people it names; a file with any bad cell
writes nothing and says where and what is accepted; a second import changes no more than the file did; last
year's export comes back as this year's drafts."""

from __future__ import annotations

import copy
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from api.demo import seed_demo
from conversations.copy import render
from conversations.copy.reference import PROVINCES
from conversations.flows.flow import FlowId
from conversations.flows.registry import FLOWS
from conversations.oversight.export import export_workbook
from conversations.oversight.plan_reader import MAX_BYTES, WorkbookRefused, move_date
from conversations.oversight.plan_template import errors_workbook, filled_rows, template_workbook
from conversations.parsers.provinces import parse_province
from conversations.service.plan_import import import_plan
from conversations.service.store import load_answers, without_ids
from models.db import Database
from models.enums import ItemStatus, ReminderKind
from models.imports import ImportKey
from models.org import Office, User
from models.project import Activity, Project
from models.runtime import AuditEntry, Notification
from tests.support.plan_files import Rows, plan_workbook, reading_plan

NOW = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)
FLOW = FLOWS[FlowId.REGISTER]


async def _demo() -> tuple[Office, dict[str, User]]:
    people = await seed_demo()
    return await Office.get(code="CMI1"), people


async def _answers(project: Project) -> dict[str, Any]:
    return without_ids(await load_answers(FLOW, project))


async def test_a_valid_plan_becomes_drafts_of_the_people_it_names(database: Database) -> None:
    office, people = await _demo()
    before = await Project.all().count()
    outcome = await import_plan(plan_workbook(reading_plan()), office, people["somchai"], NOW)
    assert outcome.errors == []
    assert len(outcome.created) == 2 and outcome.fiscal_years == [2570]
    first, second = [await Project.get(code=code) for code in outcome.created]
    assert await Project.all().count() == before + 2
    assert (first.owner_id, second.owner_id) == (people["suda"].id, people["weera"].id)  # by email, then by name
    assert first.status is ItemStatus.DRAFT and first.office_id == office.id
    answers = await _answers(first)
    assert answers["name"] == "โครงการส่งเสริมการอ่าน" and answers["project_type"] == "project"
    assert answers["methods"] == ["self"] and answers["uses_budget"] is True
    assert (answers["start_date"], answers["end_date"]) == ("2026-10-01", "2027-09-30")  # Thai dates, BE years
    assert answers["objectives"] == [{"text": "เพื่อให้นักเรียนอ่านออก"}, {"text": "เพื่อพัฒนาครู"}]
    assert [link["code"] for link in answers["plan_links"]] == ["NS-03", "MP-12-01-Y1"]
    assert answers["kpis"] == [{"name": "ร้อยละนักเรียนที่อ่านออก", "unit": "ร้อยละ", "target_value": "80"}]
    assert answers["activities"] == [
        {"name": "อบรมครู", "quarters": [1, 2], "subactivities": [{"name": "จัดหาวิทยากร", "quarters": [1]}]},
        {"name": "ติดตามผล", "quarters": [1, 2, 3, 4], "subactivities": []}]
    assert answers["budget_lines"] == [{"source": "direct", "expense_category": "operating",
                                        "amount": "1500000.00", "plan": ["750000.00", "750000.00", "0.00", "0.00"]}]
    assert (await _answers(second))["activities"] == [{"name": "ลงพื้นที่", "quarters": [2], "subactivities": []}]
    assert (await _answers(second))["end_date"] == "2027-03-31"
    assert first.sections_done > 0 and first.sections_total > first.sections_done - 1
    notices = await Notification.filter(kind=ReminderKind.IMPORTED).order_by("id").values(
        "recipient_id", "key", "project_id")
    assert notices == [{"recipient_id": people["suda"].id, "key": "notify.imported_project", "project_id": first.id},
                       {"recipient_id": people["weera"].id, "key": "notify.imported_project",
                        "project_id": second.id}]
    assert await AuditEntry.filter(project_id=first.id, actor_id=people["somchai"].id, field="name").exists()
    assert await ImportKey.filter(office=office, fiscal_year=2570, key="P1", project=first).exists()


def _bad_plan() -> Rows:
    """Every kind of bad cell, one of each, in an otherwise valid plan."""
    rows = reading_plan()
    projects, links, kpis, activities, budget = (rows[key] for key in (
        "xl.sheet.projects", "xl.sheet.plan_links", "xl.sheet.kpis", "xl.sheet.activities", "xl.sheet.budget"))
    projects[0] |= {"ประเภท": "โครงการพิเศษ", "ใช้งบประมาณ": "บางที", "วันสิ้นสุด": "31 ก.ย. 2570",
                    "อีเมลผู้อำนวยการ": "somchai@", "จ้างเหมา": 7}
    projects[1] |= {"ปีงบประมาณ": "2026x", "ผู้รับผิดชอบ": "นายไม่มี ตัวตน", "วันเริ่มต้น": "1 ต.ค. 2571"}
    projects.append({"รหัสโครงการ": "P1", "ชื่อโครงการ": "ซ้ำ"})
    projects.append({"ชื่อโครงการ": "ไม่มีรหัส", "ปีงบประมาณ": 2570, "ผู้รับผิดชอบ": "นายวีระ แก้วมณี"})
    projects.append({"รหัสโครงการ": "P3", "ชื่อโครงการ": "เริ่มหลังสิ้นปี", "ปีงบประมาณ": 2570,
                     "ผู้รับผิดชอบ": "นายวีระ แก้วมณี", "วันเริ่มต้น": "1 ต.ค. 2571", "วันสิ้นสุด": "2 ต.ค. 2571"})
    links.append({"รหัสโครงการ": "P1", "รหัสแผน": "NO-SUCH-PLAN"})
    kpis.append({"รหัสโครงการ": "P9", "ตัวชี้วัด": "ของโครงการที่ไม่มี", "หน่วยนับ": "คน", "ค่าเป้าหมาย": 1})
    kpis.append({"รหัสโครงการ": "P1", "ตัวชี้วัด": "ไม่มีเป้า", "หน่วยนับ": "คน", "ค่าเป้าหมาย": "หลายคน"})
    activities.append({"รหัสโครงการ": "P1", "ลำดับ": "1.2", "กิจกรรม": "นอกไตรมาสของกิจกรรมหลัก",
                       "ไตรมาสที่ดำเนินการ": "Q3"})
    activities.append({"รหัสโครงการ": "P1", "ลำดับ": "5.1", "กิจกรรม": "ไม่มีกิจกรรมหลัก",
                       "ไตรมาสที่ดำเนินการ": "Q1"})
    activities.append({"รหัสโครงการ": "P1", "ลำดับ": "ก", "กิจกรรม": "ลำดับผิด", "ไตรมาสที่ดำเนินการ": "Q1"})
    activities.append({"รหัสโครงการ": "P1", "ลำดับ": "3", "กิจกรรม": "ไตรมาสผิด", "ไตรมาสที่ดำเนินการ": "Q5"})
    activities.append({"รหัสโครงการ": "P1", "ลำดับ": "3.1", "กิจกรรม": "ของกิจกรรมที่ผิด", "ไตรมาสที่ดำเนินการ": "Q1"})
    activities.append({"รหัสโครงการ": "P1", "ลำดับ": "2", "กิจกรรม": "ลำดับซ้ำ", "ไตรมาสที่ดำเนินการ": "Q1"})
    budget[0] |= {"แผนไตรมาส 2": 700000}
    budget.append({"รหัสโครงการ": "P1", "แหล่งงบประมาณ": "งบของหน่วยงานเอง", "ประเภทงบรายจ่าย": "งบลงทุน",
                   "จำนวนเงิน (บาท)": "สองล้านกว่า"})
    budget.append({"รหัสโครงการ": "P1", "แหล่งงบประมาณ": "งบจังหวัด", "หน่วยงานที่ขอผ่าน/จังหวัด": "แอตแลนติส",
                   "ประเภทงบรายจ่าย": "งบลงทุน", "จำนวนเงิน (บาท)": 1000, "แผนไตรมาส 1": 1000})
    return rows


BAD_CELLS = {  # (sheet, row, column) of every bad cell in _bad_plan
    ("โครงการ", 2, "ประเภท"), ("โครงการ", 2, "ใช้งบประมาณ"), ("โครงการ", 2, "วันสิ้นสุด"),
    ("โครงการ", 2, "อีเมลผู้อำนวยการ"), ("โครงการ", 2, "จ้างเหมา"), ("โครงการ", 3, "ปีงบประมาณ"),
    ("โครงการ", 3, "ผู้รับผิดชอบ"), ("โครงการ", 3, "วันสิ้นสุด"), ("โครงการ", 4, "รหัสโครงการ"),
    ("โครงการ", 5, "รหัสโครงการ"), ("โครงการ", 6, "วันเริ่มต้น"),
    ("ความสอดคล้องแผน", 4, "รหัสแผน"), ("ตัวชี้วัด", 3, "รหัสโครงการ"), ("ตัวชี้วัด", 4, "ค่าเป้าหมาย"),
    ("กิจกรรม", 6, "ไตรมาสที่ดำเนินการ"), ("กิจกรรม", 7, "ลำดับ"), ("กิจกรรม", 8, "ลำดับ"),
    ("กิจกรรม", 9, "ไตรมาสที่ดำเนินการ"), ("กิจกรรม", 11, "ลำดับ"), ("งบประมาณ", 2, "แผนไตรมาส 1"),
    ("งบประมาณ", 3, "จำนวนเงิน (บาท)"),
    ("งบประมาณ", 4, "หน่วยงานที่ขอผ่าน/จังหวัด"),
}


async def test_a_plan_with_bad_cells_writes_nothing_and_says_where_and_what_is_accepted(database: Database) -> None:
    office, people = await _demo()
    before = {model: await model.all().count() for model in (Project, Activity, ImportKey, Notification)}
    content = plan_workbook(_bad_plan())
    outcome = await import_plan(content, office, people["somchai"], NOW)
    found = {(error.where.sheet, error.where.row, error.where.column) for error in outcome.errors}
    assert found == BAD_CELLS, (found - BAD_CELLS, BAD_CELLS - found)
    assert outcome.created == [] and outcome.updated == []
    assert {model: await model.all().count() for model in before} == before  # nothing written
    by_cell = {(error.where.sheet, error.where.row, error.where.column): error for error in outcome.errors}
    assert by_cell[("กิจกรรม", 6, "ไตรมาสที่ดำเนินการ")].problem == render(
        "check.quarters_outside_parent", quarters="ไตรมาส 3", parent="อบรมครู", allowed="ไตรมาส 1–2")
    assert "ไม่พบ «นายไม่มี ตัวตน»" in by_cell[("โครงการ", 3, "ผู้รับผิดชอบ")].problem  # listed, not invented
    assert by_cell[("งบประมาณ", 2, "แผนไตรมาส 1")].where.value == "750000"
    line = by_cell[("โครงการ", 2, "ประเภท")].line()
    assert line.startswith("แผ่นงาน «โครงการ» แถว 2 คอลัมน์ «ประเภท»: «โครงการพิเศษ» — ")
    assert not await User.filter(name="นายไม่มี ตัวตน").exists()

    marked = load_workbook(io.BytesIO(errors_workbook(content, outcome.errors)))
    assert marked.sheetnames[0] == render("imp.sheet.errors")
    assert marked.worksheets[0].max_row == len(outcome.errors) + 1
    assert marked["กิจกรรม"]["D6"].fill.start_color.rgb.endswith("FFC7CE")  # the bad cell, red
    assert marked["กิจกรรม"]["C6"].fill.fill_type is None


async def test_files_that_are_no_plan_are_refused_in_thai(database: Database) -> None:
    office, _ = await _demo()
    for content, reason in ((b"%PDF-1.4 not a workbook", "imp.not_workbook"),
                            (b"PK" + b"\0" * (MAX_BYTES + 1), "imp.too_big")):
        with pytest.raises(WorkbookRefused) as refused:
            await import_plan(content, office, None, NOW)
        assert refused.value.reason == reason and refused.value.text().endswith(
            ("/template", "แล้วส่งใหม่"))
    export = await export_workbook(await User.get(name="นางสาวสุดา ศรีสุข"))
    assert (await import_plan(export, office, None, NOW, fiscal_year=2571)).errors == []  # an export is a plan
    empty = template_workbook(FLOW, (2570, 2571))
    with pytest.raises(WorkbookRefused) as refused:
        await import_plan(empty, office, None, NOW)
    assert refused.value.reason == "imp.no_projects"


async def test_importing_the_same_file_again_creates_nothing_twice(database: Database) -> None:
    office, people = await _demo()
    plan = reading_plan()
    first = await import_plan(plan_workbook(plan), office, people["somchai"], NOW)
    count = await Project.all().count()
    again = await import_plan(plan_workbook(plan), office, people["somchai"], NOW)
    assert (again.created, again.updated, sorted(again.unchanged)) == ([], [], sorted(first.created))
    assert await Project.all().count() == count
    assert await Notification.filter(kind=ReminderKind.IMPORTED).count() == 2  # told once

    changed = copy.deepcopy(plan)
    changed["xl.sheet.projects"][1]["ชื่อโครงการ"] = "นิเทศติดตามโรงเรียน (ปรับปรุง)"
    changed["xl.sheet.activities"].append({"รหัสโครงการ": "P2", "ลำดับ": "2", "กิจกรรม": "สรุปผล",
                                           "ไตรมาสที่ดำเนินการ": "2"})
    p1, p2 = first.created
    await Project.filter(code=p1).update(status=ItemStatus.SUBMITTED)
    dry = await import_plan(plan_workbook(changed), office, people["somchai"], NOW, dry_run=True)
    assert dry.updated == [p2] and [item.code for item in dry.left_alone] == [p1]
    assert (await Project.get(code=p2)).name == "นิเทศติดตามโรงเรียน"  # a dry run writes nothing
    third = await import_plan(plan_workbook(changed), office, people["somchai"], NOW)
    assert (third.created, third.updated, third.unchanged) == ([], [p2], [])
    assert [(item.key, item.code, item.status) for item in third.left_alone] == [("P1", p1, ItemStatus.SUBMITTED)]
    assert p1 in third.summary() and render("xl.status.submitted") in third.summary()
    updated = await _answers(await Project.get(code=p2))
    assert updated["name"] == "นิเทศติดตามโรงเรียน (ปรับปรุง)"
    assert [item["name"] for item in updated["activities"]] == ["ลงพื้นที่", "สรุปผล"]
    assert await Project.all().count() == count


def _next_year(answers: dict[str, Any]) -> dict[str, Any]:
    """A project's answers a year on; a province as chat stores it (the demo's "จังหวัดเชียงใหม่" is "เชียงใหม่")."""
    moved = dict(answers, fiscal_year=answers["fiscal_year"] + 1)
    for key in ("start_date", "end_date"):
        moved[key] = move_date(answers[key], 1)
    for line in moved.get("budget_lines", []):
        if "province" in line:
            line["province"] = parse_province(line["province"], PROVINCES)
    return {key: value for key, value in moved.items() if value is not None}


async def test_last_years_export_imports_back_as_equal_drafts_for_the_next_year(database: Database) -> None:
    office, people = await _demo()
    originals = {project.code: project for project in await Project.filter(office=office)}
    assert originals and {project.status for project in originals.values()} == {ItemStatus.APPROVED}
    export = await export_workbook(people["somchai"], fiscal_year=2570)
    outcome = await import_plan(export, office, people["somchai"], NOW, fiscal_year=2571)
    assert outcome.errors == [] and len(outcome.created) == len(originals)
    for code, original in originals.items():
        key = await ImportKey.get(key=code, fiscal_year=2571)
        draft = await Project.get(id=key.project_id)
        assert (draft.status, draft.fiscal_year, draft.owner_id) == (ItemStatus.DRAFT, 2571, original.owner_id)
        assert {k: v for k, v in (await _answers(draft)).items() if v is not None} == _next_year(
            await _answers(original))
    assert date.fromisoformat((await _answers(draft))["start_date"]).year == 2027

    # the template filled from the same projects is the same plan: imported, nothing changes
    ids = [original.id for original in originals.values()]
    filled = template_workbook(FLOW, (2571, 2572), await filled_rows(FLOW, ids))
    again = await import_plan(filled, office, people["somchai"], NOW, fiscal_year=2571)
    assert (again.errors, again.created, again.updated) == ([], [], [])
    assert sorted(again.unchanged) == sorted(outcome.created)


async def test_blank_contacts_and_province_are_filled_from_the_records_never_over_the_file(
        database: Database) -> None:
    office, people = await _demo()
    suda, weera, somchai = people["suda"], people["weera"], people["somchai"]
    plan = reading_plan()  # P1 names its owner's email and its province; P2 only its owner's name
    dry = await import_plan(plan_workbook(plan), office, somchai, NOW, dry_run=True)
    assert dry.filled == {
        "P1": ["director_name", "director_email", "director_phone", "owner_phone"],
        "P2": ["director_name", "director_email", "director_phone", "owner_email", "owner_phone", "provinces"]}
    report = dry.summary()
    assert "ช่องที่ไฟล์เว้นว่าง เติมจากข้อมูลบุคลากรปัจจุบัน (2 โครงการ)" in report
    assert ("• P2: ผู้อำนวยการ, อีเมลผู้อำนวยการ, โทรศัพท์ผู้อำนวยการ, อีเมลผู้รับผิดชอบ, โทรศัพท์ผู้รับผิดชอบ,"
            " จังหวัด") in report
    assert not await ImportKey.filter(office=office).exists()  # a dry run writes nothing

    done = await import_plan(plan_workbook(plan), office, somchai, NOW)
    first, second = [await _answers(await Project.get(code=code)) for code in done.created]
    director = {"director_name": somchai.name, "director_email": somchai.email, "director_phone": somchai.phone}
    assert first | director == first and second | director == second
    assert first["owner_email"] == "suda.s@example.go.th"  # given by the file (as the email parser keeps it)
    assert (first["owner_phone"], first["provinces"]) == (suda.phone, ["เชียงใหม่"])
    assert (second["owner_name"], second["owner_email"], second["owner_phone"]) == (
        weera.name, weera.email, weera.phone)
    assert second["provinces"] == [office.province]
    project = await Project.get(code=done.created[1])
    assert project.director_name == somchai.name and project.owner_phone == weera.phone
    trail = await AuditEntry.get(project_id=project.id, field="owner_phone")
    assert trail.actor_id == somchai.id


async def test_a_file_that_gives_the_contacts_keeps_them_and_reports_nothing_filled(database: Database) -> None:
    office, people = await _demo()
    plan = reading_plan()
    given = {"ผู้อำนวยการ": "นางวิไล ใหม่ใจ", "อีเมลผู้อำนวยการ": "wilai.m@example.go.th",
             "โทรศัพท์ผู้อำนวยการ": "053-000-111", "โทรศัพท์ผู้รับผิดชอบ": "02-111-2222", "จังหวัด": "ลำพูน"}
    for row in plan["xl.sheet.projects"]:
        row.update(given)
    plan["xl.sheet.projects"][1]["อีเมลผู้รับผิดชอบ"] = people["weera"].email
    outcome = await import_plan(plan_workbook(plan), office, people["somchai"], NOW)
    assert outcome.errors == [] and outcome.filled == {}
    assert "เติมจากข้อมูลบุคลากร" not in outcome.summary()
    answers = await _answers(await Project.get(code=outcome.created[0]))
    assert (answers["director_name"], answers["director_phone"], answers["owner_phone"], answers["provinces"]) == (
        "นางวิไล ใหม่ใจ", "053-000-111", "02-111-2222", ["ลำพูน"])
