"""Normalization every parser applies first, so that Thai digits, stray invisible characters and phone keyboards'
odd spaces never decide whether an answer is understood."""

from __future__ import annotations

import re
import unicodedata

from pythainlp.util import thai_digit_to_arabic_digit

from conversations.formatting import shorten

EXCERPT_LIMIT = 40

# Zero-width characters that phone keyboards and copy-paste from Word or LINE slip in, plus the word joiner and
# soft hyphen, which are just as invisible.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060\u00ad"))
_WHITESPACE = re.compile(r"\s+")


def _drop_controls(text: str) -> str:
    """Remove control characters other than whitespace and lone surrogates (which a JSON body can carry as
    ``\\udc80``): PostgreSQL can store neither a NUL in text nor a lone surrogate in JSON."""
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs"))


def normalize_input(text: str) -> str:
    """The canonical form of what someone typed: NFC, Arabic digits, no invisible characters, single spaces.

    Parsers then only have to know one way to write each thing.
    """
    return thai_digit_to_arabic_digit(normalize_text(text))


def normalize_text(text: str) -> str:
    """Free text as stored: NFC, no invisible characters, single spaces — its digits as typed (๓,๖๐๐ คน stays
    so: what a person wrote is kept, only what no one can see is dropped)."""
    cleaned = _drop_controls(text.translate(_INVISIBLE))
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", cleaned)).strip()


def excerpt(text: str) -> str:
    """The user's own words, short enough to quote back in an error message."""
    return shorten(text, EXCERPT_LIMIT)
