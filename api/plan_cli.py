"""``tidtam template`` and ``tidtam import``: the office's annual action plan, as a workbook to fill and back.

Run on the server by its operator, for any office (in chat and the API, directors import for their own). The
errors and outcomes are printed in Thai, as chat says them, one error a line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from api.settings import Settings
from conversations.copy import render
from conversations.flows.flow import FlowId
from conversations.flows.registry import FLOWS
from conversations.oversight.plan_reader import WorkbookRefused
from conversations.oversight.plan_template import filled_rows, template_workbook
from conversations.service.plan_import import import_plan
from models.clock import system_clock
from models.db import Database
from models.fiscal import fiscal_year_of, local_day
from models.org import Office
from models.project import Project


class PlanError(Exception):
    """No such office, or a file that cannot be had; the message says which."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``template`` and ``import`` commands."""
    template = sub.add_parser("template", help="the annual action plan's workbook to fill (Thai headers, lists)")
    template.add_argument("-o", "--output", type=Path, default=Path("tidtam-template.xlsx"),
                          help="file to write (default: tidtam-template.xlsx)")
    template.add_argument("--office", help="fill it with this office's projects (with --fiscal-year)")
    template.add_argument("--fiscal-year", type=int, help="the year whose projects fill it, e.g. 2570")
    command = sub.add_parser("import", help="import a filled plan as drafts of the people it names")
    command.add_argument("file", type=Path)
    command.add_argument("--office", required=True, help="the office's code, e.g. CMI1")
    command.add_argument("--dry-run", action="store_true", help="check every cell and say what would happen")
    command.add_argument("--fiscal-year", type=int,
                         help="import every project into this year (dates moved by whole years), e.g. last "
                              "year's export as this year's plan")


async def _office(code: str) -> Office:
    office = await Office.get_or_none(code=code.strip().upper())
    if office is None:
        raise PlanError(f"no office {code} (see `tidtam office list`)")
    return office


async def write_template(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Write the template, empty or filled with an office's projects of a year."""
    flow = FLOWS[FlowId.REGISTER]
    year = fiscal_year_of(local_day(system_clock()))
    filled = None
    if args.office or args.fiscal_year:
        if not (args.office and args.fiscal_year):
            raise PlanError("give both --office and --fiscal-year to fill the template, or neither")
        office = await _office(args.office)
        ids = [int(str(pk)) for pk in await Project.filter(office_id=office.id, fiscal_year=args.fiscal_year)
               .order_by("code").values_list("id", flat=True)]
        filled = await filled_rows(flow, ids)
    content = await asyncio.to_thread(template_workbook, flow, (year, year + 1), filled)
    await asyncio.to_thread(args.output.write_bytes, content)
    print(f"wrote {args.output} ({len(content):,} bytes)")
    return 0


async def run_import(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Import (or with --dry-run only check) a filled plan; 1 when the file has errors (nothing written)."""
    office = await _office(args.office)
    try:
        content = await asyncio.to_thread(args.file.read_bytes)
    except OSError as error:
        raise PlanError(f"cannot read {args.file}: {error.strerror}") from error

    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            print(render("imp.progress", done=done, total=total), file=sys.stderr, flush=True)

    try:
        outcome = await import_plan(content, office, None, system_clock(), fiscal_year=args.fiscal_year,
                                    dry_run=args.dry_run, progress=progress)
    except WorkbookRefused as refused:
        raise PlanError(refused.text()) from refused
    if outcome.errors:
        for problem in outcome.errors:
            print(problem.line())
        print(f"tidtam: {len(outcome.errors)} error(s); nothing was written", file=sys.stderr)
        return 1
    print(outcome.summary())
    return 0
