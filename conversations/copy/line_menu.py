"""The LINE rich menus and the next-step quick replies of pushed messages: each button's label, and the word a
tap sends (a word the bot understands anywhere, see ``conversations/copy/words.py``)."""

from __future__ import annotations

LINE_MENU: dict[str, str] = {
    "richmenu.bar": "เมนู",  # the bar under the chat that opens and closes the menu (at most 14 characters)
    "richmenu.new": "ลงทะเบียนโครงการ",
    "richmenu.new.says": "โครงการใหม่",
    "richmenu.reports": "รายงานผลรายไตรมาส",
    "richmenu.reports.says": "รายงานผล",
    "richmenu.mine": "โครงการของฉัน",
    "richmenu.mine.says": "โครงการของฉัน",
    "richmenu.office": "โครงการของหน่วยงาน",
    "richmenu.office.says": "โครงการของฉัน",
    "richmenu.continue": "ทำต่อ",
    "richmenu.continue.says": "ทำต่อ",
    "richmenu.menu": "เมนูหลัก",
    "richmenu.menu.says": "เมนู",
    "richmenu.help": "วิธีใช้",
    "richmenu.help.says": "วิธีใช้",
    "richmenu.inbox": "รออนุมัติ",
    "richmenu.inbox.says": "รออนุมัติ",
    "richmenu.status": "สถานะการรายงาน",
    "richmenu.status.says": "สถานะ",
    "richmenu.pending": "ค้างส่ง",
    "richmenu.pending.says": "ค้างส่ง",
    "richmenu.export": "ส่งออก Excel",
    "richmenu.export.says": "ส่งออก",
    "richmenu.windows": "ช่วงรายงาน",
    "richmenu.windows.says": "ช่วงรายงาน",
    "richmenu.invite": "เชิญผู้ใช้",
    "richmenu.invite.says": "เชิญ",
}
