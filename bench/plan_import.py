"""The annual action plan at scale: a generated workbook of 500 projects imported in one transaction, then again.

Each project has what an office's plan holds: two objectives, two plan links, two KPIs, three activities (two
with a sub-activity) and two budget lines with quarter plans, its owner named by email or by name. The goal
(issue #18): the first import, every cell parsed and checked and every draft written, within a minute on this
machine; the second (nothing changes) no slower. ``python -m bench.plan_import`` (``BENCH_PLAN_PROJECTS``).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.demo import seed_demo
from api.log_setup import redact
from api.settings import load_settings
from conversations.service.plan_import import import_plan
from models.db import Database
from models.org import Office
from tests.support.plan_files import plan_workbook

PROJECTS = int(os.environ.get("BENCH_PLAN_PROJECTS", "500"))
GOAL_SECONDS = 60.0
NOW = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PlanTiming:
    """How long one import took, and what it did."""

    what: str
    projects: int
    seconds: float
    created: int
    unchanged: int


def generated(count: int) -> bytes:
    """A plan of ``count`` projects, as an office writes one (Thai dates, amounts in words of millions)."""
    rows: dict[str, list[dict[str, Any]]] = {key: [] for key in (
        "xl.sheet.projects", "xl.sheet.plan_links", "xl.sheet.kpis", "xl.sheet.activities", "xl.sheet.budget")}
    for number in range(1, count + 1):
        key = f"P{number}"
        owner = ({"อีเมลผู้รับผิดชอบ": "suda.s@example.go.th"} if number % 2 else
                 {"ผู้รับผิดชอบ": "นายวีระ แก้วมณี"})
        rows["xl.sheet.projects"].append({
            "รหัสโครงการ": key, "ปีงบประมาณ": 2570, "ชื่อโครงการ": f"โครงการพัฒนาคุณภาพการศึกษา ที่ {number}",
            "ประเภท": "โครงการ" if number % 3 else "การดำเนินงาน (งานประจำ)", "ใช้งบประมาณ": "ใช่",
            "ดำเนินการเอง": "ใช่", "หลักการและเหตุผล": "เพื่อยกระดับผลสัมฤทธิ์ทางการเรียน " * 5,
            "วัตถุประสงค์": "เพื่อพัฒนาครู\nเพื่อพัฒนานักเรียน", "เป้าหมายเชิงผลผลิต": "ครู 120 คน",
            "เป้าหมายเชิงผลลัพธ์": "ร้อยละ 80", "กลุ่มเป้าหมาย": "ครูและนักเรียน", "จังหวัด": "เชียงใหม่",
            "วันเริ่มต้น": "1 ต.ค. 2569", "วันสิ้นสุด": "30 ก.ย. 2570", **owner})
        rows["xl.sheet.plan_links"] += [{"รหัสโครงการ": key, "รหัสแผน": code} for code in ("NS-03", "MP-12-01-Y1")]
        rows["xl.sheet.kpis"] += [{"รหัสโครงการ": key, "ตัวชี้วัด": f"ตัวชี้วัดที่ {index}", "หน่วยนับ": "ร้อยละ",
                                   "ค่าเป้าหมาย": 80} for index in (1, 2)]
        rows["xl.sheet.activities"] += [
            {"รหัสโครงการ": key, "ลำดับ": "1", "กิจกรรม": "อบรมครู", "ไตรมาสที่ดำเนินการ": "Q1,Q2"},
            {"รหัสโครงการ": key, "ลำดับ": "1.1", "กิจกรรม": "จัดหาวิทยากร", "ไตรมาสที่ดำเนินการ": "Q1"},
            {"รหัสโครงการ": key, "ลำดับ": "2", "กิจกรรม": "นิเทศ", "ไตรมาสที่ดำเนินการ": "ทั้งปี"},
            {"รหัสโครงการ": key, "ลำดับ": "2.1", "กิจกรรม": "ลงพื้นที่", "ไตรมาสที่ดำเนินการ": "Q3"},
            {"รหัสโครงการ": key, "ลำดับ": "3", "กิจกรรม": "สรุปผล", "ไตรมาสที่ดำเนินการ": "Q4"}]
        rows["xl.sheet.budget"] += [
            {"รหัสโครงการ": key, "แหล่งงบประมาณ": "งบของหน่วยงานเอง", "ประเภทงบรายจ่าย": "งบดำเนินงาน",
             "จำนวนเงิน (บาท)": "1.2 ล้าน", "แผนไตรมาส 1": 600000, "แผนไตรมาส 2": 600000},
            {"รหัสโครงการ": key, "แหล่งงบประมาณ": "งบจังหวัด", "หน่วยงานที่ขอผ่าน/จังหวัด": "เชียงใหม่",
             "ประเภทงบรายจ่าย": "งบลงทุน", "จำนวนเงิน (บาท)": 400000, "แผนไตรมาส 3": "4 แสน"}]
    return plan_workbook(rows)


async def run(count: int = PROJECTS) -> list[PlanTiming]:
    """Import the generated plan into a fresh SQLite database with the demo office, twice."""
    content = generated(count)
    timings: list[PlanTiming] = []
    with tempfile.TemporaryDirectory() as folder:
        async with Database(f"sqlite://{Path(folder) / 'plan.sqlite3'}") as database:
            await database.migrate()
            await seed_demo()
            office = await Office.get(code="CMI1")
            for what in ("first import", "same file again"):
                started = time.perf_counter()
                outcome = await import_plan(content, office, None, NOW)
                seconds = time.perf_counter() - started
                assert not outcome.errors, outcome.errors[:3]
                timings.append(PlanTiming(what, count, seconds, len(outcome.created), len(outcome.unchanged)))
    return timings


def table(timings: list[PlanTiming]) -> str:
    """The timings as markdown, with the goal."""
    lines = [f"## Plan import ({timings[0].projects} projects)",
             "", "| run | seconds | created | unchanged | goal |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {t.what} | {t.seconds:.1f} | {t.created} | {t.unchanged} | ≤ {GOAL_SECONDS:.0f} s: "
              f"{'yes' if t.seconds <= GOAL_SECONDS else '**no**'} |" for t in timings]
    return "\n".join(lines)


if __name__ == "__main__":
    redact(load_settings())
    print(table(asyncio.run(run())))
