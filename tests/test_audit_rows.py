"""Audit entries are written by a plain INSERT on every answer; stored and read back they must be exactly what
the ORM's own insert gives (the same columns, the same stored text of the time), or the history would differ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from conversations.service.audit import Change
from conversations.service.store import record
from models.db import Database
from models.enums import Role
from models.org import Office, User
from models.runtime import AuditEntry


async def test_entries_are_stored_as_the_orm_stores_them(database: Database) -> None:
    office = await Office.create(code="CMI1", name="สพป.เชียงใหม่ เขต 1", province="เชียงใหม่", department="สพฐ.")
    owner = await User.create(name="นางสาวสุดา ศรีสุข", role=Role.OWNER, office=office)
    now = datetime(2026, 12, 6, 9, 5, 7, 123456, tzinfo=timezone(timedelta(hours=7)))  # Bangkok, as the clock
    await record(owner, now, "report", 7, 3, [Change("disbursed_amount", '"0.00"', '"150000"'),
                                              Change("kpi_values", "null", '"ร้อยละ 80"')])
    await AuditEntry.create(actor=owner, at=now, entity="report", entity_id=7, project_id=3,
                            field="by_orm", before="null", after='"x"')
    await record(None, now, "project", 9, 9, [Change("name", "null", '"ไม่มีผู้ทำ"')])
    await record(owner, now, "project", 9, 9, [])  # nothing changed: nothing written
    connection = AuditEntry._meta.db
    rows = await connection.execute_query_dict(
        "SELECT actor_id, at, entity, entity_id, project_id, field, before, after FROM audit_entry ORDER BY id")
    assert [row["field"] for row in rows] == ["disbursed_amount", "kpi_values", "by_orm", "name"]
    assert len({str(row["at"]) for row in rows}) == 1  # the raw insert's time is stored as the ORM's is
    assert [(row["actor_id"], row["entity"], row["entity_id"], row["project_id"]) for row in rows] == [
        (owner.id, "report", 7, 3), (owner.id, "report", 7, 3), (owner.id, "report", 7, 3), (None, "project", 9, 9)]
    assert (rows[1]["before"], rows[1]["after"]) == ("null", '"ร้อยละ 80"')
    entries = await AuditEntry.all()
    assert {entry.at for entry in entries} == {now.astimezone(UTC)}
