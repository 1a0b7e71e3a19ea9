"""The migration of Telegram's live questions (``0012_telegram``) applies and reverts cleanly."""

from __future__ import annotations

from pathlib import Path

from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from models.db import tortoise_config
from tests.support.database import database_at

MIGRATION = "0012_telegram"


async def test_the_live_question_table_comes_and_goes(empty_database_url: str, tmp_path: Path) -> None:
    async with database_at(MIGRATION, empty_database_url, tmp_path) as database:
        connection = database.connection()
        await connection.execute_query("INSERT INTO telegram_live_question (chat_id, message_id, text, prompt) "
                                       "VALUES (7001, 12, 'ชื่อโครงการคืออะไรคะ', '5')")
        executor = MigrationExecutor(connection, tortoise_config(database.url)["apps"])
        await executor.migrate([MigrationTarget("models", "0011_inbox")])
        assert "telegram_live_question" not in await _tables(database.url, connection)
        await executor.migrate([MigrationTarget("models", MIGRATION)])
        _, rows = await connection.execute_query("SELECT COUNT(*) AS n FROM telegram_live_question")
        assert rows[0]["n"] == 0


async def _tables(url: str, connection: object) -> set[str]:
    query = ("SELECT name FROM sqlite_master WHERE type = 'table'" if url.startswith("sqlite") else
             "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()")
    _, rows = await connection.execute_query(query)  # type: ignore[attr-defined]
    return {row["name"] for row in rows}
