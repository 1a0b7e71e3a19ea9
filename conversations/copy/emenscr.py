"""The eMENSCR copy pack: its screen, its buttons, the eMENSCR id, and its counts in status and the API."""

from __future__ import annotations

EMENSCR: dict[str, str] = {
    "pack.open": "📋 ส่งต่อ eMENSCR",
    "label.emenscr_keyed": "ขั้นที่กรอกใน eMENSCR แล้ว",
    "pack.card_progress": "🆔 รหัส eMENSCR: {emenscr_id} · กรอกใน eMENSCR แล้ว {done}/{total} ขั้น",
    "pack.text": (
        "📋 ส่งต่อ eMENSCR · {what}\n"
        "รหัส eMENSCR: {emenscr_id}\n"
        "กรอกแล้ว {done}/{total} ขั้น\n"
        "{steps}\n\n"
        "👉 ขั้นที่ {number}/{total} · {step} {state}\n"
        "กดค้างที่ข้อความค่าแต่ละช่องด้านบนเพื่อคัดลอก แล้ววางในช่องเดียวกันของ eMENSCR "
        "กรอกครบขั้นนี้แล้วกด “✅ กรอกแล้ว”"
    ),
    "pack.all_done": "🎉 กรอกครบทุกขั้นใน eMENSCR แล้ว",
    "pack.step_done": "✅ กรอกแล้ว",
    "pack.step_open": "○ ยังไม่กรอก",
    "pack.keyed": "✅ กรอกแล้ว",
    "pack.next": "ขั้นถัดไป ▶️",
    "pack.prev": "◀️ ขั้นก่อน",
    "pack.no_id": "— ยังไม่ได้บันทึก",
    "pack.set_id": "🆔 บันทึกรหัส eMENSCR",
    "pack.change_id": "🆔 แก้รหัส eMENSCR",
    "pack.not_approved": "ส่งต่อ eMENSCR ได้เมื่อได้รับอนุมัติแล้วเท่านั้นค่ะ (ตอนนี้: {status})",
    "pack.empty": "— ไม่มีข้อมูล",
    "pack.link": "แผนที่ {number}",
    "pack.link_code": "รหัส",
    "pack.link_title": "ชื่อ / เป้าหมาย",
    "pack.link_ref": "อ้างอิง",
    "pack.plan_quarter": "ไตรมาส {quarter}",
    "pack.m6": "M6 {section}",
    "pack.recorded": "✅ บันทึกว่ากรอก “{step}” ใน eMENSCR แล้ว",
    "pack.refused": "บันทึกไม่ได้ค่ะ รายการนี้ไม่ได้อยู่ในสถานะอนุมัติแล้ว หรือไม่อยู่ในสิทธิ์ของคุณ",
    "pack.ask_id": (
        "พิมพ์รหัสโครงการที่ eMENSCR ให้มา ({what})\n"
        "คัดลอกจากหน้าโครงการใน eMENSCR แล้ววางที่นี่ได้เลย (ตัวอักษร ตัวเลข - _ / . ยาวไม่เกิน {limit} ตัว)"
    ),
    "pack.ask_id_again": "พิมพ์รหัสโครงการจาก eMENSCR เป็นข้อความ หรือกด “ย้อนกลับ” ค่ะ",
    "pack.id_saved": "🆔 บันทึกรหัส eMENSCR “{emenscr_id}” ของ {code} แล้ว",
    "pack.id_invalid": (
        "รหัสนี้ใช้ไม่ได้ค่ะ: {why}\n"
        "รหัส eMENSCR เป็นข้อความบรรทัดเดียว มีตัวเลขอย่างน้อย 1 ตัว ใช้ตัวอักษร ตัวเลข ช่องว่าง - _ / . "
        "ยาวไม่เกิน {limit} ตัว เช่น ศธ04001-69-0001"
    ),
    "pack.id_why.empty": "ยังไม่ได้พิมพ์อะไร",
    "pack.id_why.long": "ยาวเกิน {limit} ตัว",
    "pack.id_why.lines": "มีหลายบรรทัด",
    "pack.id_why.digit": "ไม่มีตัวเลขเลย",
    "pack.id_why.chars": "มีอักขระ “{chars}” ที่รหัสไม่ใช้",
    "channel.more_values": "▶️ ช่องต่อไป",
    "channel.first_values": "⏮ ช่องแรก",
    "pack.api_heading": "ส่งต่อ eMENSCR · {code} {name}",
    "pack.api_project": "ทะเบียนโครงการ (M1–M5)",
    "pack.api_report": "รายงาน {period} (M6)",
    "pack.api_sheet": "ส่งต่อ eMENSCR",
    "pack.api_part": "ส่วน",
    "pack.api_step": "ขั้นใน eMENSCR",
    "pack.api_field": "ช่อง",
    "pack.api_value": "ค่าที่กรอก",
    "pack.api_keyed": "สถานะ",
    "status.emenscr_heading": "📋 ยังไม่ได้กรอกใน eMENSCR (อนุมัติแล้ว)",
    "status.emenscr_none": "📋 กรอกใน eMENSCR ครบทุกโครงการและรายงานที่อนุมัติแล้ว",
    "status.emenscr": "{code} {name}: โครงการ {projects} · รายงาน {reports}",
}
