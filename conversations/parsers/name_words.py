"""Matching typed words to plan names: Thai is written without spaces, so a word typed as ``นโยบายรัฐบาล`` or
``รัฐบาลนโยบาย`` is cut into dictionary words (pythainlp) and each piece is looked for in the name; every word of
the query must be found, in any order."""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.tokenize import word_tokenize
from pythainlp.util import normalize

from conversations.parsers.thai_text import normalize_input

_SEPARATORS = re.compile(r"[\s,;/()“”\"'‘’\-–—.:]+")


def normal_form(text: str) -> str:
    """Text as compared: canonical input, Thai vowel/tone order normalized (pythainlp), case folded."""
    return normalize(normalize_input(text)).casefold()


@lru_cache(maxsize=512)
def pieces(word: str) -> tuple[str, ...]:
    """The dictionary words of one typed word (itself when it cannot be cut)."""
    cut = tuple(piece for piece in word_tokenize(word, engine="newmm", keep_whitespace=False)
                if piece.strip() and not _SEPARATORS.fullmatch(piece))
    return cut or (word,)


def query_words(query: str) -> list[str]:
    """The words of a query, as typed between spaces and punctuation, in normal form."""
    return [word for word in _SEPARATORS.split(normal_form(query)) if word]


def word_in(word: str, name: str) -> bool:
    """Whether one typed word is in a (normal-form) name: as it is, or each of its dictionary words."""
    return word in name or all(piece in name for piece in pieces(word))


def matched_count(words: list[str], name: str) -> int:
    """How many of the query's words the (normal-form) name holds."""
    return sum(1 for word in words if word_in(word, name))
