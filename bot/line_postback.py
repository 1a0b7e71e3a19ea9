"""The postback data our LINE buttons carry, and reading it back when a button is pressed.

Three shapes, all far below LINE's 300 characters (a token is at most 64 bytes):

* ``<token>`` — a button of the engine (``<prompt base36>.<value>``), pressed on the first quick-reply page;
* ``pg:<page>:<token>`` — the same, pressed on another page, so that a screen drawn again for the same
  prompt (a multi-select tick) stays on the page the user was looking at;
* ``more:<prompt base36>:<page>`` — "show me that page of the choices of this prompt";
* ``cmd:/<command>`` — a rich-menu or next-step button: the slash command, taken as typed (so that a tap is
  always a command, never an answer to the question on screen, whatever its words).

A date picked with LINE's datetimepicker comes back as the data ``<prompt>.@`` with ``params.date``; the
two together are the widget token ``<prompt>.@2026-10-01`` (see :func:`conversations.tokens.widget_token`).
A token never starts with ``pg:`` or ``more:``: its head is base 36 and ends at the first dot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.line_limits import MAX_POSTBACK_DATA
from conversations.tokens import DIGITS, WIDGET, decode, widget_token

ON_PAGE = "pg:"
MORE = "more:"
COMMAND = "cmd:"
PICKED_DATE = "date"  # the key of ``postback.params`` that holds a date from the datetimepicker


@dataclass(frozen=True, slots=True)
class Postback:
    """A pressed button: the token for the engine, or a request for another page of a prompt's choices."""

    button: str | None = None
    page: int = 0
    more_of: int | None = None  # the prompt whose choices' ``page`` was asked for
    command: str | None = None  # a menu button's slash command

    @property
    def is_page_request(self) -> bool:
        """Whether the user asked for another page of choices rather than pressing a choice."""
        return self.button is None and self.command is None


def button_data(token: str, page: int = 0) -> str:
    """The data of a choice button shown on quick-reply ``page``."""
    return _within_limit(token if page == 0 else f"{ON_PAGE}{page}:{token}")


def more_data(prompt: int, page: int) -> str:
    """The data of the "more" button that asks for ``page`` of the choices of ``prompt``."""
    return f"{MORE}{_base36(prompt)}:{page}"


def command_data(command: str) -> str:
    """The data of a menu button that runs a slash command (``/status``)."""
    return _within_limit(f"{COMMAND}{command}")


def picker_data(prompt: int) -> str:
    """The data of a date-picker button: a widget token waiting for the picked date."""
    return widget_token(prompt, "")


def read_postback(data: str, params: Mapping[str, str] | None = None) -> Postback:
    """What a pressed button means; unknown data goes to the engine as it is (it answers "moved on")."""
    if data.startswith(COMMAND) and data[len(COMMAND):].startswith("/"):
        return Postback(command=data[len(COMMAND):])
    if data.startswith(MORE):
        prompt, _, page = data[len(MORE):].partition(":")
        try:
            return Postback(page=max(0, int(page)), more_of=int(prompt, 36))
        except ValueError:
            return Postback(button=data)
    if data.startswith(ON_PAGE):
        page, _, token = data[len(ON_PAGE):].partition(":")
        if page.isdigit() and token:
            return Postback(button=_with_date(token, params), page=int(page))
        return Postback(button=data)
    return Postback(button=_with_date(data, params))


def _with_date(token: str, params: Mapping[str, str] | None) -> str:
    decoded = decode(token)
    picked = (params or {}).get(PICKED_DATE)
    if decoded is not None and decoded.value == WIDGET and picked:
        try:
            return widget_token(decoded.prompt, picked)
        except ValueError:  # not something a date picker sends: let the engine call it stale
            return token
    return token


def _base36(number: int) -> str:
    """The prompt number as tokens write it."""
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = DIGITS[rest] + text
        if number == 0:
            return text


def _within_limit(data: str) -> str:
    """LINE refuses a whole message whose postback data is longer than 300 characters: fail here, loudly."""
    if len(data) > MAX_POSTBACK_DATA:
        raise ValueError(f"postback data of {len(data)} characters (LINE takes {MAX_POSTBACK_DATA})")
    return data
