"""``tidtam pdf CODE``: a project's document (or, with ``--quarter`` and ``--fy``, a quarterly report's) as a PDF.

Run on the server by its operator, so every project can be printed (the API's tokens keep their scope).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from api.settings import Settings
from conversations.oversight.documents import pdf_filename, project_pdf, report_pdf
from models.db import Database


class PdfError(Exception):
    """No such project or report; the message says which."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``pdf`` command."""
    command = sub.add_parser("pdf", help="a project's (or a quarterly report's) document as an A4 PDF")
    command.add_argument("code", help="project code, e.g. CMI1-2570-001")
    command.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="a quarterly report instead (with --fy)")
    command.add_argument("--fy", type=int, help="the report's fiscal year (Buddhist era, e.g. 2570)")
    command.add_argument("-o", "--output", type=Path, help="file to write (default: CODE.pdf, or CODE-FY-QN.pdf)")


async def write(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Write the document and say where."""
    code = args.code.strip().upper()
    if (args.quarter is None) != (args.fy is None):
        raise PdfError("give both --quarter and --fy for a report, or neither for the project")
    if args.quarter is None:
        content = await project_pdf(code, None)
        missing = f"no project {code}"
    else:
        content = await report_pdf(code, args.fy, args.quarter, None)
        missing = f"no report of {code} for quarter {args.quarter} of {args.fy}"
    if content is None:
        raise PdfError(missing)
    target: Path = args.output or Path(pdf_filename(code, args.fy, args.quarter))
    await asyncio.to_thread(target.write_bytes, content)
    print(f"wrote {target} ({len(content):,} bytes)")
    return 0
