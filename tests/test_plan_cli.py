"""``tidtam template`` and ``tidtam import`` against a fresh SQLite file, as the planning group's operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from conversations.copy import render
from tests.support.plan_files import plan_workbook, reading_plan
from tests.test_cli import Tidtam, sqlite_file, tidtam  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.db


def test_template_then_import_with_a_dry_run_first(tidtam: Tidtam, sqlite_file: Path, tmp_path: Path) -> None:  # noqa: F811
    assert tidtam("db", "migrate", database=sqlite_file).returncode == 0
    assert tidtam("demo", database=sqlite_file).returncode == 0

    target = tmp_path / "plan.xlsx"
    written = tidtam("template", "-o", str(target), database=sqlite_file)
    assert written.returncode == 0 and f"wrote {target}" in written.stdout
    book = load_workbook(target)
    assert book.sheetnames == [render("imp.sheet.instructions"), "โครงการ", "ความสอดคล้องแผน", "ตัวชี้วัด",
                               "กิจกรรม", "งบประมาณ"]
    projects = book["โครงการ"]
    assert [cell.value for cell in projects[1]][:3] == ["รหัสโครงการ", "ปีงบประมาณ", "ชื่อโครงการ"]
    lists = {str(rule.sqref): rule.formula1 for rule in projects.data_validations.dataValidation}
    assert '"โครงการ,การดำเนินงาน (งานประจำ)"' in lists.values()
    assert any("งบดำเนินงาน" in (rule.formula1 or "") for rule in book["งบประมาณ"].data_validations.dataValidation)

    plan = tmp_path / "filled.xlsx"
    plan.write_bytes(plan_workbook(reading_plan()))
    dry = tidtam("import", str(plan), "--office", "cmi1", "--dry-run", database=sqlite_file)
    assert dry.returncode == 0, dry.stderr
    assert "ยังไม่ได้บันทึก" in dry.stdout and "สร้างร่างใหม่ 2 โครงการ" in dry.stdout
    assert "เติมจากข้อมูลบุคลากรปัจจุบัน (2 โครงการ)" in dry.stdout  # P1 and P2 leave the director blank
    assert "• P1: ผู้อำนวยการ, อีเมลผู้อำนวยการ, โทรศัพท์ผู้อำนวยการ, โทรศัพท์ผู้รับผิดชอบ" in dry.stdout
    done = tidtam("import", str(plan), "--office", "CMI1", database=sqlite_file)
    assert done.returncode == 0 and "สร้างร่างใหม่ 2 โครงการ" in done.stdout and "2/2 โครงการ" in done.stderr
    again = tidtam("import", str(plan), "--office", "CMI1", database=sqlite_file)
    assert "สร้างร่างใหม่ 0 โครงการ" in again.stdout and "ไม่เปลี่ยน 2 โครงการ" in again.stdout

    filled = tmp_path / "2570.xlsx"
    assert tidtam("template", "-o", str(filled), "--office", "CMI1", "--fiscal-year", "2570",
                  database=sqlite_file).returncode == 0
    assert load_workbook(filled)["โครงการ"].max_row == 5  # the demo's two projects and the two imported


def test_import_errors_are_listed_and_nothing_written(tidtam: Tidtam, sqlite_file: Path, tmp_path: Path) -> None:  # noqa: F811
    assert tidtam("db", "migrate", database=sqlite_file).returncode == 0
    assert tidtam("demo", database=sqlite_file).returncode == 0
    rows = reading_plan()
    rows["xl.sheet.projects"][0]["วันเริ่มต้น"] = "32 ต.ค. 2569"
    plan = tmp_path / "bad.xlsx"
    plan.write_bytes(plan_workbook(rows))
    result = tidtam("import", str(plan), "--office", "CMI1", database=sqlite_file)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert result.stdout.startswith("แผ่นงาน «โครงการ» แถว 2 คอลัมน์ «วันเริ่มต้น»: «32 ต.ค. 2569» — ")

    text = tmp_path / "plan.csv"
    text.write_text("รหัสโครงการ,ชื่อโครงการ\nP1,x\n")
    refused = tidtam("import", str(text), "--office", "CMI1", database=sqlite_file)
    assert refused.returncode == 1 and render("imp.not_workbook") in refused.stderr
    nowhere = tidtam("import", str(plan), "--office", "XXX", database=sqlite_file)
    assert nowhere.returncode == 1 and "no office XXX" in nowhere.stderr
