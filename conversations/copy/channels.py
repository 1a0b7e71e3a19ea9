"""Words a chat channel adds around the engine's replies (command menus, retired buttons), and those of the
evidence files a report's card offers to open."""

from __future__ import annotations

CHANNELS: dict[str, str] = {
    "cmd.start": "เริ่มใช้งานด้วยรหัสเชิญ (/start รหัส)",
    "cmd.help": "วิธีใช้",
    # what a question's message says once its buttons are gone (Telegram)
    "live.answered": "✔️ ตอบแล้ว: {answer}",
    "live.asked_below": "⤵️ ดูคำถามล่าสุดด้านล่าง",
    "live.file": "📎 {name}",
    # evidence files opened from a report's card
    "evidence.file": "📎 หลักฐาน: {name}",
    "evidence.not_found": "ไม่พบไฟล์นี้แล้วค่ะ (อาจถูกลบไปแล้ว หรือเป็นรายงานที่คุณเปิดดูไม่ได้)",
}
