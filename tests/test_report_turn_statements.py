"""What a report turn costs the database (issue 20): an answer is six statements — the account marked seen, the
turn's opening read, the open report read with its project and its quarter's window, the report's UPDATE, the
audit INSERT, the session's UPDATE — a KPI value one more (its row written by one upsert, not read first), and
the submit reads nothing the turn already read; the rows written are those the ORM wrote before."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from conversations.service.report_store import submit_report
from conversations.service.row_writes import upsert_rows
from models.db import Database
from models.enums import ActivityState, ItemStatus
from models.org import User
from models.project import Activity, Kpi
from models.report import ActivityProgress, KpiValue, QuarterReport, WindowException
from models.runtime import AuditEntry
from tests.support.statements import Statements, statements
from tests.support.world import demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # Q1's window is open, due 15 Jan
OPENING = ["UPDATE", "SELECT", "SELECT"]  # the account seen, the turn's rows, the open report with its window
CLOSING = ["UPDATE"]  # the session


def turn_verbs(seen: Statements) -> list[str]:
    """The turn's statements, without PostgreSQL's lock of the chat (a channel without an inbox takes it first)."""
    return [verb for verb, sql in zip(seen.verbs(), seen.sql, strict=True) if "pg_advisory" not in sql]


async def test_a_report_answer_is_six_statements_and_a_kpi_value_one_more(database: Database) -> None:
    async with demo_world(database) as world:
        world.clock.set(JAN_5)
        await WindowException.all().delete()
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        await owner.tap("Q1/2570 โครงการยกระดับ")
        report = await QuarterReport.get(project__code="CMI1-2570-001", quarter=1)
        before = report.updated_at

        with statements() as seen:
            await owner.say("อบรม 2 รุ่น")
        assert turn_verbs(seen) == [*OPENING, "UPDATE", "INSERT", *CLOSING], seen.sql
        assert not [sql for sql in seen.sql if "reporting_window" in sql and "project p" not in sql], seen.sql
        report = await QuarterReport.get(id=report.id)
        assert report.output_progress == "อบรม 2 รุ่น" and report.updated_at > before

        await owner.say("ทดสอบพื้นฐานแล้ว")
        with statements() as seen:
            await owner.say("62")
        assert turn_verbs(seen) == [*OPENING, "UPDATE", "INSERT", "INSERT", *CLOSING], seen.sql
        assert seen.touching("kpi_value") == ["INSERT"], seen.sql
        assert "✔️ รับทราบ: 62 — คิดเป็น 72.9% ของเป้าหมาย 85 ร้อยละ" in owner.text
        values = {value.kpi_id: value.value for value in await KpiValue.filter(report_id=report.id)}
        assert list(values.values()) == [Decimal(62)]

        await owner.say("180")
        for label in ("กำลังดำเนินการ",):
            await owner.tap(label)
        await owner.say("70")
        await owner.tap("เสร็จแล้ว")
        await owner.tap("กำลังดำเนินการ")
        await owner.say("ร้อยละ 60")
        progress = sorted((row.state, row.percent) for row in await ActivityProgress.filter(report_id=report.id))
        assert progress == [(ActivityState.DONE, 100), (ActivityState.IN_PROGRESS, 60),
                            (ActivityState.IN_PROGRESS, 70)]
        await owner.tap("ตอบแยกรายแผน")
        for text in ("ก", "ข", "ค", "ง"):
            await owner.say(text)
        await owner.say("98,500")
        await owner.say("เลื่อนการอบรมรุ่นที่ 2 ไปเดือนมกราคม")
        await owner.say("โรงเรียนไกลส่งครูไม่ได้")
        assert owner.screen.key == "review"

        with statements() as seen:
            await owner.tap("ส่งให้ผู้อำนวยการ")
        assert "ให้ผู้อำนวยการแล้ว" in owner.text
        # the report, its project and its window were read once, with the open item: not again to submit it
        assert seen.touching("quarter_report") == ["SELECT", "UPDATE"], seen.sql
        assert len(turn_verbs(seen)) == 8, seen.sql
        report = await QuarterReport.get(id=report.id)
        assert (report.status, report.submitted_at, report.disbursed_amount) == (ItemStatus.SUBMITTED, JAN_5,
                                                                                 Decimal(98500))


async def test_a_known_items_rows_are_written_only_where_they_differ(database: Database) -> None:
    async with demo_world(database) as world:
        world.clock.set(JAN_5)
        report = await QuarterReport.create(project_id=(await Kpi.first()).project_id, fiscal_year=2570, quarter=1)
        kpis = [kpi.id for kpi in await Kpi.filter(project_id=report.project_id).order_by("id")]
        activity = (await Activity.filter(project_id=report.project_id).first()).id
        key = ["report_id", "kpi_id"]

        def rows(*values: Decimal | None) -> list[dict[str, object]]:
            return [{"report_id": report.id, "kpi_id": kpi, "value": value}
                    for kpi, value in zip(kpis, values, strict=False)]

        assert await upsert_rows(KpiValue, key, rows(Decimal(62), None)) == 2
        assert await upsert_rows(KpiValue, key, rows(Decimal("62.00"), None)) == 0  # as stored: nothing written
        assert await upsert_rows(KpiValue, key, rows(Decimal(62), Decimal("180.5"))) == 1
        assert await upsert_rows(KpiValue, key, rows(None, Decimal("180.5"))) == 1
        stored = {row.kpi_id: row.value for row in await KpiValue.filter(report_id=report.id)}
        assert stored == {kpis[0]: None, kpis[1]: Decimal("180.50")}
        progress = {"report_id": report.id, "activity_id": activity, "state": ActivityState.IN_PROGRESS,
                    "percent": 70}
        key = ["report_id", "activity_id"]
        assert await upsert_rows(ActivityProgress, key, [progress]) == 1
        assert await upsert_rows(ActivityProgress, key, [progress | {"state": ActivityState.DONE,
                                                                     "percent": 100}]) == 1
        row = await ActivityProgress.get(report_id=report.id)
        assert (row.state, row.percent) == (ActivityState.DONE, 100)
        twice = [progress | {"percent": 80}, progress | {"percent": 90}]  # one key twice: the last is written
        assert await upsert_rows(ActivityProgress, key, twice) == 1
        assert (await ActivityProgress.get(report_id=report.id)).percent == 90


async def test_a_submit_writes_only_the_submission_and_only_once(database: Database) -> None:
    """The report a submit holds was read as its turn began: an answer another chat of the person stored since is
    kept, not written back over, and a report already sent is not sent again."""
    async with demo_world(database) as world:
        world.clock.set(JAN_5)
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        await owner.tap("Q1/2570 โครงการยกระดับ")
        held = await QuarterReport.get(project__code="CMI1-2570-001", quarter=1)
        await QuarterReport.filter(id=held.id).update(output_progress="อบรม 3 รุ่น (จากอีกแชต)")
        suda = await User.get(email="suda.s@example.go.th")

        assert await submit_report(held, JAN_5, suda, late=False)
        stored = await QuarterReport.get(id=held.id)
        assert (stored.status, stored.submitted_at, stored.submitted_by_id, stored.output_progress) == (
            ItemStatus.SUBMITTED, JAN_5, suda.id, "อบรม 3 รุ่น (จากอีกแชต)")
        assert held.status is ItemStatus.SUBMITTED
        assert (stored.updated_at, stored.late) == (JAN_5, False)
        sent = await AuditEntry.filter(entity="report", entity_id=held.id, field="status").values(
            "actor_id", "at", "project_id", "before", "after")
        assert sent == [{"actor_id": suda.id, "at": JAN_5, "project_id": held.project_id, "before": '"draft"',
                         "after": '"submitted"'}]

        held.status = ItemStatus.DRAFT  # what a chat that read it before the other chat sent it still holds
        assert not await submit_report(held, JAN_5, suda, late=True)
        assert (await QuarterReport.get(id=held.id)).late is False
        assert await AuditEntry.filter(entity="report", entity_id=held.id, field="status").count() == 1
