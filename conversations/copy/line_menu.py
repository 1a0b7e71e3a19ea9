"""The LINE rich menus and the next-step quick replies of pushed messages: each button's label, and the command a
tap runs (a slash command, so a tap is never taken as the answer to a question on screen)."""

from __future__ import annotations

LINE_MENU: dict[str, str] = {
    "richmenu.bar": "เมนู",  # the bar under the chat that opens and closes the menu (at most 14 characters)
    "richmenu.new": "ลงทะเบียนโครงการ",
    "richmenu.new.says": "/new",
    "richmenu.reports": "รายงานผลรายไตรมาส",
    "richmenu.reports.says": "/reports",
    "richmenu.mine": "โครงการของฉัน",
    "richmenu.mine.says": "/mine",
    "richmenu.office": "โครงการของหน่วยงาน",
    "richmenu.office.says": "/mine",
    "richmenu.continue": "ทำต่อ",
    "richmenu.continue.says": "/continue",
    "richmenu.menu": "เมนูหลัก",
    "richmenu.menu.says": "/menu",
    "richmenu.help": "วิธีใช้",
    "richmenu.help.says": "/help",
    "richmenu.inbox": "รออนุมัติ",
    "richmenu.inbox.says": "/inbox",
    "richmenu.status": "สถานะการรายงาน",
    "richmenu.status.says": "/status",
    "richmenu.pending": "ค้างส่ง",
    "richmenu.pending.says": "/pending",
    "richmenu.export": "ส่งออก Excel",
    "richmenu.export.says": "/export",
    "richmenu.windows": "ช่วงรายงาน",
    "richmenu.windows.says": "/windows",
    "richmenu.invite": "เชิญผู้ใช้",
    "richmenu.invite.says": "/invite",
}
