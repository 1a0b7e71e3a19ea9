"""What a channel may know of its buttons' data, without the engine's token grammar (``conversations.tokens``).

A button's data is opaque: a channel puts it on the button and sends it back when pressed. To lay out a screen and
to tell a press on an old message from one on the live screen, a channel needs a few facts, asked here:

* the *screen* a reply's buttons belong to, and the screen of pressed data — an opaque name, the same while one
  question stays on screen and a new one after, so equal names mean "still the same question";
* whether pressed data is a link (a reminder's button: valid whatever is on screen);
* the data of a *picked* value: a date chosen in a channel's own widget (Telegram's calendar, LINE's date picker)
  is sent back as the data :func:`picked` makes for the screen, and :func:`picked_text` reads it back.

The "that step has moved on" reply a channel shows for an old screen's page is :func:`moved_on`, the engine's own.
"""

from __future__ import annotations

from conversations.copy import render
from conversations.messages import ChoiceRole, Reply, ReplyKind
from conversations.tokens import WIDGET, base36, decode, link_value, widget_token

STALE_KEY = "input.stale"


def screen_of(reply: Reply) -> str | None:
    """The screen the reply's buttons belong to; None when it has none of a question (only links, or none)."""
    for choice in reply.choices:
        screen = pressed_screen(choice.token)
        if screen is not None:
            return screen
    return None


def pressed_screen(data: str) -> str | None:
    """The screen a button's data belongs to; None for a link or for data that is not the engine's."""
    token = decode(data)
    return base36(token.prompt) if token is not None else None


def is_link(data: str) -> bool:
    """Whether the data is a link button's: it opens what it names from any screen, and stays valid."""
    return link_value(data) is not None


def picked(screen: str, text: str) -> str:
    """The data that answers the question ``screen`` with a value picked in a widget (``2026-10-01``); with
    ``text`` empty, the data of a picker waiting for its value (LINE's date picker adds the value itself).

    Raises:
        ValueError: the screen is not one of ours, or the data would not fit the token budget.
    """
    return widget_token(int(screen, 36), text)


def picked_text(data: str) -> str | None:
    """The value a widget's data carries ("" for a picker still waiting for it); None when it is no widget's."""
    token = decode(data)
    if token is None or not token.value.startswith(WIDGET):
        return None
    return token.value[len(WIDGET):]


def role_of(data: str) -> ChoiceRole:
    """The role of a button by its data: how replies stored before roles existed get theirs."""
    if is_link(data):
        return ChoiceRole.LINK
    token = decode(data)
    return ChoiceRole.NAVIGATION if token is not None and token.is_navigation else ChoiceRole.ANSWER


def moved_on() -> Reply:
    """"That step has moved on": what a button of a screen no longer shown gets, before the live screen."""
    return Reply(text=render(STALE_KEY), key=STALE_KEY, kind=ReplyKind.STALE)

