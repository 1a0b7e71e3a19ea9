"""CPU of a report turn in-process (issue 20): the benchmark's Q1 report (``bench.turns.report_script``) filed by
``people`` owners straight through ``ConversationService.handle`` on a SQLite file, no webhook or channel around
it. Prints the CPU (``time.process_time``) a turn costs and the statements tortoise ran a turn; with
``--profile FILE`` the run is profiled into FILE (cProfile). Small and quick, to measure one cut of the service's
database work while other work shares the machine."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import tempfile
import time
from pathlib import Path

from bench.turns import open_period, report_script, seed_reporters
from conversations.service.turns import ConversationService
from models.db import Database
from models.enums import ItemStatus
from models.report import QuarterReport
from tests.support.transcript import Chat


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def _file(chats: list[Chat], script: list[tuple[str, str]]) -> int:
    turns = 0
    for action, text in script:
        for chat in chats:
            await (chat.say(text) if action == "say" else chat.tap(text))
            turns += 1
    return turns


async def run(people: int, rounds: int, profile: str | None) -> None:
    period = open_period()
    script = report_script(period)
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite://{Path(folder) / 'report.sqlite3'}")
        await database.open()
        await database.migrate()
        total = people * rounds
        accounts = await seed_reporters(total, period)
        service = ConversationService(postgres=False)
        chats = [Chat(service.handle, ref, platform) for platform, ref in accounts]
        await _file(chats[:people], script)  # warm: caches, statements prepared
        counter = _Count()
        logger = logging.getLogger("tortoise.db_client")
        logger.addHandler(counter)
        logger.setLevel(logging.DEBUG)
        turns = await _file(chats[people:2 * people], script)
        logger.removeHandler(counter)
        logger.setLevel(logging.WARNING)
        statements = counter.count / turns
        profiler = cProfile.Profile() if profile else None
        cpu, turns = 0.0, 0
        for number in range(2, rounds):
            start = time.process_time()
            if profiler:
                profiler.enable()
            turns += await _file(chats[number * people:(number + 1) * people], script)
            if profiler:
                profiler.disable()
            cpu += time.process_time() - start
        submitted = await QuarterReport.filter(status=ItemStatus.SUBMITTED).count()
        await database.close()
    if profiler and profile:
        profiler.dump_stats(profile)
    print(f"{turns} turns: {cpu / turns * 1000:.2f} ms CPU a turn, {statements:.2f} statements a turn, "
          f"{submitted}/{total} submitted")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--profile")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.people, arguments.rounds, arguments.profile))


if __name__ == "__main__":
    main()
