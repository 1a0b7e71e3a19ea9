"""``make bench``: run every benchmark and print one table, with the machine it ran on."""

from __future__ import annotations

import asyncio
import os
import platform

from bench import fanout, queries


def machine() -> str:
    """What the figures were measured on."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


async def main() -> None:
    """Run the benchmarks one after another (they must not share the CPU)."""
    print(f"# Tidtam benchmarks on {machine()}")
    print()
    print(fanout.table(await fanout.run()))
    print()
    print(queries.table(await queries.run()))


if __name__ == "__main__":
    asyncio.run(main())
