"""A document as plain data: what a printed form says, before any of it is laid out on paper.

The gathering side (:mod:`conversations.oversight.documents.content`) fills one from the database; the layout
side (:mod:`conversations.oversight.documents.layout`) draws it. Tests read both: the text here is the text the PDF
must hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Table:
    """One bordered table. Without ``headers`` it is a label–value table: its first column is set in bold.

    ``widths`` are relative column widths; ``numeric`` columns are right-aligned (money, numbers).
    """

    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    headers: tuple[str, ...] = ()
    numeric: frozenset[int] = frozenset()
    total: tuple[str, ...] = ()  # a last row in bold (a budget's sum)


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the form (ส่วนที่ 1 …) and its tables, each with an optional caption."""

    title: str
    tables: tuple[tuple[str, Table], ...]


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature block: the dotted line, the name in brackets, the role and a date line."""

    name: str
    role: str
    dated: str


@dataclass(frozen=True, slots=True)
class Form:
    """A whole document: title (and a line under it), the identifying header, its sections and the signatures."""

    title: str
    code: str
    header: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    signatures: tuple[Signature, ...] = field(default=())
    subtitle: str = ""

    def texts(self) -> Iterator[str]:
        """Every piece of text the document prints (the glyph check and the tests read these)."""
        yield self.title
        yield self.subtitle
        for label, value in self.header:
            yield from (label, value)
        for section in self.sections:
            yield section.title
            for caption, table in section.tables:
                yield caption
                yield from table.headers
                yield from table.total
                for row in table.rows:
                    yield from row
        for signature in self.signatures:
            yield from (signature.name, signature.role, signature.dated)
