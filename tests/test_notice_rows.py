"""A submission's notifications by plain statements (issue 20): the directors found and the rows written are the
ones the ORM's ``values_list`` and ``bulk_create`` found and wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conversations.service.notice_rows import directors_of, insert_notifications
from models.db import Database
from models.enums import ReminderKind, Role
from models.org import Office, User
from models.runtime import Notification

NOW = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
COLUMNS = ("recipient_id", "kind", "key", "params", "project_id", "report_id", "created_at", "shown_at", "pushed_at")


async def test_the_active_directors_of_the_office_only(database: Database) -> None:
    north, south = await Office.create(code="N1", name="เหนือ"), await Office.create(code="S1", name="ใต้")
    first = await User.create(name="ก", role=Role.DIRECTOR, office=north)
    await User.create(name="ข", role=Role.DIRECTOR, office=north, active=False)
    await User.create(name="ค", role=Role.OWNER, office=north)
    await User.create(name="ง", role=Role.DIRECTOR, office=south)
    second = await User.create(name="จ", role=Role.DIRECTOR, office=north)
    expected = await User.filter(office_id=north.id, role=Role.DIRECTOR, active=True).values_list("id", flat=True)
    assert await directors_of(north.id) == [int(str(user_id)) for user_id in expected]
    assert sorted(await directors_of(north.id)) == [first.id, second.id]
    assert await directors_of(0) == []


async def test_notifications_are_stored_as_bulk_create_stored_them(database: Database) -> None:
    office = await Office.create(code="N1", name="เหนือ")
    people = [await User.create(name=name, role=Role.DIRECTOR, office=office) for name in ("ก", "ข")]
    ids = [person.id for person in people]
    params: dict[str, Any] = {"code": "CMI1-2570-001", "name": "โครงการ \"ยกระดับ\"", "late": "", "n": 3}
    await Notification.bulk_create([
        Notification(recipient_id=recipient, kind=ReminderKind.SUBMITTED, key="notify.submitted_report",
                     params=dict(params), project_id=7, report_id=None, created_at=NOW) for recipient in ids])
    by_orm = await Notification.all().order_by("id").values(*COLUMNS)
    await Notification.all().delete()
    await insert_notifications(ids, {"kind": ReminderKind.SUBMITTED, "key": "notify.submitted_report",
                                     "params": dict(params), "project_id": 7, "report_id": None, "created_at": NOW})
    assert await Notification.all().order_by("id").values(*COLUMNS) == by_orm
    connection = Notification._meta.db
    stored = await connection.execute_query_dict('SELECT "params", "kind", "created_at" FROM "notification"')
    await Notification.all().delete()
    await Notification.bulk_create([Notification(recipient_id=ids[0], kind=ReminderKind.SUBMITTED, key="k",
                                                 params=dict(params), project_id=7, created_at=NOW)])
    raw = await connection.execute_query_dict('SELECT "params", "kind", "created_at" FROM "notification"')
    assert stored[0] == raw[0]  # the JSON text and the timestamp as the ORM writes them
    await insert_notifications([], {"kind": ReminderKind.SUBMITTED, "key": "k", "project_id": 7, "created_at": NOW})
    assert await Notification.all().count() == 1
