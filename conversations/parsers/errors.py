"""The one exception a parser may raise: the answer was not understood, and why (a copy key)."""

from __future__ import annotations


class InvalidAnswer(ValueError):
    """An answer that cannot be accepted.

    ``reason`` is a key of the copy catalog (``conversations.copy``); ``params`` fill its placeholders.
    The engine shows that message and asks the same question again.
    """

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params
