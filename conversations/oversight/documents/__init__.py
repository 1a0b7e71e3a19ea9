"""Printed documents: a project (M1–M5) and a quarterly report (M6) as A4 PDFs laid out like Thai government
forms. :func:`project_pdf` and :func:`report_pdf` are what the API, the command line (and, later, chat) call."""

from __future__ import annotations

import asyncio

from conversations.oversight.documents.content import Viewer, project_form, report_form
from conversations.oversight.documents.layout import render_pdf

PDF = "application/pdf"


async def project_pdf(code: str, viewer: Viewer) -> bytes | None:
    """The project's document, or ``None`` when the viewer may see no project with that code."""
    form = await project_form(code, viewer)
    return None if form is None else await asyncio.to_thread(render_pdf, form)  # seconds of CPU: off the loop


async def report_pdf(code: str, fiscal_year: int, quarter: int, viewer: Viewer) -> bytes | None:
    """The quarterly report's document, or ``None`` when the viewer may see no such report."""
    form = await report_form(code, fiscal_year, quarter, viewer)
    return None if form is None else await asyncio.to_thread(render_pdf, form)


def pdf_filename(code: str, fiscal_year: int | None = None, quarter: int | None = None) -> str:
    """``CMI1-2570-001.pdf``, or ``CMI1-2570-001-2570-Q1.pdf`` for a report."""
    return f"{code}-{fiscal_year}-Q{quarter}.pdf" if fiscal_year and quarter else f"{code}.pdf"
