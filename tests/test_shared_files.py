"""File links: only the SHA-256 of a link's token is stored, a link is looked up by it, and migration 0009 turns
the tokens of files already shared into hashes so that their links keep working (and can be taken back)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from api.settings import Settings
from models.clock import system_clock
from models.db import Database, tortoise_config
from models.runtime import SharedFile
from models.shared_files import fetch, share
from tests.support.app import app_client
from tests.support.database import database_at

OLD_TOKEN = "Old-link-token_from_before_0009-abcdefghijkl"


async def test_only_the_hash_of_a_token_is_stored_and_a_link_is_found_by_it(database: Database) -> None:
    now = system_clock()
    token = await share("กราฟ.png", "image/png", b"\x89PNG", now)
    row = await SharedFile.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(await SharedFile.all().values())  # in no column
    found = await fetch(token, now)
    assert found is not None and found.content == b"\x89PNG"
    assert await fetch(row.token_hash, now) is None  # what a copy of the database holds opens nothing
    assert await fetch(token[:-1], now) is None
    assert await fetch(token, now + timedelta(days=8)) is None  # expired


async def test_migration_0009_hashes_the_tokens_of_files_already_shared(empty_database_url: str,
                                                                         tmp_path: Path) -> None:
    now = system_clock()
    async with database_at("0008_quarter_tallies", empty_database_url, tmp_path) as database:
        marks = ["$1", "$2", "$3", "$4", "$5", "$6"] if database.is_postgres else ["?"] * 6
        await database.connection().execute_query(
            f"INSERT INTO shared_file (token, filename, mime_type, content, created_at, expires_at) "
            f"VALUES ({', '.join(marks)})", [OLD_TOKEN, "export.xlsx", "application/octet-stream", b"PK",
                                             now, now + timedelta(days=7)])
        assert "0009_shared_file_token_hash" in await database.pending_migrations()
        await database.migrate()
        found = await fetch(OLD_TOKEN, now)
        assert found is not None and found.content == b"PK"  # the link sent before the upgrade still works
        assert OLD_TOKEN not in str(await SharedFile.all().values())
        executor = MigrationExecutor(database.connection(), tortoise_config(database.url)["apps"])
        await executor.migrate([MigrationTarget("models", "0008_quarter_tallies")])  # it can be taken back:
        _, rows = await database.connection().execute_query("SELECT COUNT(*) AS files FROM shared_file")
        assert rows[0]["files"] == 0  # the files are forgotten (a token cannot be had back from its hash)
        await database.migrate()
        assert await database.pending_migrations() == []


async def test_a_link_shows_only_pictures_and_pdfs_in_place_and_downloads_anything_else(database: Database) -> None:
    """Evidence keeps the type its sender declared: a "text/html" upload must never render as a page of ours."""
    now = system_clock()
    tokens = {kind: await share(name, kind, body, now) for kind, name, body in (
        ("image/jpeg", "ภาพกิจกรรม.jpg", b"\xff\xd8\xff"), ("application/pdf", "รายงาน.pdf", b"%PDF-1.7"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "export.xlsx", b"PK"),
        ("text/html", "page.html", b"<script>alert(1)</script>"))}
    async with app_client(Settings(database_url=database.url, telegram_bot_token=None, line_channel_secret=None,
                                   line_channel_access_token=None)) as client:
        seen = {}
        for kind, token in tokens.items():
            response = await client.get(f"/files/{token}/x")
            assert response.status == 200 and response.headers["X-Content-Type-Options"] == "nosniff"
            seen[kind] = (response.content_type, response.headers["Content-Disposition"].split(";")[0])
    assert seen == {
        "image/jpeg": ("image/jpeg", "inline"), "application/pdf": ("application/pdf", "inline"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "attachment"),
        "text/html": ("application/octet-stream", "attachment")}
