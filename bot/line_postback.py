"""The postback data our LINE buttons carry, and reading it back when a button is pressed.

Four shapes, all far below LINE's 300 characters (an engine token is within the token budget,
:data:`conversations.messages.TOKEN_BUDGET_BYTES`):

* ``<token>`` — a button of the engine (opaque), pressed on the first quick-reply page;
* ``pg:<page>:<token>`` — the same, pressed on another page, so that a screen drawn again for the same
  question (a multi-select tick) stays on the page the user was looking at;
* ``more:<screen>:<page>`` — "show me that page of the choices of this screen" (the screen as
  :func:`conversations.button_data.screen_of` names it);
* ``cmd:/<command>`` — a rich-menu or next-step button: the slash command, taken as typed (so that a tap is
  always a command, never an answer to the question on screen, whatever its words).

A date picked with LINE's datetimepicker comes back as the data of a waiting picker
(:func:`conversations.button_data.picked` with no value) and ``params.date``; the two together are the picked
value's data. An engine token never starts with ``pg:``, ``more:`` or ``cmd:``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.line_limits import MAX_POSTBACK_DATA
from conversations.button_data import picked, picked_text, pressed_screen

ON_PAGE = "pg:"
MORE = "more:"
COMMAND = "cmd:"
PICKED_DATE = "date"  # the key of ``postback.params`` that holds a date from the datetimepicker


@dataclass(frozen=True, slots=True)
class Postback:
    """A pressed button: the token for the engine, or a request for another page of a screen's choices."""

    button: str | None = None
    page: int = 0
    more_of: str | None = None  # the screen whose choices' ``page`` was asked for
    command: str | None = None  # a menu button's slash command

    @property
    def is_page_request(self) -> bool:
        """Whether the user asked for another page of choices rather than pressing a choice."""
        return self.button is None and self.command is None


def button_data(token: str, page: int = 0) -> str:
    """The data of a choice button shown on quick-reply ``page``."""
    return _within_limit(token if page == 0 else f"{ON_PAGE}{page}:{token}")


def more_data(screen: str, page: int) -> str:
    """The data of the "more" button that asks for ``page`` of the choices of ``screen``."""
    return _within_limit(f"{MORE}{screen}:{page}")


def command_data(command: str) -> str:
    """The data of a menu button that runs a slash command (``/status``)."""
    return _within_limit(f"{COMMAND}{command}")


def picker_data(screen: str) -> str:
    """The data of a date-picker button: the engine's data for a picked value, waiting for the date."""
    return _within_limit(picked(screen, ""))


def read_postback(data: str, params: Mapping[str, str] | None = None) -> Postback:
    """What a pressed button means; unknown data goes to the engine as it is (it answers "moved on")."""
    if data.startswith(COMMAND) and data[len(COMMAND):].startswith("/"):
        return Postback(command=data[len(COMMAND):])
    if data.startswith(MORE):
        screen, _, page = data[len(MORE):].partition(":")
        try:
            return Postback(page=max(0, int(page)), more_of=screen) if screen else Postback(button=data)
        except ValueError:
            return Postback(button=data)
    if data.startswith(ON_PAGE):
        page, _, token = data[len(ON_PAGE):].partition(":")
        if page.isascii() and page.isdigit() and token:
            return Postback(button=_with_date(token, params), page=int(page))
        return Postback(button=data)
    return Postback(button=_with_date(data, params))


def _with_date(token: str, params: Mapping[str, str] | None) -> str:
    day = (params or {}).get(PICKED_DATE)
    screen = pressed_screen(token)
    if screen is not None and picked_text(token) == "" and day:
        try:
            return picked(screen, day)
        except ValueError:  # not something a date picker sends: let the engine call it stale
            return token
    return token


def _within_limit(data: str) -> str:
    """LINE refuses a whole message whose postback data is longer than 300 characters: fail here, loudly."""
    if len(data) > MAX_POSTBACK_DATA:
        raise ValueError(f"postback data of {len(data)} characters (LINE takes {MAX_POSTBACK_DATA})")
    return data
