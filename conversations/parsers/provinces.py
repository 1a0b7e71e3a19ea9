"""A province typed by name: "จ.เชียงใหม่", "จังหวัดเชียงใหม่", "เชียงใหม่", a common name ("กทม", "โคราช") or with a
typo, as one of the 77 (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from conversations.copy.reference import PROVINCE_ALIASES
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.near import near_names
from conversations.parsers.thai_text import excerpt, normalize_input

_PREFIXES = ("จังหวัด", "จ.", "จ ")


def parse_province(text: str, provinces: Sequence[str]) -> str:
    """The official name of the province ``text`` names; a name of no province (or of several) is refused,
    so that what is stored is always a province (a budget line's "งบดำเนินงาน" typed one question early was).

    Raises:
        InvalidAnswer: ``invalid.province``.
    """
    typed = normalize_input(text)
    for prefix in _PREFIXES:
        if typed.startswith(prefix) and len(typed) > len(prefix):
            typed = typed[len(prefix):].strip()
            break
    alias = PROVINCE_ALIASES.get(typed.casefold())
    if alias is not None and alias in provinces:
        return alias
    names = near_names(typed, provinces)
    if len(names) != 1:
        raise InvalidAnswer("invalid.province", text=excerpt(normalize_input(text)))
    return names[0]
