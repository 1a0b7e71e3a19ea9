"""Matching a typed name to an official one: the start of it, or the same with a typo (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from conversations.parsers.name_words import pieces
from conversations.parsers.thai_text import normalize_input

NEAR = 0.85  # similarity (0–1) from which a typed name is taken as meaning an official one
MIN_PREFIX = 6  # characters typed before a name's start is compared (แผนงาน alone is the start of every plan)
MIN_WORDS = 2  # dictionary words typed before a name holding them all is offered
CLEAR_LEAD = 0.1  # a best match this far ahead of the next is the only one offered


def fold(text: str) -> str:
    """Compared without spaces or case: ``แผนงาน ยุทธศาสตร์`` and ``แผนงานยุทธศาสตร์`` are the same."""
    return normalize_input(text).casefold().replace(" ", "")


def _score(typed: str, name: str) -> float:
    whole = SequenceMatcher(None, typed, name).ratio()
    if len(typed) < MIN_PREFIX or len(typed) >= len(name):
        return whole
    return max(whole, SequenceMatcher(None, typed, name[:len(typed)]).ratio())


def near_names(text: str, names: Sequence[str]) -> list[str]:
    """The official names ``text`` means, best first: ``[name]`` for an exact, unique-start or near match,
    several when it could mean more than one, none when it is like none of them.

    >>> near_names("แผนงานบุคคลากรภาครัฐ", ["แผนงานบุคลากรภาครัฐ", "แผนงานยุทธศาสตร์การพัฒนาการเรียนรู้"])
    ['แผนงานบุคลากรภาครัฐ']
    """
    typed = fold(text)
    if not typed:
        return []
    exact = [name for name in names if fold(name) == typed]
    if exact:
        return exact[:1]
    scored = sorted(((_score(typed, fold(name)), index, name) for index, name in enumerate(names)),
                    key=lambda entry: (-entry[0], entry[1]))
    close = [(score, name) for score, _, name in scored if score >= NEAR]
    if len(close) > 1 and close[0][0] - close[1][0] >= CLEAR_LEAD:
        close = close[:1]
    if not close:
        close = _shortened(typed, names)
    return list(dict.fromkeys(name for _, name in close))


def _shortened(typed: str, names: Sequence[str]) -> list[tuple[float, str]]:
    """Names holding every word typed, in any order, words left out (``แผนงานพื้นฐานพัฒนาศักยภาพ…`` for
    ``แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพ…``): the names most covered by the typed words first.
    Two words at least, so that ``แผนงาน`` alone means none."""
    words = pieces(typed)
    if len(words) < MIN_WORDS or len(typed) < MIN_PREFIX:
        return []
    holding = [(len(typed) / len(fold(name)), name) for name in names if all(word in fold(name) for word in words)]
    return sorted(holding, key=lambda entry: -entry[0])
