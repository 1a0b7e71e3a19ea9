"""A :class:`Form` drawn as an A4 PDF in the style of a Thai government form, with the bundled Thai font.

Text is shaped by HarfBuzz (fpdf2's text shaping through uharfbuzz), so vowels and tone marks sit where they
belong (``ผู้``, ``ปี่``, ``น้ำ``). Thai has no spaces between words: each line may only break between words,
so a zero-width space is put at every word boundary that pythainlp finds (fpdf2 breaks lines there and draws
nothing). Pure: no database, no I/O but reading the font files.
"""

from __future__ import annotations

import logging
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace, Glyph, SubsetMap, TTFFont
from pythainlp.tokenize import word_tokenize

from conversations.copy import render
from conversations.oversight.documents.form import Form, Section, Signature, Table

log = logging.getLogger(__name__)

FONTS = Path(__file__).parent.parent.parent / "fonts"
FAMILY = "laksaman"
ZWSP = "\u200b"
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 25.0, 20.0, 18.0, 18.0  # mm; the binding side wider
TITLE_PT, HEADING_PT, TEXT_PT, SMALL_PT = 18, 15, 13, 10
LINE = 6.5  # mm per line of table text
SIGNATURES_HEIGHT = 40.0  # mm kept together for the signature blocks
HEADING_FILL = (232, 236, 244)
LABEL_FILL = (246, 246, 246)


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


@lru_cache(maxsize=4096)
def breakable(text: str) -> str:
    """``text`` with a zero-width space between each two Thai words, where a line may break.

    Only between Thai words: numbers, codes and e-mail addresses stay whole (``350,000``, ``CMI1-2570-001``).
    """
    if not any(_is_thai(char) for char in text):
        return text
    pieces: list[str] = []
    for token in word_tokenize(text, keep_whitespace=True):
        if pieces and token and _is_thai(pieces[-1][-1]) and _is_thai(token[0]):
            pieces.append(ZWSP)
        pieces.append(token)
    return "".join(pieces)


class _ClusterTails(SubsetMap):
    """Gives the second and later glyphs of one shaped cluster a text of their own in the PDF's ToUnicode map.

    HarfBuzz draws SARA AM (``ำ``) as two glyphs (NIKHAHIT and SARA AA) and, after a tone mark, reorders them
    (``น้ำ`` → น ํ ้ า). fpdf2 gives the cluster's text to its first glyph and none to the rest, so a PDF reader
    copying the text falls back to the glyphs' raw codes and prints digits (``น้ำ53``). Mapped to a zero-width
    space, the extra glyphs copy as nothing visible, like the word breaks.
    """

    @cache  # noqa: B019  # as the base's, which fpdf2 clears once the font is written
    def get_glyph(
            self, glyph: int | None = None, unicode: int | tuple[int, ...] | None = None,
            glyph_name: str | None = None, glyph_width: int | None = None) -> Glyph | None:
        if glyph is not None and unicode == ():
            unicode = (ord(ZWSP),)
        return super().get_glyph(glyph, unicode, glyph_name, glyph_width)


class _FormPdf(FPDF):
    """An A4 page with the document's code and page number at the foot of every page."""

    def __init__(self, code: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.code = code
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)
        for style, file in (("", "Laksaman.ttf"), ("B", "Laksaman-Bold.ttf")):
            self.add_font(FAMILY, style, FONTS / file)
            font = self.fonts[f"{FAMILY}{style}"]
            assert isinstance(font, TTFFont)
            font.subset = _ClusterTails(font)
        self.set_text_shaping(True)
        self.set_creator("Tidtam")
        self.set_title(code)

    def footer(self) -> None:
        self.set_y(-MARGIN_BOTTOM + 4)
        self.set_font(FAMILY, "", SMALL_PT)
        self.set_text_color(110)
        self.cell(0, 5, render("doc.footer", code=self.code, page=self.page_no()), align="R")
        self.set_text_color(0)


def _title(pdf: _FormPdf, form: Form) -> None:
    pdf.set_font(FAMILY, "B", TITLE_PT)
    pdf.multi_cell(0, 9, breakable(form.title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if form.subtitle:
        pdf.set_font(FAMILY, "B", HEADING_PT)
        pdf.multi_cell(0, 7, breakable(form.subtitle), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", SMALL_PT)
    pdf.set_text_color(110)
    pdf.cell(0, 5, render("doc.system"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(3)
    half = len(form.header) // 2 + len(form.header) % 2  # the header's pairs in two columns, like a form's top
    left, right = form.header[:half], form.header[half:]
    rows = [(*left[index], *(right[index] if index < len(right) else ("", ""))) for index in range(half)]
    _table(pdf, Table(rows=tuple(rows), widths=(1.35, 2.6, 1.3, 1.95)), labels=(0, 2))


def _table(pdf: _FormPdf, table: Table, labels: tuple[int, ...] = ()) -> None:
    """One bordered table; ``labels`` are the columns set in bold on grey (a label–value table's labels)."""
    pdf.set_font(FAMILY, "", TEXT_PT)
    align = tuple("RIGHT" if column in table.numeric else "LEFT" for column in range(len(table.widths)))
    bold = FontFace(emphasis="BOLD", fill_color=LABEL_FILL)
    options: dict[str, Any] = {"col_widths": table.widths, "text_align": align, "line_height": LINE,
                               "padding": (0.8, 1.5), "borders_layout": TableBordersLayout.ALL,
                               "first_row_as_headings": bool(table.headers), "v_align": "TOP"}
    if table.headers:
        options["headings_style"] = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
        options["num_heading_rows"] = 1
    with pdf.table(**options) as drawn:
        if table.headers:
            heading = drawn.row()
            for text in table.headers:
                heading.cell(breakable(text), align="CENTER")
        for values in table.rows:
            row = drawn.row()
            for column, text in enumerate(values):
                row.cell(breakable(text), style=bold if column in labels else None)
        if table.total:
            row = drawn.row()
            for text in table.total:
                row.cell(breakable(text), style=bold)
    pdf.ln(2)


def _section(pdf: _FormPdf, section: Section) -> None:
    if pdf.will_page_break(30):  # a heading never ends a page alone
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", HEADING_PT)
    pdf.multi_cell(0, 8, breakable(section.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for caption, table in section.tables:
        if caption:
            pdf.set_font(FAMILY, "B", TEXT_PT)
            pdf.multi_cell(0, LINE, breakable(caption), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _table(pdf, table, labels=() if table.headers else (0,))


def _signatures(pdf: _FormPdf, signatures: tuple[Signature, ...]) -> None:
    """Side by side: ลงชื่อ ……, (name), role, date; kept together on one page."""
    if not signatures:
        return
    if pdf.will_page_break(SIGNATURES_HEIGHT + 8):
        pdf.add_page()
    pdf.ln(8)
    top = pdf.get_y()
    width = pdf.epw / len(signatures)
    for index, signature in enumerate(signatures):
        pdf.set_xy(pdf.l_margin + index * width, top)
        pdf.set_font(FAMILY, "", TEXT_PT)
        for text in (render("doc.sign.line"), render("doc.sign.name", name=signature.name), signature.role,
                     signature.dated):
            pdf.set_x(pdf.l_margin + index * width)
            pdf.multi_cell(width, 8, breakable(text), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)


def render_pdf(form: Form) -> bytes:
    """The form as the bytes of an A4 PDF."""
    pdf = _FormPdf(form.code)
    pdf.add_page()
    _title(pdf, form)
    for section in form.sections:
        _section(pdf, section)
    _signatures(pdf, form.signatures)
    content = bytes(pdf.output())
    missing = {char for font in pdf.fonts.values() if isinstance(font, TTFFont) for char in font.missing_glyphs}
    if missing:  # drawn as empty boxes: say which, so that the text (or the font) can be fixed
        log.warning("document %s: the font has no glyph for %s", form.code,
                    ", ".join(f"U+{char:04X}" for char in sorted(missing)))
    return content
