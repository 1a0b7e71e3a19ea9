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
    "คัดลอก": "copy", "คัดลอกโครงการ": "copy", "คัดลอกจากโครงการเดิม": "copy",
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
    "แม่แบบ": "template",
    "กราฟ": "chart",
    "เชิญ": "invite",
    "ช่วงรายงาน": "windows",
    "กำหนดส่ง": "window",
    "ข้อยกเว้น": "except",
}

QUIT_WORDS = frozenset({"/quit", "/exit", "ออก"})  # leave the terminal channel

# Titles a Thai name may start with (written with or without a space before the name); a greeting puts no "คุณ"
# before them ("คุณนายอนุชา" is wrong). Checked as the start of the name, case aside. "คุณ" and "พระ" count
# only with a space after them: คุณากร, คุณวุฒิ and พระพาย are given names.
NAME_TITLES: tuple[str, ...] = (
    "นาย", "นาง", "นางสาว", "น.ส.", "ด.ช.", "ด.ญ.", "คุณ ", "ท่าน",
    "ดร.", "ดร ", "ผอ.", "อ.", "อาจารย์", "ศ.", "รศ.", "ผศ.", "ศาสตราจารย์", "รองศาสตราจารย์", "ผู้ช่วยศาสตราจารย์",
    "นพ.", "พญ.", "ทพ.", "ทพญ.", "ภก.", "ภญ.", "สพ.", "สพญ.",
    "ว่าที่", "พล.", "พ.อ.", "พ.ท.", "พ.ต.", "ร.อ.", "ร.ท.", "ร.ต.", "จ.ส.", "ส.อ.", "ส.ท.", "ส.ต.",
    "พ.ต.อ.", "พ.ต.ท.", "พ.ต.ต.", "ร.ต.อ.", "ร.ต.ท.", "ร.ต.ต.", "ด.ต.", "จ.ส.ต.", "ส.ต.อ.", "ส.ต.ท.", "ส.ต.ต.",
    "น.อ.", "น.ท.", "น.ต.", "พ.จ.", "จ.อ.", "จ.ท.", "จ.ต.",
    "หม่อม", "ม.ร.ว.", "ม.ล.", "ม.จ.", "คุณหญิง", "คุณนาย", "สามเณร", "แม่ชี",
    "พระ ", "พระครู", "พระมหา", "พระอธิการ", "พระปลัด", "พระสมุห์", "พระใบฎีกา", "พระราช", "พระเทพ", "พระธรรม", "พระพรหม",
    "mr.", "mr ", "mrs.", "mrs ", "ms.", "ms ", "miss ", "dr.", "dr ", "prof.",
)
