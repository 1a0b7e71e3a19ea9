"""What the reminder loop says: quarter open, due soon, overdue, the director's digest, the admins' summary."""

from __future__ import annotations

REMINDERS: dict[str, str] = {
    "remind.window_opened": "📣 เปิดรับรายงานผลไตรมาส {period} แล้วค่ะ\nโครงการ {code} {name}\n"
                            "กำหนดส่ง {due} (เหลือ {days} วัน)",
    "remind.due_soon": "⏰ อีก {days} วันถึงกำหนดส่งรายงานไตรมาส {period} ค่ะ\nโครงการ {code} {name}\n"
                       "กำหนดส่ง {due}",
    "remind.due_today": "⏰ วันนี้ ({due}) เป็นวันสุดท้ายของการส่งรายงานไตรมาส {period} ตามกำหนดค่ะ\n"
                        "โครงการ {code} {name}",
    "remind.overdue": "⚠️ รายงานไตรมาส {period} ของโครงการ {code} {name} เลยกำหนดส่ง ({due}) มาแล้ว {days} วันค่ะ\n"
                      "ยังส่งได้ถึง {locks} (นับเป็นส่งช้า)",
    "remind.open_report": "📝 เปิดรายงาน",
    "remind.open_item": "🔎 ดูรายละเอียด",
    "remind.open_project": "📂 เปิดโครงการ",
    "remind.digest": "📋 รายงานไตรมาส {period} ที่ยังไม่ส่ง · {office}\nกำหนดส่ง {due} (เลยมาแล้ว {days} วัน) "
                     "ยังส่งได้ถึง {locks}\n{count} โครงการ:\n{items}",
    "remind.digest_item": "• {code} {name} — {owner} · {status}",
    "remind.state_none": "ยังไม่เริ่ม",
    "remind.state_draft": "ร่างไว้ ยังไม่ส่ง",
    "remind.state_returned": "ส่งกลับแก้ไข ยังไม่ส่งใหม่",
    "remind.open_inbox": "📥 รายการรออนุมัติ",
    "remind.admin_weekly": "📊 สรุปประจำสัปดาห์ รายงานไตรมาส {period} (ถึง {today})\n"
                           "กำหนดส่ง {due}\n"
                           "โครงการที่ต้องรายงาน {total} · ส่งตรงเวลา {on_time} · ส่งช้า {late}\n"
                           "อนุมัติแล้ว {approved} · รออนุมัติ {waiting} · ส่งกลับแก้ไข {returned} · ยังไม่ส่ง {pending}\n"
                           "{offices}",
    "remind.admin_offices": "หน่วยงานที่ค้างส่งมากที่สุด:\n{lines}",
    "remind.admin_office_line": "• {office}: ค้าง {pending} จาก {total}",
    "remind.admin_all_in": "ทุกหน่วยงานส่งครบแล้วค่ะ 🎉",
}
