"""Compact button tokens: the prompt they belong to and the value they carry, never the label.

A token is ``<prompt>.<value>``: the prompt number in base 36 and a short ASCII value. A token whose prompt
is not the one on screen is stale (an old message, a double tap); the engine answers "that step has moved
on" and shows the live question instead. Tokens stay within the one token budget every channel carries,
:data:`conversations.messages.TOKEN_BUDGET_BYTES` (Telegram's 64-byte callback data).

Channels never read this grammar: they learn what they need through :mod:`conversations.button_data`.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass

from conversations.messages import TOKEN_BUDGET_BYTES

DIGITS = string.digits + string.ascii_lowercase
NAV = "~"  # values starting with this are navigation, not answers
WIDGET = "@"  # values starting with this carry typed text from a widget, e.g. "@2026-10-01" from a date picker
LINK = "*"  # a link button (on a reminder): opens what it names from any screen, so it has no prompt


def widget_token(prompt: int, text: str) -> str:
    """The token of a widget answer (a picked date) for the given prompt."""
    return encode(prompt, f"{WIDGET}{text}")


@functools.lru_cache(maxsize=256)
def base36(number: int) -> str:
    """The prompt number as a token writes it. Kept for the prompts seen last: a screen's every button writes
    its prompt, and the prompts are clock-seeded ten-digit numbers (six digits to work out each time)."""
    if number < 0:
        raise ValueError("prompt numbers are not negative")
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = DIGITS[rest] + text
        if number == 0:
            return text


@dataclass(frozen=True, slots=True)
class Token:
    """A decoded button press."""

    prompt: int
    value: str

    @property
    def is_navigation(self) -> bool:
        """Whether the button is back, skip, save and the like rather than an answer."""
        return self.value.startswith(NAV)


def encode(prompt: int, value: str) -> str:
    """The token of a button for the given prompt; values are short ASCII by construction."""
    token = f"{base36(prompt)}.{value}"
    if not value or not token.isascii() or len(token.encode()) > TOKEN_BUDGET_BYTES:
        raise ValueError(f"button value {value!r} cannot be carried in a token")
    return token


def decode(token: str) -> Token | None:
    """The token's prompt and value, or None when it is not one of ours."""
    head, dot, value = token.partition(".")
    if not dot or not value or not head or len(token.encode()) > TOKEN_BUDGET_BYTES:
        return None
    try:
        prompt = int(head, 36)
    except ValueError:
        return None
    return Token(prompt, value)


def link_token(value: str) -> str:
    """The token of a link button, e.g. ``*q12.2570.1`` (open that report): valid whatever is on screen.

    Reminders are pushed while the user may be anywhere in a conversation; their buttons cannot belong
    to a prompt. What a link opens is checked against the user's rights when it is followed.
    """
    token = f"{LINK}{value}"
    if not value or not token.isascii() or len(token.encode()) > TOKEN_BUDGET_BYTES:
        raise ValueError(f"link {value!r} cannot be carried in a token")
    return token


def link_value(token: str) -> str | None:
    """What a link button names, or None when the token is not a link."""
    if not token.startswith(LINK) or len(token) == len(LINK) or len(token.encode()) > TOKEN_BUDGET_BYTES \
            or not token.isascii():  # ours are ASCII (link_token refuses anything else): a forged one is no link
        return None
    return token[len(LINK):]
