"""Keeps the bot token out of the logs: it is part of every Bot API URL, and libraries log URLs.

httpx logs each request's URL at INFO, python-telegram-bot logs its base URL at DEBUG and puts the token in
the message of ``InvalidToken``. A filter on every handler of the root logger masks the token wherever it
appears, tracebacks included; httpx's per-request lines are turned down to warnings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import quote

MASK = "<telegram-bot-token>"
CHATTY_LOGGERS = ("httpx",)  # one INFO line per request, URL and token included


class TokenRedactor(logging.Filter):
    """Replaces the token (and its URL-encoded form) in a record's message and traceback text."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.secrets = tuple({token, quote(token, safe="")} - {""})

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it, and never raises (logging does not catch filters)."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed call ("%d" given a str): let the handler report it as logging does
            record.msg = self._clean(str(record.msg))
            return True
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


def redact_token(token: str) -> Callable[[], None]:
    """Install the redactor on the root logger's handlers; return the function that removes it again."""
    redactor = TokenRedactor(token)
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(redactor)
    quieted = [(logging.getLogger(name), logging.getLogger(name).level) for name in CHATTY_LOGGERS]
    for logger, _ in quieted:
        if logger.getEffectiveLevel() < logging.WARNING:
            logger.setLevel(logging.WARNING)

    def remove() -> None:
        for handler in handlers:
            handler.removeFilter(redactor)
        for logger, level in quieted:
            logger.setLevel(level)

    return remove
