"""Project codes come from a per-office, per-fiscal-year counter: they count up, are taken inside the transaction
that creates the project, are never handed out twice (not even after a draft is deleted), and the migration that
brought the counter started it after the codes projects already had."""

from __future__ import annotations

import importlib

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget
from tortoise.transactions import in_transaction

from models.db import APP_LABEL, Database, tortoise_config
from models.enums import ItemStatus, Role
from models.numbering import ProjectCodeCounter, allocate_project_code
from models.org import Office, User
from models.project import Project
from tests.support.scenario import start_project
from tests.support.world import demo_world

COUNTERS = importlib.import_module("migrations.0010_project_code_counters").Migration


async def _office(code: str = "CMI1") -> tuple[Office, User]:
    office = await Office.create(code=code, name=f"สำนักงาน {code}")
    owner = await User.create(name=f"เจ้าของ {code}", role=Role.OWNER, office=office)
    return office, owner


async def _office_as_before(database: Database, code: str) -> tuple[Office, int]:
    """An office and its owner written with the columns of the schema before 0010 (later user columns absent)."""
    office = await Office.create(code=code, name=f"สำนักงาน {code}")
    marks = ", ".join(f"${n}" if database.is_postgres else "?" for n in range(1, 4))
    rows = await database.connection().execute_query_dict(
        "INSERT INTO app_user (name, role, office_id, email, phone, position, active, created_at) "
        f"VALUES ({marks}, '', '', '', TRUE, CURRENT_TIMESTAMP) RETURNING id", [f"เจ้าของ {code}", "owner", office.id])
    return office, int(rows[0]["id"])


async def _project_as_before(database: Database, **values: object) -> None:
    """A project written with only the columns its table has at this migration: today's model has later ones."""
    connection = database.connection()
    if database.is_postgres:
        rows = await connection.execute_query_dict(
            "SELECT column_name AS name FROM information_schema.columns "
            "WHERE table_name = 'project' AND table_schema = current_schema()")
    else:
        rows = await connection.execute_query_dict("PRAGMA table_info(project)")
    existing = {row["name"] for row in rows}
    project = Project(**values)
    meta = Project._meta
    columns = {column: meta.fields_map[name].to_db_value(getattr(project, name), project)
               for name, column in meta.fields_db_projection.items()
               if column in existing and name != meta.pk_attr}
    marks = ", ".join(f"${n}" if database.is_postgres else "?" for n in range(1, len(columns) + 1))
    await connection.execute_query(
        f"INSERT INTO project ({', '.join(columns)}) VALUES ({marks})", list(columns.values()))


async def _counters() -> dict[tuple[str, int], int]:
    return {(counter.office.code, counter.fiscal_year): counter.last_number
            for counter in await ProjectCodeCounter.all().prefetch_related("office")}


async def test_codes_count_up_per_office_and_year(database: Database) -> None:
    cmi, _ = await _office("CMI1")
    lpn, _ = await _office("LPN1")
    taken = [await allocate_project_code(cmi, 2570) for _ in range(3)]
    assert taken == ["CMI1-2570-001", "CMI1-2570-002", "CMI1-2570-003"]
    assert await allocate_project_code(cmi, 2571) == "CMI1-2571-001"
    assert await allocate_project_code(lpn, 2570) == "LPN1-2570-001"
    assert await _counters() == {("CMI1", 2570): 3, ("CMI1", 2571): 1, ("LPN1", 2570): 1}


async def test_a_code_a_project_already_has_is_skipped(database: Database) -> None:
    office, owner = await _office()
    assert await allocate_project_code(office, 2570) == "CMI1-2570-001"
    await Project.create(code="CMI1-2570-002", fiscal_year=2570, office=office, owner=owner)  # written by hand
    await Project.create(code="CMI1-2570-003", fiscal_year=2570, office=office, owner=owner)
    code = await allocate_project_code(office, 2570)
    assert code == "CMI1-2570-004"
    await Project.create(code=code, fiscal_year=2570, office=office, owner=owner)
    with pytest.raises(IntegrityError):  # the unique index stays the last word
        await Project.create(code=code, fiscal_year=2570, office=office, owner=owner)


async def _take_a_code_then_fail(office: Office) -> None:
    async with in_transaction():
        assert await allocate_project_code(office, 2570) == "CMI1-2570-001"
        raise RuntimeError("rolled back")


async def test_a_number_is_taken_in_the_callers_transaction(database: Database) -> None:
    office, _ = await _office()
    with pytest.raises(RuntimeError, match="rolled back"):
        await _take_a_code_then_fail(office)
    assert await _counters() == {}  # nothing was created with it, so nothing was spent
    assert await allocate_project_code(office, 2570) == "CMI1-2570-001"


async def test_a_deleted_drafts_code_is_never_handed_out_again(database: Database) -> None:
    async with demo_world(database) as world:  # the demo's projects A and B are CMI1-2570-001 and -002
        chat = world.chat("suda")
        await start_project(chat)
        assert await Project.filter(code="CMI1-2570-003").exists()
        await chat.say("/cancel")
        await chat.tap("ใช่ ลบร่าง")
        assert not await Project.filter(code="CMI1-2570-003").exists()
        await start_project(chat)
        draft = await Project.get(owner=world.people["suda"], status=ItemStatus.DRAFT)
        assert draft.code == "CMI1-2570-004"
        weera = world.chat("weera")
        await start_project(weera)
        assert (await Project.get(owner=world.people["weera"], status=ItemStatus.DRAFT)).code == "CMI1-2570-005"


async def test_the_migration_starts_each_counter_after_the_codes_projects_have(database: Database) -> None:
    """Migration 0010 is taken back, projects are written as they were before it, and it is applied again."""
    executor = MigrationExecutor(database.connection(), tortoise_config(database.url)["apps"])
    before = MigrationTarget(*COUNTERS.dependencies[0])
    assert before.app_label == APP_LABEL
    await executor.migrate([before])
    try:
        cmi, owner = await _office_as_before(database, "CMI1")
        lpn, lpn_owner = await _office_as_before(database, "LPN1")
        quiet, _ = await _office_as_before(database, "PYO1")  # no projects: its counters start from nothing
        for code, fiscal_year, office, person in [
            ("CMI1-2570-002", 2570, cmi, owner), ("CMI1-2570-0007", 2570, cmi, owner),
            ("CMI1-2570-X12", 2570, cmi, owner),  # not a number: ignored
            ("CMI1-2570-", 2570, cmi, owner),  # no number: ignored
            ("LPN1-2570-099", 2570, cmi, owner),  # another office's form: not CMI1's number
            ("CMI1-2571-120", 2571, cmi, owner), ("LPN1-2570-009", 2570, lpn, lpn_owner),
            ("LPN1-2570-010", 2570, lpn, lpn_owner), ("LPN1-2571-1234567890", 2571, lpn, lpn_owner),  # too long
        ]:
            await _project_as_before(database, code=code, fiscal_year=fiscal_year, office=office, owner_id=person)
    finally:
        await MigrationExecutor(database.connection(), tortoise_config(database.url)["apps"]).migrate()
    assert await database.pending_migrations() == []
    assert await _counters() == {("CMI1", 2570): 7, ("CMI1", 2571): 120, ("LPN1", 2570): 10}
    assert await allocate_project_code(cmi, 2570) == "CMI1-2570-008"
    assert await allocate_project_code(cmi, 2571) == "CMI1-2571-121"
    assert await allocate_project_code(lpn, 2570) == "LPN1-2570-011"
    assert await allocate_project_code(lpn, 2571) == "LPN1-2571-001"
    assert await allocate_project_code(quiet, 2570) == "PYO1-2570-001"
