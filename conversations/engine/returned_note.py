"""The director's return comment, short and quoted, at the top of the hub and the review card while the open
project or report is returned, so that what to fix stays in sight while fixing it (not only on the project's card).
"""

from __future__ import annotations

import dataclasses

from conversations.copy import render
from conversations.engine.state import State
from conversations.formatting import shorten
from conversations.messages import Card, CardSection
from models.enums import ItemStatus

LIMIT = 160  # characters of the comment shown; the whole comment is on the card and in the history


def remember(state: State, status: str, comment: str) -> None:
    """Keep the comment of the item just opened (nothing when it is not returned)."""
    state.returned = comment if status == ItemStatus.RETURNED and comment else ""


def note(state: State) -> str:
    """The comment line for the top of a screen ("" when the open item is not returned or has no comment)."""
    if state.project_status != ItemStatus.RETURNED or not state.returned:
        return ""
    return render("returned.note", comment=shorten(" ".join(state.returned.split()), LIMIT))


def above(state: State, text: str) -> str:
    """The screen's text under the comment line, when there is one."""
    line = note(state)
    return f"{line}\n\n{text}" if line else text


def on_card(state: State, card: Card) -> Card:
    """The review card with the comment line as its first block (inside the card, so that a channel drawing the
    card, LINE's bubble, shows it at the top too)."""
    line = note(state)
    return dataclasses.replace(card, sections=(CardSection(line, ()), *card.sections)) if line else card
