"""The picture of a LINE rich menu, drawn here with the bundled Thai font: a grid of labelled buttons.

LINE shows a rich menu as one image with tappable areas over it; the image is ours to draw. Drawing it from the
same declaration as the areas (rather than shipping a designed picture) keeps labels and taps in step when a
button changes. The font is TLWG Laksaman from ``conversations/fonts``, as for charts; Thai is shaped by raqm
where Pillow has it.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

import conversations

IMAGE_VERSION = 1  # bumped when the drawing changes, so that menus are made again with the new picture
FONT_FILE = Path(conversations.__file__).parent / "fonts" / "Laksaman-Bold.ttf"  # the charts' font
TEXT_COLOUR = (255, 255, 255)
LINE_COLOUR = (255, 255, 255)
LINE_WIDTH = 6
LARGEST_TEXT, SMALLEST_TEXT = 110, 40  # font sizes tried, largest first, until a label fits its cell
MARGIN = 40  # pixels kept clear inside each cell


def cells(size: tuple[int, int], columns: int, rows: int) -> list[tuple[int, int, int, int]]:
    """The grid's cells ``(x, y, width, height)`` row by row, covering the whole image without gaps."""
    width, height = size
    xs = [round(width * column / columns) for column in range(columns + 1)]
    ys = [round(height * row / rows) for row in range(rows + 1)]
    return [(xs[column], ys[row], xs[column + 1] - xs[column], ys[row + 1] - ys[row])
            for row in range(rows) for column in range(columns)]


@lru_cache(maxsize=8)
def draw(labels: tuple[str, ...], size: tuple[int, int], columns: int, background: tuple[int, int, int]) -> bytes:
    """The menu's picture as PNG: ``labels`` in a ``columns``-wide grid, row by row (drawn once per process)."""
    rows = -(-len(labels) // columns)
    image = Image.new("RGB", size, background)
    pen = ImageDraw.Draw(image)
    for label, (x, y, width, height) in zip(labels, cells(size, columns, rows), strict=False):
        pen.rectangle((x, y, x + width - 1, y + height - 1), outline=LINE_COLOUR, width=LINE_WIDTH)
        font = _fitting(pen, label, width - 2 * MARGIN, height - 2 * MARGIN)
        pen.text((x + width / 2, y + height / 2), label, font=font, fill=TEXT_COLOUR, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fitting(pen: ImageDraw.ImageDraw, label: str, width: int, height: int) -> ImageFont.FreeTypeFont:
    """The largest font size at which ``label`` fits the space."""
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    for size in range(LARGEST_TEXT, SMALLEST_TEXT - 1, -5):
        font = ImageFont.truetype(str(FONT_FILE), size, layout_engine=layout)
        left, top, right, bottom = pen.textbbox((0, 0), label, font=font)
        if right - left <= width and bottom - top <= height:
            return font
    return ImageFont.truetype(str(FONT_FILE), SMALLEST_TEXT, layout_engine=layout)

