"""Pure display helpers that turn values back into the Thai text the bot echoes to people."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pythainlp.util import num_to_thaiword
from pythainlp.util.date import thai_abbr_months, thai_full_months

from conversations.copy import render

BE_OFFSET = 543
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ELLIPSIS = "…"
ALL_QUARTERS = (1, 2, 3, 4)

# Characters that belong to the character before them (Thai vowels above/below, tone marks, SARA AM,
# emoji modifiers and joiners): a cut right before one would tear a syllable or an emoji apart.
_THAI_ATTACHED = {"\u0e31", "\u0e33", *map(chr, range(0x0E34, 0x0E3B)), *map(chr, range(0x0E47, 0x0E4F))}
_EMOJI_ATTACHED = {"\u200d", "\ufe0e", "\ufe0f", *map(chr, range(0x1F3FB, 0x1F400))}
# Thai vowels written before their consonant: a text should not end on one.
_THAI_LEADING_VOWELS = {"\u0e40", "\u0e41", "\u0e42", "\u0e43", "\u0e44"}


def format_date(d: date, *, long: bool = False) -> str:
    """A day as Thai officials write it, with a Buddhist-era year: ``1 ต.ค. 2569`` or ``1 ตุลาคม 2569``.

    The parsers accept both forms back, so the bot can echo a date and read the echo again.
    """
    months = thai_full_months if long else thai_abbr_months
    return f"{d.day} {months[d.month - 1]} {d.year + BE_OFFSET}"


def format_money(amount: Decimal) -> str:
    """Baht with thousands separators and satang only when there are any: ``350,000 บาท``, ``350,000.50 บาท``."""
    return render("fmt.baht", amount=_number(amount))


def _number(amount: Decimal) -> str:
    """An amount's figure: thousands separators, satang only when there are any."""
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{cents:,.0f}" if cents == cents.to_integral_value() else f"{cents:,.2f}"


def baht_words(amount: Decimal) -> str:
    """The amount in Thai words, as on a cheque (``สามแสนห้าหมื่นบาทถ้วน``), the same text as pythainlp's bahttext.

    Baht and satang are split with Decimal arithmetic and spelled with ``num_to_thaiword``: ``bahttext`` itself
    goes through a float (``f"{number:.2f}"``), which is wrong beyond 2**53 and invites 0.1 + 0.2 artifacts.
    """
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = render("fmt.minus") if cents < 0 else ""
    baht, satang = divmod(int(abs(cents) * 100), 100)
    if satang == 0:
        return render("fmt.baht_words.whole", sign=sign, baht=num_to_thaiword(baht))
    baht_part = render("fmt.baht_words.baht", baht=num_to_thaiword(baht)) if baht else ""
    return render("fmt.baht_words.satang", sign=sign, baht=baht_part, satang=num_to_thaiword(satang))


def format_number(value: Decimal) -> str:
    """A count or KPI value with thousands separators and no useless zeros: ``1,200``, ``85.5``."""
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,f}"
    return f"{value.normalize():,f}"


def format_quarters(quarters: Iterable[int]) -> str:
    """Fiscal quarters as people say them: ``ไตรมาส 1``, ``ไตรมาส 1–2``, ``ไตรมาส 1, 3``, ``ทั้งปี ไตรมาส 1–4``
    (no brackets of its own: it is often said in brackets).

    Raises:
        ValueError: no quarter given, or one outside 1–4 (a programming error, not a user's).
    """
    chosen = sorted(set(quarters))
    if not chosen or any(q not in ALL_QUARTERS for q in chosen):
        raise ValueError(f"quarters must be a non-empty set of 1–4, not {chosen}")
    runs: list[list[int]] = []
    for quarter in chosen:
        if runs and runs[-1][-1] == quarter - 1:
            runs[-1].append(quarter)
        else:
            runs.append([quarter])
    text = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return render("fmt.all_year" if tuple(chosen) == ALL_QUARTERS else "fmt.quarters", quarters=text)


def format_percent(value: Decimal | float | int) -> str:
    """A percentage with at most one decimal, rounded half up: ``73%``, ``72.9%``.

    Raises:
        ValueError: for NaN or infinity, which have no percentage to show.
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot format {value} as a percentage")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"cannot format {value} as a percentage")
    rounded = number.quantize(TENTH, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return f"{rounded.to_integral_value():f}%"
    return f"{rounded:f}%"


def _attached(char: str) -> bool:
    """Whether a character is drawn with the one before it, so no cut may fall just before it."""
    return (
        char in _THAI_ATTACHED
        or char in _EMOJI_ATTACHED
        or unicodedata.combining(char) != 0
        or unicodedata.category(char) in {"Mn", "Mc", "Me"}
    )


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending with "…" when cut.

    The cut never separates a Thai vowel or tone mark (or an emoji modifier) from its base, so an echoed
    excerpt of what someone typed never shows a broken syllable.

    Raises:
        ValueError: when ``limit`` is below 1 (there is no room even for "…").
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    cut = limit - len(ELLIPSIS)
    while cut > 0 and _attached(text[cut]):
        cut -= 1
    kept = text[:cut].rstrip()
    while kept and kept[-1] in _THAI_LEADING_VOWELS:
        kept = kept[:-1].rstrip()
    return kept + ELLIPSIS


def plain_decimal(value: Decimal) -> str:
    """A decimal as people write it, without exponent or trailing zeros: ``240``, ``85.5``."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def format_plan_compact(amounts: list[Any]) -> str:
    """A quarterly plan in one short line, to check on a list before submitting: ``ทั้งหมดใน Q2`` when one
    quarter has it all, else ``Q1 150,000 · Q2 100,000`` (baht, the quarters with nothing left out)."""
    planned = [(quarter, Decimal(str(amount))) for quarter, amount in enumerate(amounts, start=1)
               if Decimal(str(amount))]
    if len(planned) == 1:
        return render("fmt.plan_all_in", quarter=planned[0][0])
    return " · ".join(render("fmt.plan_compact", quarter=quarter, amount=_number(amount))
                      for quarter, amount in planned)
