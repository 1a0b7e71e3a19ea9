"""Opening, migrating and closing the one database Tidtam writes to (SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor

from models import MODEL_MODULES

APP_LABEL = "models"
MIGRATIONS_MODULE = "migrations"


def is_postgres(database_url: str) -> bool:
    """Whether the URL points at PostgreSQL (where row locks and advisory locks are real)."""
    return urlsplit(database_url).scheme in {"postgres", "postgresql", "asyncpg"}


def connection_name(database_url: str) -> str:
    """One connection name per backend.

    Tortoise caches compiled SQL per connection name for the whole process, so a process that opens
    SQLite and later PostgreSQL (the test suite does) must not reuse one name for both.
    """
    return "postgres" if is_postgres(database_url) else "sqlite"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise configuration for our single app, with its migrations package."""
    name = connection_name(database_url)
    return {
        "connections": {name: database_url},
        "apps": {
            APP_LABEL: {
                "models": list(MODEL_MODULES),
                "default_connection": name,
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_directory(database_url: str) -> None:
    """SQLite creates the file but not its folder; make ``./data/`` on first use."""
    parts = urlsplit(database_url)
    if parts.scheme != "sqlite":
        return
    path = (parts.netloc + parts.path).split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


class Database:
    """Owns the Tortoise context of one process: open once, close once.

    The context is registered as Tortoise's global fallback so that every task of the process
    (aiohttp handlers, background loops) sees the same connections, whichever task opened them.
    """

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self._context: TortoiseContext | None = None

    @property
    def is_postgres(self) -> bool:
        """Whether row locks and advisory locks are available."""
        return is_postgres(self.url)

    async def open(self) -> None:
        """Connect (lazily, on first query) and load the models."""
        _ensure_sqlite_directory(self.url)
        self._context = await Tortoise.init(config=tortoise_config(self.url), _enable_global_fallback=True)

    async def close(self) -> None:
        """Close every connection; safe to call twice."""
        if self._context is not None:
            await self._context.close_connections()
            self._context = None

    @property
    def table_names(self) -> list[str]:
        """Tables of our models (not tortoise's migration records)."""
        if self._context is None or self._context.apps is None:
            raise RuntimeError("database is not open")
        return [model._meta.db_table for model in self._context.apps.get_models_iterable()]

    def connection(self) -> BaseDBAsyncClient:
        """The default connection, for raw SQL such as locks."""
        if self._context is None:
            raise RuntimeError("database is not open")
        return self._context.db()

    def _executor(self) -> MigrationExecutor:
        return MigrationExecutor(self.connection(), tortoise_config(self.url)["apps"])

    async def pending_migrations(self) -> list[str]:
        """Names of the migrations not yet applied, in order."""
        return [step.migration.name for step in await self._executor().plan() if not step.backward]

    async def migrate(self) -> list[str]:
        """Apply every migration not yet applied; return the names applied."""
        pending = await self.pending_migrations()
        await self._executor().migrate()
        return pending

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


# For tortoise's own CLI (``tortoise makemigrations``): models and migrations only, no real database.
MIGRATIONS_CONFIG = tortoise_config("sqlite://:memory:")
