"""Words people type instead of pressing a button, mapped to navigation actions (lower case, single spaces)."""

from __future__ import annotations

NAV_WORDS: dict[str, str] = {
    "เมนู": "menu", "เมนูหลัก": "menu", "menu": "menu",
    "ช่วยเหลือ": "help", "วิธีใช้": "help", "help": "help", "?": "help",
    "ย้อนกลับ": "back", "ย้อน": "back", "กลับ": "back", "back": "back",
    "ข้าม": "skip", "skip": "skip",
    "พัก": "save", "พักไว้ก่อน": "save", "บันทึกและออก": "save", "save": "save",
    "ยกเลิก": "cancel", "cancel": "cancel",
    "สารบัญ": "hub",
    "ตรวจทาน": "review",
    "โครงการใหม่": "new",
    "โครงการของฉัน": "mine",
    "ทำต่อ": "continue",
    "เสร็จ": "done", "เสร็จแล้ว": "done",
    "รายงานผล": "reports", "รายงาน": "reports", "รายงานผลรายไตรมาส": "reports",
    "รออนุมัติ": "inbox",
    "ประวัติ": "history",
    "สถานะ": "status",
    "ค้างส่ง": "pending",
    "โครงการ": "project",
    "ค้นหา": "find",
    "ส่งออก": "export",
    "กราฟ": "chart",
    "เชิญ": "invite",
    "ช่วงรายงาน": "windows",
    "กำหนดส่ง": "window",
    "ข้อยกเว้น": "except",
}

QUIT_WORDS = frozenset({"/quit", "/exit", "ออก"})  # leave the terminal channel
