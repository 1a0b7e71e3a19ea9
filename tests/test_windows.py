"""Reporting windows: defaults, overrides, lock dates, exceptions, and each quarter's status on a day."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from api.cli import main
from models.db import Database
from models.enums import ItemStatus
from models.fiscal import FiscalQuarter
from models.org import Office
from models.report import ReportingWindow, WindowException
from models.windows import (
    QuarterStatus,
    QuarterWindow,
    ReportingPolicy,
    exceptions_for,
    quarter_state,
    quarter_windows,
    windows_and_exceptions,
)

Q1 = QuarterWindow(FiscalQuarter(2570, 1), opens=date(2027, 1, 1), due=date(2027, 1, 15), locks=date(2027, 1, 30))


@pytest.mark.parametrize(
    ("day", "report", "late", "excepted", "status", "can_report", "will_be_late"),
    [
        (date(2026, 12, 31), None, False, None, QuarterStatus.NOT_OPEN, False, False),
        (date(2026, 12, 31), None, False, date(2027, 1, 31), QuarterStatus.EXCEPTED, True, False),
        (date(2027, 1, 1), None, False, None, QuarterStatus.OPEN, True, False),
        (date(2027, 1, 15), ItemStatus.DRAFT, False, None, QuarterStatus.OPEN, True, False),
        (date(2027, 1, 16), None, False, None, QuarterStatus.OVERDUE, True, True),
        (date(2027, 1, 30), ItemStatus.DRAFT, False, None, QuarterStatus.OVERDUE, True, True),
        (date(2027, 1, 31), None, False, None, QuarterStatus.LOCKED, False, True),
        (date(2027, 1, 31), None, False, date(2027, 2, 5), QuarterStatus.EXCEPTED, True, True),
        (date(2027, 2, 6), None, False, date(2027, 2, 5), QuarterStatus.LOCKED, False, True),
        (date(2027, 1, 10), ItemStatus.SUBMITTED, False, None, QuarterStatus.SUBMITTED, False, False),
        (date(2027, 1, 20), ItemStatus.SUBMITTED, True, None, QuarterStatus.LATE, False, True),
        (date(2027, 1, 20), ItemStatus.RETURNED, False, None, QuarterStatus.RETURNED, True, False),
        (date(2027, 2, 20), ItemStatus.RETURNED, True, None, QuarterStatus.RETURNED, True, True),
        (date(2026, 12, 20), ItemStatus.RETURNED, False, date(2027, 1, 31), QuarterStatus.RETURNED, True, False),
        (date(2027, 3, 1), ItemStatus.APPROVED, True, None, QuarterStatus.APPROVED, False, True),
    ],
)
def test_the_status_of_a_quarter_on_a_day(day: date, report: ItemStatus | None, late: bool, excepted: date | None,
                                          status: QuarterStatus, can_report: bool, will_be_late: bool) -> None:
    state = quarter_state(Q1, day, report, late, excepted)
    assert (state.status, state.can_report, state.will_be_late) == (status, can_report, will_be_late)


async def test_defaults_overrides_and_exceptions_come_from_the_database(database: Database) -> None:
    policy = ReportingPolicy(due_days=15, lock_days=10)
    await ReportingWindow.create(fiscal_year=2570, quarter=2, opens_on=date(2027, 4, 3), due_on=date(2027, 4, 30))
    await ReportingWindow.create(fiscal_year=2570, quarter=3, opens_on=date(2027, 7, 1), due_on=date(2027, 7, 15),
                                 locks_on=date(2027, 8, 31))
    periods = {FiscalQuarter(2570, quarter) for quarter in (1, 2, 3)}
    windows = await quarter_windows(periods, policy)
    assert windows[FiscalQuarter(2570, 1)] == QuarterWindow(FiscalQuarter(2570, 1), date(2027, 1, 1),
                                                            date(2027, 1, 15), date(2027, 1, 25))
    assert (windows[FiscalQuarter(2570, 2)].due, windows[FiscalQuarter(2570, 2)].locks) == (date(2027, 4, 30),
                                                                                            date(2027, 5, 10))
    assert windows[FiscalQuarter(2570, 3)].locks == date(2027, 8, 31)
    office = await Office.create(code="X1", name="สำนักงานทดสอบ")
    assert await exceptions_for(office.id, periods) == {}


async def test_the_quarter_lists_one_statement_agrees_with_windows_and_exceptions(database: Database) -> None:
    """The quarter list reads the windows and every office's exceptions in one statement: the same as asking
    ``quarter_windows`` and ``exceptions_for`` each office (other years' and other offices' rows left out)."""
    policy = ReportingPolicy(due_days=15, lock_days=10)
    await ReportingWindow.create(fiscal_year=2570, quarter=2, opens_on=date(2027, 4, 3), due_on=date(2027, 4, 30))
    await ReportingWindow.create(fiscal_year=2571, quarter=1, opens_on=date(2028, 1, 2), due_on=date(2028, 1, 9),
                                 locks_on=date(2028, 2, 1))
    await ReportingWindow.create(fiscal_year=2569, quarter=1, opens_on=date(2026, 1, 2), due_on=date(2026, 1, 9))
    north, south, east = [await Office.create(code=code, name=code) for code in ("N1", "S1", "E1")]
    for office, year, quarter, until in ((north, 2570, 1, date(2027, 2, 5)), (north, 2571, 1, date(2028, 3, 1)),
                                         (south, 2570, 2, date(2027, 6, 1)), (east, 2570, 1, date(2027, 2, 9)),
                                         (north, 2569, 4, date(2026, 9, 1))):
        await WindowException.create(office=office, fiscal_year=year, quarter=quarter, until=until)
    periods = {FiscalQuarter(2570, quarter) for quarter in (1, 2, 3, 4)} | {FiscalQuarter(2571, 1)}
    offices = {north.id, south.id}
    windows, excepted = await windows_and_exceptions(periods, offices, policy)
    assert windows == await quarter_windows(periods, policy)
    assert excepted == {office: await exceptions_for(office, periods) for office in offices}
    assert excepted[north.id] == {FiscalQuarter(2570, 1): date(2027, 2, 5), FiscalQuarter(2571, 1): date(2028, 3, 1)}
    assert await windows_and_exceptions(set(), offices, policy) == ({}, {north.id: {}, south.id: {}})
    assert (await windows_and_exceptions(periods, set(), policy))[1] == {}

@pytest.mark.db  # the commands open a database of their own
def test_window_commands_show_set_and_grant(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "LINE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'windows.sqlite3'}")
    assert main(["db", "migrate"]) == 0
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["window", "set", "--fiscal-year", "2570", "--quarter", "2", "--opens", "2027-04-01",
                 "--due", "2027-04-30", "--note", "หนังสือสั่งการ"]) == 0
    assert main(["window", "except", "--office", "CMI1", "--fiscal-year", "2570", "--quarter", "4",
                 "--until", "2027-11-15", "--reason", "น้ำท่วม"]) == 0
    assert main(["window", "show", "--fiscal-year", "2570"]) == 0
    shown = capsys.readouterr().out
    assert "Q1/2570  opens 2027-01-01  due 2027-01-15  locks 2027-01-30" in shown
    assert "Q2/2570  opens 2027-04-01  due 2027-04-30  locks 2027-05-15  (override)" in shown
    assert "exception: CMI1 Q1 until 2027-01-31" in shown and "exception: CMI1 Q4 until 2027-11-15  น้ำท่วม" in shown
    assert main(["window", "set", "--fiscal-year", "2570", "--quarter", "3", "--opens", "2027-07-20",
                 "--due", "2027-07-15"]) == 1
    assert "dates must be in order" in capsys.readouterr().err
    assert main(["window", "except", "--office", "NOPE", "--fiscal-year", "2570", "--quarter", "1",
                 "--until", "2027-01-31"]) == 1
