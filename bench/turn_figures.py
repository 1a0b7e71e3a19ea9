"""The turn benchmark's results and how they are reported: one run's turns, latencies and CPU, and the service set
against the durable baseline and the bare handler of the same run (the ratios the goals are set on).

Apart from :mod:`bench.turns`, which produces the runs, so that ``bench/__main__.py``'s summary reads the figures
without the machinery that measures them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TWO = "two instances"
HALF = "one instance, half the people"  # the load each of two instances carries, on one process


@dataclass(frozen=True, slots=True)
class TurnResult:
    """One run: a database, a number of people at once, the service or the bare handler."""

    database: str
    users: int
    target: str  # "service", TWO, HALF, "durable" or "bare"
    turns: int
    seconds: float
    latencies: tuple[float, ...]
    failures: int = 0
    strays: int = 0
    submitted: int = 0  # reports in the database afterwards (the service's runs)
    filed: int = 0  # reports the timed people filed (each person one, groups one after the other)
    note: str = ""
    cpu_seconds: float = 0.0  # the serving process's own CPU time over the timed run (user and system)
    session_bytes: int = 0  # the average size of the service's session state after its run
    first_cpu_seconds: float = 0.0  # the untimed first round's CPU (what a process pays once is in it)
    first_turns: int = 0

    @property
    def cpu_per_turn(self) -> float:
        """Seconds of the serving process's CPU a turn cost."""
        return self.cpu_seconds / self.turns if self.turns else float("nan")

    @property
    def first_cpu_per_turn(self) -> float:
        """Seconds of CPU a turn of the untimed first round cost."""
        return self.first_cpu_seconds / self.first_turns if self.first_turns else float("nan")

    @property
    def rate(self) -> float:
        """Turns a second."""
        return self.turns / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """The latency below which ``share`` of the turns finished, in seconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass(frozen=True, slots=True)
class Figures:
    """One database and number of people: the service against the durable baseline of the same run."""

    database: str
    people: int
    service: TurnResult
    durable: TurnResult | None
    bare: TurnResult | None
    one: TurnResult | None = None  # for two instances: one instance, the same people, the same run
    same_load: TurnResult | None = None  # for two instances: one instance with half the people

    @property
    def cpu_vs_one(self) -> float:
        """Two instances' CPU a turn over one instance's with the same people."""
        return self.service.cpu_per_turn / self.one.cpu_per_turn if self.one else float("nan")

    @property
    def cpu_vs_same_load(self) -> float:
        """Two instances' CPU a turn over one instance's carrying the load each of them does (half the people):
        what running two adds of its own (goal: unchanged, ≤ 1.2 given the spread of one setting between runs)."""
        return self.service.cpu_per_turn / self.same_load.cpu_per_turn if self.same_load else float("nan")

    @property
    def ratio(self) -> float:
        """The service's turns a second over the durable baseline's (goal ≥ 0.5)."""
        return self.service.rate / self.durable.rate if self.durable and self.durable.rate else float("nan")

    @property
    def cpu_ratio(self) -> float:
        """The service's CPU a turn over the baseline's (goal ≤ 2)."""
        return self.service.cpu_per_turn / self.durable.cpu_per_turn if self.durable else float("nan")

    @property
    def tail(self) -> float:
        """p99 over p50 of the service's turn latency (goal ≤ 3 with 10 people)."""
        return self.service.percentile(0.99) / self.service.percentile(0.50)

    def as_json(self) -> dict[str, object]:
        """The row as ``--json`` prints it."""
        return {"database": self.database, "people": self.people, "turns_per_s": round(self.service.rate, 1),
                "durable_turns_per_s": round(self.durable.rate, 1) if self.durable else None,
                "ratio": round(self.ratio, 3), "cpu_per_turn_ratio": round(self.cpu_ratio, 2),
                "cpu_ms_per_turn": round(self.service.cpu_per_turn * 1000, 2),
                "first_round_cpu_ms_per_turn": round(self.service.first_cpu_per_turn * 1000, 2)
                if self.service.first_turns else None,
                "durable_cpu_ms_per_turn": round(self.durable.cpu_per_turn * 1000, 2) if self.durable else None,
                "p50_ms": round(self.service.percentile(0.5) * 1000),
                "p99_ms": round(self.service.percentile(0.99) * 1000),
                "bare_turns_per_s": round(self.bare.rate) if self.bare else None,
                "submitted": self.service.submitted, "filed": self.service.filed, "answered_twice": self.service.strays,
                "failed": self.service.failures + (self.durable.failures if self.durable else 0)} | (
                    {"cpu_ms_one_instance": round(self.one.cpu_per_turn * 1000, 2) if self.one else None,
                     "cpu_ms_one_instance_half_the_people": round(self.same_load.cpu_per_turn * 1000, 2)
                     if self.same_load else None,
                     "cpu_vs_one_instance": round(self.cpu_vs_one, 2) if self.one else None,
                     "cpu_vs_same_load": round(self.cpu_vs_same_load, 2) if self.same_load else None,
                     "half_the_people_submitted": self.same_load.submitted if self.same_load else None,
                     "half_the_people_filed": self.same_load.filed if self.same_load else None,
                     "half_the_people_failed": self.same_load.failures if self.same_load else None,
                     "half_the_people_answered_twice": self.same_load.strays if self.same_load else None}
                    if self.service.target == TWO else {})


def figures(results: Sequence[TurnResult]) -> list[Figures]:
    """The service's runs, each with the baselines measured beside it."""
    by_target = {(result.database, result.users, result.target): result for result in results}
    return [Figures(result.database if result.target == "service" else f"{result.database} ×2", result.users, result,
                    by_target.get((result.database, result.users, "durable")),
                    by_target.get((result.database, result.users, "bare")),
                    by_target.get((result.database, result.users, "service")) if result.target == TWO else None,
                    by_target.get((result.database, result.users // 2, HALF)) if result.target == TWO else None)
            for result in results if result.target in ("service", TWO) and not result.note]


def table(results: Sequence[TurnResult]) -> str:
    """One row per database and number of people: the service against the durable baseline of the same run."""
    lines = ["| database | people | turns/s | durable turns/s | ratio (goal ≥ 0.5) | CPU ms a turn | durable CPU ms "
             "| CPU ratio (goal ≤ 2) | p50 ms | p99 ms | p99/p50 (goal ≤ 3 at 10) | bare turns/s | reports submitted "
             "| failed | first round CPU ms a turn |",
             "| --- " + "| ---: " * 14 + "|"]
    lines += [f"| {result.database} | — | {result.note} |" + " |" * 12 for result in results if result.note]
    for row in figures(results):
        service, durable = row.service, row.durable
        lines.append(
            f"| {row.database} | {row.people} | {service.rate:.1f} | {durable.rate if durable else float('nan'):.1f} "
            f"| {row.ratio:.2f} | {service.cpu_per_turn * 1000:.1f} "
            f"| {durable.cpu_per_turn * 1000 if durable else float('nan'):.1f} | {row.cpu_ratio:.1f} "
            f"| {service.percentile(0.5) * 1000:.0f} | {service.percentile(0.99) * 1000:.0f} | {row.tail:.1f} "
            f"| {row.bare.rate if row.bare else float('nan'):.0f} | {service.submitted}/{service.filed} "
            f"| {service.failures + (durable.failures if durable else 0)} | {service.first_cpu_per_turn * 1000:.1f} |")
    return "\n".join(lines + _two_instances(results))


def _two_instances(results: Sequence[TurnResult]) -> list[str]:
    """Two instances against one with the same people and one carrying the same load a process (half of them)."""
    rows = [row for row in figures(results) if row.service.target == TWO]
    if not rows:
        return []
    lines = ["", "| two instances | people | CPU ms a turn | one instance, same people | ratio "
             "| one instance, half the people | ratio (goal ≤ 1.2) | answered twice | reports submitted "
             "| half the people: submitted, failed, answered twice |",
             "| --- " + "| ---: " * 9 + "|"]
    for row in rows:
        one = row.one.cpu_per_turn * 1000 if row.one else float("nan")
        half = row.same_load
        checked = f"{half.submitted}/{half.filed}, {half.failures}, {half.strays}" if half else "—"
        lines.append(f"| {row.database} | {row.people} | {row.service.cpu_per_turn * 1000:.1f} | {one:.1f} "
                     f"| {row.cpu_vs_one:.2f} | {half.cpu_per_turn * 1000 if half else float('nan'):.1f} "
                     f"| {row.cpu_vs_same_load:.2f} | {row.service.strays} "
                     f"| {row.service.submitted}/{row.service.filed} | {checked} |")
    return lines


