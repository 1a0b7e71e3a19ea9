"""What an API URL may carry, checked before any endpoint reads it: its path segments and query parameters must
be UTF-8 text, percent-encoded (every "%" followed by two hexadecimal digits), without control characters (NUL
included) and of a bounded length; anything else is a 400 ``bad_parameter`` saying what is accepted, never a 500
from a driver that cannot store it.

aiohttp decodes a URL leniently (invalid UTF-8 becomes U+FFFD), so the raw URL is decoded again here, strictly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from aiohttp import web

from api.errors import Handler, json_error

MAX_VALUE = 200  # characters of a query parameter: a search of several words, a code, a number
MAX_SEGMENT = 100  # characters of a path segment: a project code is about 15
ALLOWED_CONTROLS = frozenset("\t\n\r")  # in a query value (a pasted search), never in a path
ENCODING_HINT = "percent-encode it as UTF-8, e.g. curl -G --data-urlencode 'q=…' http://…/api/v1/plans"
BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True)
class _Part:
    """One part of a URL to check: what to call it, its raw text, how long it may be, which controls it may hold."""

    what: str
    raw: str
    longest: int
    in_query: bool  # where "+" is a space
    controls: frozenset[str] = frozenset()


def _parts(raw_target: str) -> Iterator[_Part]:
    raw_path, _, raw_query = raw_target.partition("?")
    for segment in raw_path.split("/"):
        yield _Part("a path segment", segment, MAX_SEGMENT, in_query=False)
    for pair in filter(None, raw_query.split("&")):
        name, _, value = pair.partition("=")
        yield _Part("a query parameter's name", name, MAX_VALUE, in_query=True)
        shown = name.isascii() and name.isprintable() and len(name) <= 40
        yield _Part(f"query parameter {name!r}" if shown else "a query parameter", value, MAX_VALUE, in_query=True,
                    controls=ALLOWED_CONTROLS)


def problem(raw_target: str) -> str | None:
    """What is wrong with a raw request target (path and query, as sent), or None when every part is acceptable."""
    for part in _parts(raw_target):
        if BROKEN_ESCAPE.search(part.raw):  # "%" alone or before non-hex: a malformed query, never read as text
            return f"{part.what} has a “%” not followed by two hexadecimal digits: {ENCODING_HINT}"
        try:
            text = unquote_to_bytes(part.raw.replace("+", " ") if part.in_query else part.raw).decode("utf-8")
        except UnicodeDecodeError:
            return f"{part.what} is not UTF-8 text: {ENCODING_HINT}"
        if any(unicodedata.category(char) in {"Cc", "Cs"} and char not in part.controls for char in text):
            return (f"{part.what} holds a control character (such as NUL) or half of a surrogate pair: "
                    "only text is accepted")
        if len(text) > part.longest:
            return f"{part.what} is {len(text):,} characters long: at most {part.longest:,} are accepted"
    return None


@web.middleware
async def checked_url(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse an ``/api/`` URL that carries something no endpoint can take (see :func:`problem`)."""
    if request.path.startswith("/api/") and (found := problem(request.raw_path)) is not None:
        return json_error(400, "bad_parameter", found)
    return await handler(request)
