"""Human project codes such as ``CMI1-2570-003``: office, fiscal year, running number."""

from __future__ import annotations

import re

from models.org import Office
from models.project import Project


async def next_project_code(office: Office, fiscal_year: int) -> str:
    """The next free code for an office and year; the unique index settles a rare race."""
    prefix = f"{office.code}-{fiscal_year}-"
    codes = await Project.filter(code__startswith=prefix).values_list("code", flat=True)
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)")
    numbers = [int(match.group(1)) for code in codes if (match := pattern.fullmatch(str(code)))]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"
