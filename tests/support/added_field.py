"""A world where a field is added the way the README says: one line of flow data, its copy, its column.

Run as its own process (``python -m tests.support.added_field SQLITE_URL``), because the column is added to
the KPI model there and nowhere else: each KPI gets a baseline (ค่าฐาน), asked after its target. Nothing
else changes: the store, the review card, the export and the data API are the project's own. The process
prints one line per place the field was found and exits non-zero at the first place it was not.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import sys
from decimal import Decimal
from typing import cast

from tortoise import fields

from models.project import Kpi

# 1. its column (in the project: a field in models/project.py, then `tortoise makemigrations`)
Kpi._meta.add_field("baseline", fields.DecimalField(max_digits=18, decimal_places=2, null=True))
MIGRATION = "ALTER TABLE kpi ADD COLUMN baseline DECIMAL(18,2) NULL"

# 2. its copy (in the project: conversations/copy/registration.py)
from conversations.copy import COPY  # noqa: E402 - after the column, as the model module would have it

CATALOG = cast(dict[str, str], COPY)
CATALOG["reg.kpi.baseline"] = "ค่าฐานของตัวชี้วัดนี้ ก่อนเริ่มโครงการ (ตัวเลข)"
CATALOG["reg.kpi.baseline.label"] = "ค่าฐาน"
CATALOG["sum.kpi"] += " (ค่าฐาน {baseline})"  # shown in the list of KPIs and on the review card

# 3. one line of flow data (in the project: conversations/flows/registration.py)
from conversations.flows.flow import Group, Kind, Question, Section  # noqa: E402
from conversations.flows.registration import REGISTRATION  # noqa: E402
from conversations.flows.registry import FLOWS, build  # noqa: E402

BASELINE = Question("baseline", "reg.kpi.baseline", Kind.NUMBER, column="baseline")


def _with_baseline(section: Section) -> Section:
    steps = tuple(dataclasses.replace(step, questions=(*step.questions, BASELINE))
                  if isinstance(step, Group) and step.key == "kpis" else step for step in section.steps)
    return dataclasses.replace(section, steps=steps)


FLOWS[REGISTRATION.id] = build(dataclasses.replace(REGISTRATION, sections=tuple(
    _with_baseline(section) for section in REGISTRATION.sections)))

# Everything below is the project's own code, unchanged.
from conversations.service.field_store import tables  # noqa: E402

assert "baseline" in tables()["register"].group_columns["kpis"]  # read off the model: nothing to declare
from openpyxl import load_workbook  # noqa: E402

from api.demo import seed_demo  # noqa: E402
from api.settings import Settings  # noqa: E402
from conversations.oversight.export import export_workbook  # noqa: E402
from conversations.service.store import load_answers  # noqa: E402
from conversations.service.turns import ConversationService  # noqa: E402
from models.db import Database  # noqa: E402
from models.enums import Role  # noqa: E402
from models.project import Project  # noqa: E402
from tests.support.app import app_client, bearer  # noqa: E402
from tests.support.clock import SteppingClock  # noqa: E402
from tests.support.scenario import RATIONALE, fill_m1, fill_m2, start_project  # noqa: E402
from tests.support.transcript import Chat  # noqa: E402

KPI = "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์"


def found(place: str, ok: bool, detail: object = "") -> None:
    """Say where the field was found; stop at the first place it was not."""
    print(f"{place}: yes" if ok else f"{place}: NO\n{detail}", flush=True)
    if not ok:
        sys.exit(1)


async def main(database_url: str) -> None:
    """Register a project through the chat, answering the new question, then look for the answer everywhere."""
    database = Database(database_url)
    await database.open()
    await database.migrate()
    await database.connection().execute_script(MIGRATION)
    await database.close()
    settings = Settings(database_url=database_url, telegram_bot_token=None, line_channel_secret=None,
                        line_channel_access_token=None, telegram_webhook_url=None)
    async with app_client(settings) as client:
        people = await seed_demo()
        chat = Chat(ConversationService(postgres=False, clock=SteppingClock()).handle, "suda")
        await start_project(chat)
        await fill_m1(chat)
        await fill_m2(chat)
        await chat.say(RATIONALE)
        await chat.say("เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน")  # taken at once
        await chat.say("นักเรียน ป.1–3 จำนวน ๔,๒๐๐ คน ใน 120 โรงเรียนได้รับการพัฒนา")
        await chat.say("นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์")
        await chat.say(KPI)
        await chat.tap("ร้อยละ")
        await chat.say("85")
        found("asked", "ค่าฐานของตัวชี้วัดนี้" in chat.text, chat.text)
        await chat.say("๖๒.๕")  # Thai digits, as an owner may type them
        found("parsed and echoed", "62.5" in chat.text, chat.text)
        await chat.tap("เสร็จ")

        project = await Project.get(owner=people["suda"], name__startswith="โครงการยกระดับ", code__not="CMI1-2570-001")
        kpi = await Kpi.get(project=project, name=KPI)
        found("stored", kpi.baseline == Decimal("62.5"), kpi.baseline)  # type: ignore[attr-defined]
        answers = await load_answers(FLOWS[REGISTRATION.id], project)
        found("reloaded", answers["kpis"][0].get("baseline") == "62.5", answers["kpis"][0])

        await chat.say("ตรวจทาน")
        found("on the review card", "(ค่าฐาน 62.5)" in chat.text, chat.text)

        workbook = load_workbook(io.BytesIO(await export_workbook(people["admin"])))
        rows = list(workbook["ตัวชี้วัด"].iter_rows(values_only=True))
        row = next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == project.code)
        found("exported under its label", row.get("ค่าฐาน") == 62.5, row)

        admin = await bearer(role=Role.ADMIN)
        served = await (await client.get(f"/api/v1/projects/{project.code}", headers=admin)).json()
        found("served under its key", served["kpis"][0].get("baseline") == "62.50", served["kpis"][0])


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
