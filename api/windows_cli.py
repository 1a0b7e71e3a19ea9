"""``tidtam window …``: show the reporting windows of a fiscal year, override one, grant a lock exception."""

from __future__ import annotations

import argparse
from datetime import date

from api.settings import Settings
from conversations.service.window_admin import WindowRefused, grant_exception, set_window
from models.clock import system_clock
from models.db import Database
from models.fiscal import FiscalQuarter, fiscal_year_of, local_day
from models.org import Office
from models.report import ReportingWindow, WindowException
from models.windows import quarter_windows


class WindowError(Exception):
    """A window command cannot do what was asked; the message says why."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``window`` subcommands."""
    window = sub.add_parser("window", help="reporting windows").add_subparsers(dest="window_command", required=True)
    show = window.add_parser("show", help="the four windows of a fiscal year, with overrides and exceptions")
    show.add_argument("--fiscal-year", type=int, help="Buddhist-era fiscal year (default: the current one)")
    override = window.add_parser("set", help="override one quarter's window (dates as YYYY-MM-DD)")
    override.add_argument("--fiscal-year", type=int, required=True)
    override.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
    override.add_argument("--opens", type=date.fromisoformat, required=True)
    override.add_argument("--due", type=date.fromisoformat, required=True)
    override.add_argument("--locks", type=date.fromisoformat, help="last day late reports are taken")
    override.add_argument("--note", default="", help="e.g. the ministry circular that set these dates")
    grant = window.add_parser("except", help="let one office report a quarter outside its window until a day")
    grant.add_argument("--office", required=True, help="office code")
    grant.add_argument("--fiscal-year", type=int, required=True)
    grant.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
    grant.add_argument("--until", type=date.fromisoformat, required=True)
    grant.add_argument("--reason", default="")


async def show(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Print the windows of a fiscal year."""
    fiscal_year = args.fiscal_year or fiscal_year_of(local_day(system_clock()))
    periods = {FiscalQuarter(fiscal_year, quarter) for quarter in (1, 2, 3, 4)}
    windows = await quarter_windows(periods, settings.reporting_policy)
    overridden = {int(str(quarter)) for quarter in
                  await ReportingWindow.filter(fiscal_year=fiscal_year).values_list("quarter", flat=True)}
    for period in sorted(periods):
        window = windows[period]
        mark = "  (override)" if period.quarter in overridden else ""
        print(f"{period.label()}  opens {window.opens}  due {window.due}  locks {window.locks}{mark}")
    for row in await WindowException.filter(fiscal_year=fiscal_year).prefetch_related("office").order_by("quarter"):
        print(f"exception: {row.office.code} Q{row.quarter} until {row.until}  {row.reason}")
    return 0


async def override(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Set one quarter's window."""
    try:
        await set_window(FiscalQuarter(args.fiscal_year, args.quarter), opens=args.opens, due=args.due,
                         locks=args.locks, note=args.note, now=system_clock(), policy=settings.reporting_policy)
    except WindowRefused as refused:
        raise WindowError(str(refused)) from None
    print(f"Q{args.quarter}/{args.fiscal_year}: opens {args.opens}, due {args.due}"
          + (f", locks {args.locks}" if args.locks else ""))
    return 0


async def grant(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Grant (or move) a lock exception."""
    office = await Office.get_or_none(code=args.office)
    if office is None:
        raise WindowError(f"no office with code {args.office}")
    _, owners = await grant_exception(office, FiscalQuarter(args.fiscal_year, args.quarter), args.until,
                                      reason=args.reason, now=system_clock())
    print(f"{office.code} may report Q{args.quarter}/{args.fiscal_year} until {args.until}; "
          f"{len(owners)} owner(s) with the report still to send are notified (pushed by the reminder loop within "
          "the sending hours, or shown at their next message)")
    return 0
