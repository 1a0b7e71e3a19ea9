"""Reading query parameters: one rule for every endpoint, so that ``?fy=²`` is a 400 everywhere, never a 500."""

from __future__ import annotations

from aiohttp import web


class BadParameter(ValueError):
    """A query parameter that is not what the endpoint takes; ``str()`` says what is."""


def int_param(request: web.Request, name: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` (ASCII digits only), or None when absent or empty."""
    raw = request.query.get(name, "")
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise BadParameter(f"{name} must be a whole number from {low} to {high}")
    return int(raw)
