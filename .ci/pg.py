"""Create or drop a throw-away PostgreSQL database for the CI pass; exit 3 when no server answers."""

from __future__ import annotations

import asyncio
import sys

import asyncpg

SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
UNREACHABLE = 3


async def main(action: str, name: str) -> int:
    try:
        connection = await asyncio.wait_for(asyncpg.connect(SERVER), timeout=10)
    except (TimeoutError, OSError) as exc:
        print(f"PostgreSQL does not answer at 127.0.0.1:5432 ({exc.__class__.__name__}: {exc})", file=sys.stderr)
        return UNREACHABLE
    try:
        if action == "create":
            await connection.execute(f'CREATE DATABASE "{name}"')
        else:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
