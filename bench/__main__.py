"""``make bench``: run every benchmark, print each one's detail, then one table of every goal of issue #9 with the
figure reached, each a ratio against a baseline measured in the same run, and the machine it ran on; then issue
#17's phone effort (inputs and messages of whole scenarios, counted, not timed)."""

from __future__ import annotations

import asyncio
import os
import platform
import time
from collections.abc import Sequence

from api.log_setup import redact
from api.settings import load_settings
from bench import effort, fanout, memory, plan_import, queries, turn_figures, turns

Row = tuple[str, str, str, bool | None]  # what, figure reached, goal, met (None: no goal, or not measured)


def machine() -> str:
    """What the figures were measured on."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def fanout_rows(results: Sequence[fanout.FanoutResult]) -> list[Row]:
    """Rate against the configured limit, and nobody missed or served twice."""
    rows: list[Row] = []
    for result in results:
        clean = result.duplicates == 0 and result.losses == 0
        if result.ratio is None:
            rows.append((f"fan-out: {result.name}", f"{result.requests} requests, {result.duplicates} dup, "
                         f"{result.losses} lost", "no duplicate, no loss", clean))
        else:
            rows.append((f"fan-out: {result.name}", f"{result.ratio:.2f} of the limit, {result.duplicates} dup, "
                         f"{result.losses} lost", "≥ 0.95, no duplicate, no loss", result.ratio >= 0.95 and clean))
    return rows


def query_rows(timings: Sequence[queries.Timing]) -> list[Row]:
    """The largest size's time over the smallest's, per query."""
    rows: list[Row] = []
    smallest, largest = min(queries.SIZES), max(queries.SIZES)
    for name, goal, limit in (("status + pending", "≤ 2", 2.0), ("status + pending, a report just sent", "≤ 2", 2.0),
                              ("export (xlsx)", "near-linear (≤ 15: within 1.5 × linear)", 15.0)):
        small = next((t for t in timings if t.name == name and t.projects == smallest), None)
        large = next((t for t in timings if t.name == name and t.projects == largest), None)
        if small is None or large is None or small is large:
            continue
        ratio = large.seconds / small.seconds
        rows.append((f"{name} {largest:,}/{smallest:,} projects", f"{ratio:.1f} ({large.seconds:.2f} s)", goal,
                     ratio <= limit))
    return rows


def turn_rows(results: Sequence[turn_figures.TurnResult]) -> list[Row]:
    """Turns a second and CPU a turn against the least a durable turn costs (bench/durable.py), and the tail."""
    rows: list[Row] = [(f"turns on {result.database}", result.note, "", None) for result in results if result.note]
    for row in turn_figures.figures(results):
        where = f"{row.people} people, {row.database}"
        durable = row.durable
        if durable is None or not durable.rate:
            continue
        rows.append((f"turns, {where}", f"{row.ratio:.2f} of durable ({row.service.rate:.0f}/s vs "
                     f"{durable.rate:.0f}/s)", "≥ 0.5", row.ratio >= 0.5))
        rows.append((f"CPU a turn, {where}", f"{row.cpu_ratio:.1f} × durable ({row.service.cpu_per_turn * 1000:.1f} "
                     f"ms vs {durable.cpu_per_turn * 1000:.1f} ms)", "≤ 2", row.cpu_ratio <= 2))
        if row.service.target == turn_figures.TWO:
            once = row.service.strays == 0 and row.service.submitted == row.service.filed
            rows.append((f"each event once, {where}", f"{row.service.strays} answered twice, "
                         f"{row.service.submitted}/{row.service.filed} reports submitted", "0, all", once))
            half = row.same_load
            if half is not None:
                rows.append((f"one instance, half the people, {where}", f"{half.strays} answered twice, "
                             f"{half.submitted}/{half.filed} reports submitted, {half.failures} failed",
                             "0, all, 0", half.strays == 0 and half.submitted == half.filed and not half.failures))
            rows.append((f"CPU a turn, two instances, {where}", f"{row.cpu_vs_same_load:.2f} × one "
                         f"instance at the load of each ({row.people // 2} people); {row.cpu_vs_one:.2f} × one with "
                         f"all {row.people}", "unchanged (≤ 1.2 × the same load)", row.cpu_vs_same_load <= 1.2))
        p50, p99 = row.service.percentile(0.5), row.service.percentile(0.99)
        goal = row.people <= 10
        rows.append((f"turn latency, {where}", f"p99/p50 {row.tail:.1f} (p50 {p50 * 1000:.0f} ms, p99 "
                     f"{p99 * 1000:.0f} ms)", "≤ 3" if goal else "(no goal)", row.tail <= 3 if goal else None))
    return rows


def memory_rows(results: Sequence[memory.MemoryResult]) -> list[Row]:
    """Resident memory with the most drafts over the fewest."""
    if len(results) < 2:
        return []
    small, large = results[0], results[-1]
    ratio = large.rss_mb / small.rss_mb
    return [(f"memory, {large.drafts:,}/{small.drafts:,} open drafts", f"{ratio:.2f} ({large.rss_mb:.0f} MB)",
             "flat (≤ 1.1)", ratio <= 1.1)]


def plan_rows(timings: Sequence[plan_import.PlanTiming]) -> list[Row]:
    """Each import of the generated plan against the minute of issue #18."""
    return [(f"plan import: {t.what}, {t.projects} projects", f"{t.seconds:.1f} s",
             f"≤ {plan_import.GOAL_SECONDS:.0f} s", t.seconds <= plan_import.GOAL_SECONDS) for t in timings]


def effort_rows(efforts: Sequence[effort.Effort]) -> list[Row]:
    """Issue 17's goals: inputs a scenario takes on the costlier channel, and bot messages per input."""
    return [(what, reached, goal, met) for what, reached, goal, met in effort.goals(efforts)]


def summary(rows: Sequence[Row]) -> str:
    """One markdown table of every goal."""
    lines = ["| benchmark | reached | goal | met |", "| --- | --- | --- | --- |"]
    marks = {True: "yes", False: "**no**", None: "—"}
    lines += [f"| {what} | {reached} | {goal} | {marks[met]} |" for what, reached, goal, met in rows]
    return "\n".join(lines)


async def main() -> None:
    """Run the benchmarks one after another (they must not share the CPU)."""
    started = time.perf_counter()
    print(f"# Tidtam benchmarks on {machine()}\n", flush=True)
    sent = await fanout.run()
    print(fanout.table(sent), "\n", flush=True)
    timed = await queries.run()
    print(queries.table(timed), "\n", flush=True)
    turned = await turns.run()
    print(turn_figures.table(turned), "\n", flush=True)
    held = await memory.run()
    print(memory.table(held), "\n", flush=True)
    imported = await plan_import.run()
    print(plan_import.table(imported), "\n", flush=True)
    efforts = await effort.run()
    print(effort.table(efforts), "\n", flush=True)
    print(summary(fanout_rows(sent) + query_rows(timed) + turn_rows(turned) + memory_rows(held)
                  + plan_rows(imported) + effort_rows(efforts)))
    print(f"\n({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    asyncio.run(main())
