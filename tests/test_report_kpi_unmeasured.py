"""A KPI not measured yet is reported so ("ยังไม่ได้วัด"), stored as no value, and never shown or counted as 0.

Over Telegram (its button and /skip) and LINE (its words typed); the owner's card, the director's card and the
Excel export all say "ยังไม่ได้วัด".
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlsplit

from openpyxl import load_workbook

from models.report import KpiValue, QuarterReport, WindowException
from tests.support.line_world import line_world
from tests.support.scenario import SHORTFALL, fill_q1_after_kpis, fill_q1_until_kpis, open_report
from tests.support.telegram_app import telegram_app

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
PUBLIC = "https://tidtam.example.go.th"
READING, TEACHERS = "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "จำนวนครูที่ผ่านการอบรม"


async def stored_values() -> dict[str, Decimal | None]:
    report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
    return {row.kpi.name: row.value for row in await KpiValue.filter(report=report).prefetch_related("kpi")}


async def test_telegram_button_and_skip_store_no_value_and_cards_say_not_measured(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(JAN_5)
        await WindowException.all().delete()
        suda = await rig.link(rig.user())
        somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")
        await open_report(suda)  # type: ignore[arg-type]
        await fill_q1_until_kpis(suda)  # type: ignore[arg-type]

        assert READING in suda.screen["text"] and "ยังไม่ได้วัด" in suda.labels(suda.screen), suda.labels(suda.screen)
        await suda.tap("ยังไม่ได้วัด")
        assert "ยังไม่ได้วัด" in suda.text and "0%" not in suda.text, suda.transcript()
        assert TEACHERS in suda.screen["text"]
        await suda.say("/skip")  # the command means the same on a KPI
        assert "ยังไม่ได้วัด" in suda.text and "ต้องตอบ" not in suda.text, suda.transcript()
        assert await stored_values() == {READING: None, TEACHERS: None}  # NULL, not 0

        await fill_q1_after_kpis(suda)  # type: ignore[arg-type]
        await suda.say("98,500")
        await suda.say(SHORTFALL)
        await suda.say("โรงเรียนที่อยู่ไกลส่งครูมาอบรมในวันธรรมดาไม่ได้")
        card = suda.text  # the review card: evidence is offered there, not asked
        assert f"{READING}: ยังไม่ได้วัด" in card and f"{TEACHERS}: ยังไม่ได้วัด" in card, card
        kpis = card.split("ตัวชี้วัด\n")[1].split("\n\n")[0]
        assert "%" not in kpis and "· )" not in kpis, kpis  # no share of a target for what was not measured
        await suda.tap("ส่งให้ผู้อำนวยการ")

        await somchai.say("รออนุมัติ")
        await somchai.tap("1. รายงาน Q1/2570")
        assert f"{READING}: ยังไม่ได้วัด" in somchai.text, somchai.transcript()

        await somchai.say("/export 2570")
        [document] = rig.standin.called("sendDocument")
        _, content = next(iter(document.files.values()))
        rows = list(load_workbook(io.BytesIO(content))["ผลตัวชี้วัด"].iter_rows(values_only=True))
        assert [row[5] for row in rows[1:]] == ["ยังไม่ได้วัด", "ยังไม่ได้วัด"], rows


async def test_line_typed_words_and_a_measured_value_changed_back(empty_database_url: str) -> None:
    async with line_world(empty_database_url, public_url=PUBLIC) as world:
        world.clock.set(JAN_5)
        await WindowException.all().delete()
        suda = await world.linked("suda")
        await open_report(suda)  # type: ignore[arg-type]
        await fill_q1_until_kpis(suda)  # type: ignore[arg-type]
        await suda.say("62")
        assert "คิดเป็น 72.9%" in suda.text
        await suda.say("ยังไม่ได้วัด")  # the button's words, typed
        assert "ยังไม่ได้วัด" in suda.text, suda.text
        assert await stored_values() == {READING: Decimal(62), TEACHERS: None}
        await suda.say("ตรวจทาน")  # the first KPI measured after all? not yet: changed back from the review
        await suda.tap("✏️ ตัวชี้วัด")
        await suda.tap("ตัวชี้วัด")
        await suda.tap("แก้ไข")
        await suda.say("1")
        assert "62" in suda.text and "ยังไม่ได้วัด" in suda.labels(), suda.text
        await suda.say("ยังไม่ได้วัด")
        await suda.tap("เสร็จ")
        assert await stored_values() == {READING: None, TEACHERS: None}

        await suda.say("เมนู")
        await suda.say("รายงานผล")
        await suda.tap("Q1/2570 โครงการยกระดับ")  # loaded again from the database
        await suda.say("ตรวจทาน")
        [card] = [message for message in suda.last if message["type"] == "flex"]  # the card itself
        assert f"{READING}: ยังไม่ได้วัด" in json.dumps(card, ensure_ascii=False), card

        admin = await world.linked("somchai", "สมชาย")  # the director
        await admin.say("/export")
        link = admin.text.split("ดาวน์โหลด (7 วัน): ")[1].split()[0]
        workbook = await world.client.get(urlsplit(link).path)
        rows = list(load_workbook(io.BytesIO(await workbook.read()))["ผลตัวชี้วัด"].iter_rows(values_only=True))
        assert [row[5] for row in rows[1:]] == ["ยังไม่ได้วัด", "ยังไม่ได้วัด"], rows
