"""Annual action plans as a person fills them: workbooks written cell by cell under the template's headers."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from conversations.oversight.plan_layout import plan_sheets

Rows = dict[str, list[dict[str, Any]]]  # sheet title key -> rows as {header: cell}


def plan_workbook(rows: Rows) -> bytes:
    """A workbook with every plan sheet (its headers in the template's order) and these rows."""
    book = Workbook()
    book.remove(book.active)
    for sheet in plan_sheets():
        page = book.create_sheet(sheet.title)
        headers = [column.title() for column in sheet.columns]
        page.append(headers)
        for row in rows.get(sheet.title_key, []):
            unknown = set(row) - set(headers)
            assert not unknown, f"no such column in {sheet.title}: {unknown}"
            page.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reading_plan() -> Rows:
    """Two projects of the demo office for 2570, written as people write: Thai dates and amounts, names, emails."""
    return {
        "xl.sheet.projects": [
            {"รหัสโครงการ": "P1", "ปีงบประมาณ": 2570, "ชื่อโครงการ": "โครงการส่งเสริมการอ่าน", "ประเภท": "โครงการ",
             "แผนงาน": "แผนงานยุทธศาสตร์พัฒนาคุณภาพการศึกษาและการเรียนรู้", "ใช้งบประมาณ": "ใช่",
             "ดำเนินการเอง": "ใช่", "จ้างเหมา": "ไม่ใช่", "ผู้รับผิดชอบ": "นางสาวสุดา ศรีสุข",
             "อีเมลผู้รับผิดชอบ": "Suda.S@example.go.th", "หลักการและเหตุผล": "นักเรียนอ่านไม่คล่อง",
             "วัตถุประสงค์": "เพื่อให้นักเรียนอ่านออก\nเพื่อพัฒนาครู", "เป้าหมายเชิงผลผลิต": "ครู 120 คน",
             "เป้าหมายเชิงผลลัพธ์": "นักเรียนอ่านออกร้อยละ 80", "กลุ่มเป้าหมาย": "ครูภาษาไทย",
             "จังหวัด": "เชียงใหม่", "วันเริ่มต้น": "1 ต.ค. 2569", "วันสิ้นสุด": "30/9/70"},
            {"รหัสโครงการ": "P2", "ปีงบประมาณ": "๒๕๗๐", "ชื่อโครงการ": "นิเทศติดตามโรงเรียน",
             "ประเภท": "การดำเนินงาน (งานประจำ)", "ใช้งบประมาณ": "ไม่ใช่", "ผู้รับผิดชอบ": "นายวีระ แก้วมณี",
             "วันเริ่มต้น": "1 ม.ค. 2570", "วันสิ้นสุด": date(2027, 3, 31)},  # a date cell: Excel's own
        ],
        "xl.sheet.plan_links": [
            {"รหัสโครงการ": "P1", "รหัสแผน": "NS-03"},
            {"รหัสโครงการ": "P1", "รหัสแผน": "mp-12-01-y1"},
        ],
        "xl.sheet.kpis": [
            {"รหัสโครงการ": "P1", "ตัวชี้วัด": "ร้อยละนักเรียนที่อ่านออก", "หน่วยนับ": "ร้อยละ", "ค่าเป้าหมาย": 80},
        ],
        "xl.sheet.activities": [
            {"รหัสโครงการ": "P1", "ลำดับ": "1", "กิจกรรม": "อบรมครู", "ไตรมาสที่ดำเนินการ": "Q1,Q2"},
            {"รหัสโครงการ": "P1", "ลำดับ": "1.1", "กิจกรรม": "จัดหาวิทยากร", "ไตรมาสที่ดำเนินการ": "1"},
            {"รหัสโครงการ": "P1", "ลำดับ": "2", "กิจกรรม": "ติดตามผล", "ไตรมาสที่ดำเนินการ": "ทั้งปี"},
            {"รหัสโครงการ": "P2", "ลำดับ": "1", "กิจกรรม": "ลงพื้นที่", "ไตรมาสที่ดำเนินการ": "ไตรมาส 2"},
        ],
        "xl.sheet.budget": [
            {"รหัสโครงการ": "P1", "แหล่งงบประมาณ": "งบของหน่วยงานเอง", "ประเภทงบรายจ่าย": "งบดำเนินงาน",
             "จำนวนเงิน (บาท)": "1.5 ล้าน", "แผนไตรมาส 1": 750000, "แผนไตรมาส 2": "750,000"},
        ],
    }
