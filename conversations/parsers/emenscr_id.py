"""The eMENSCR project id as typed or pasted: an opaque text, checked loosely.

Its format is not published (DOMAIN.md marks it unconfirmed), so nothing is assumed of it but what any code
has: one line, a digit somewhere, letters (Thai or Latin), digits and the usual separators, at most 64
characters (the column's size). Thai digits are kept as typed; invisible characters and runs of spaces go.
"""

from __future__ import annotations

import re

from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.thai_text import normalize_text

MAX_LENGTH = 64  # models.project.Project.emenscr_id
_ALLOWED = re.compile(r"[\w\u0E00-\u0E7F\- _/.]")


def parse_emenscr_id(text: str) -> str:
    """The id, normalized.

    Raises:
        InvalidAnswer: ``pack.id_why.*`` saying what is wrong (empty, too long, several lines, no digit,
            characters a code does not use; with the length ``limit``), said within ``pack.id_invalid``.
    """
    lines = [line for line in text.replace("\r", "\n").split("\n") if line.strip()]
    if len(lines) > 1:
        raise _invalid("pack.id_why.lines")
    value = normalize_text(lines[0]) if lines else ""
    if not value:
        raise _invalid("pack.id_why.empty")
    if len(value) > MAX_LENGTH:
        raise _invalid("pack.id_why.long")
    odd = sorted({char for char in value if not _ALLOWED.fullmatch(char)})
    if odd:
        raise _invalid("pack.id_why.chars", chars=" ".join(odd))
    if not any(char.isdigit() for char in value):
        raise _invalid("pack.id_why.digit")
    return value


def _invalid(why: str, **params: object) -> InvalidAnswer:
    return InvalidAnswer(why, limit=MAX_LENGTH, **params)
