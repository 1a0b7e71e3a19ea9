"""How the bot addresses a person by name: "คุณ" before a plain name, nothing before a name with a title."""

from __future__ import annotations

from conversations.copy import render
from conversations.copy.words import NAME_TITLES


def has_title(name: str) -> bool:
    """Whether ``name`` starts with a title (นาย, นางสาว, ดร., ว่าที่ร้อยตรี, ผศ. …), so "คุณ" must not precede it."""
    folded = " ".join(name.split()).casefold()
    return any(folded.startswith(title) for title in NAME_TITLES)


def address(name: str) -> str:
    """The name as said to its owner: "คุณสุดา" for "สุดา", "นางสาวสุดา ศรีสุข" as it is."""
    shown = " ".join(name.split())
    if not shown or has_title(shown):
        return shown
    return render("address.plain", name=shown)
