"""The ``chart`` answer: one PNG with reporting completeness by office and disbursement against plan by quarter.

Drawn with matplotlib's object API (no pyplot: no global state, safe beside other requests) in the Thai
font shipped in ``conversations/fonts`` (TLWG Laksaman, the free Sarabun; GPL with the font exception), so
Thai labels render the same on every machine.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from conversations.copy import render
from conversations.oversight.monitoring import QuarterPicture

FONTS = Path(__file__).parent.parent / "fonts"
WIDTH, HEIGHT, DPI = 12.0, 9.0, 100  # 1200 × 900 pixels: sharp on a phone, small enough to send
MAX_OFFICES = 25  # the offices with most reports outstanding, when there are more
COLORS = {"on_time": "#2e7d32", "late": "#f9a825", "pending": "#c62828", "planned": "#90a4ae",
          "disbursed": "#1565c0"}


def _font(size: float, bold: bool = False) -> FontProperties:
    return FontProperties(fname=str(FONTS / ("Laksaman-Bold.ttf" if bold else "Laksaman.ttf")), size=size)


def chart_png(picture: QuarterPicture, by_quarter: Sequence[tuple[int, Decimal, Decimal]]) -> bytes:
    """The two charts of a quarter, as PNG bytes."""
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    figure.suptitle(render("chart.title", period=picture.period.label()), fontproperties=_font(20, bold=True))

    offices = sorted(picture.offices, key=lambda office: (-office.pending, office.code))[:MAX_OFFICES][::-1]
    names = [office.code for office in offices]
    left = [0.0] * len(offices)
    for part in ("on_time", "late", "pending"):
        shares = [100.0 * getattr(office, part) / office.projects if office.projects else 0.0 for office in offices]
        top.barh(names, shares, left=left, color=COLORS[part], label=render(f"chart.{part}"))
        left = [start + share for start, share in zip(left, shares, strict=True)]
    top.set_xlim(0, 100)
    top.set_xlabel(render("chart.share"), fontproperties=_font(13))
    top.set_title(render("chart.completeness"), fontproperties=_font(15, bold=True))
    top.legend(prop=_font(12), loc="lower right")
    for label in top.get_yticklabels():
        label.set_fontproperties(_font(12))
    if not offices:
        top.text(50, 0, render("chart.nothing"), ha="center", fontproperties=_font(14))

    quarters = [f"Q{quarter}" for quarter, _, _ in by_quarter]
    positions = range(len(quarters))
    planned = [float(amount) / 1e6 for _, amount, _ in by_quarter]
    disbursed = [float(amount) / 1e6 for _, _, amount in by_quarter]
    bottom.bar([x - 0.2 for x in positions], planned, width=0.4, color=COLORS["planned"],
               label=render("chart.planned"))
    bottom.bar([x + 0.2 for x in positions], disbursed, width=0.4, color=COLORS["disbursed"],
               label=render("chart.disbursed"))
    bottom.set_xticks(list(positions), quarters)
    bottom.set_ylabel(render("chart.million_baht"), fontproperties=_font(13))
    bottom.set_title(render("chart.disbursement", fiscal_year=picture.period.fiscal_year),
                     fontproperties=_font(15, bold=True))
    bottom.legend(prop=_font(12))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
