"""The turn benchmark's results and how they are reported: one run's turns, latencies and CPU, and the service set
against the durable baseline and the bare handler of the same run (the ratios the goals are set on).

Apart from :mod:`bench.turns`, which produces the runs, so that ``bench/__main__.py``'s summary reads the figures
without the machinery that measures them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TWO = "two instances"


@dataclass(frozen=True, slots=True)
class TurnResult:
    """One run: a database, a number of people at once, the service or the bare handler."""

    database: str
    users: int
    target: str  # "service" or "bare"
    turns: int
    seconds: float
    latencies: tuple[float, ...]
    failures: int = 0
    strays: int = 0
    submitted: int = 0  # reports in the database afterwards (the service's runs)
    note: str = ""
    cpu_seconds: float = 0.0  # the serving process's own CPU time over the timed run (user and system)
    session_bytes: int = 0  # the average size of the service's session state after its run

    @property
    def cpu_per_turn(self) -> float:
        """Seconds of the serving process's CPU a turn cost."""
        return self.cpu_seconds / self.turns if self.turns else float("nan")

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
                "durable_cpu_ms_per_turn": round(self.durable.cpu_per_turn * 1000, 2) if self.durable else None,
                "p50_ms": round(self.service.percentile(0.5) * 1000),
                "p99_ms": round(self.service.percentile(0.99) * 1000),
                "bare_turns_per_s": round(self.bare.rate) if self.bare else None,
                "submitted": self.service.submitted, "answered_twice": self.service.strays,
                "failed": self.service.failures + (self.durable.failures if self.durable else 0)}


def figures(results: Sequence[TurnResult]) -> list[Figures]:
    """The service's runs, each with the baselines measured beside it."""
    by_target = {(result.database, result.users, result.target): result for result in results}
    return [Figures(result.database if result.target == "service" else f"{result.database} ×2", result.users, result,
                    by_target.get((result.database, result.users, "durable")),
                    by_target.get((result.database, result.users, "bare")))
            for result in results if result.target in ("service", TWO) and not result.note]


def table(results: Sequence[TurnResult]) -> str:
    """One row per database and number of people: the service against the durable baseline of the same run."""
    lines = ["| database | people | turns/s | durable turns/s | ratio (goal ≥ 0.5) | CPU ms a turn | durable CPU ms "
             "| CPU ratio (goal ≤ 2) | p50 ms | p99 ms | p99/p50 (goal ≤ 3 at 10) | bare turns/s | reports submitted "
             "| failed |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {result.database} | — | {result.note} |" + " |" * 11 for result in results if result.note]
    for row in figures(results):
        service, durable = row.service, row.durable
        lines.append(
            f"| {row.database} | {row.people} | {service.rate:.1f} | {durable.rate if durable else float('nan'):.1f} "
            f"| {row.ratio:.2f} | {service.cpu_per_turn * 1000:.1f} "
            f"| {durable.cpu_per_turn * 1000 if durable else float('nan'):.1f} | {row.cpu_ratio:.1f} "
            f"| {service.percentile(0.5) * 1000:.0f} | {service.percentile(0.99) * 1000:.0f} | {row.tail:.1f} "
            f"| {row.bare.rate if row.bare else float('nan'):.0f} | {service.submitted}/{service.users} "
            f"| {service.failures + (durable.failures if durable else 0)} |")
    return "\n".join(lines)


