"""Parsers of contact details: an e-mail address and a Thai phone number in its canonical dashed form."""

from __future__ import annotations

import re

from conversations.copy import render
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.thai_text import excerpt, normalize_input

MAX_EMAIL = 254
MAX_PHONE_INPUT = 60

_ATOM = r"[a-z0-9_%+'!#$&*=?^`{|}~-]+"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[a-z]{{2,63}}")
_EMAIL_LABEL = re.compile(r"^(?:mailto:|e-?mail ?: ?|อีเมล์? ?:? ?)")

_PHONE_PREFIX = re.compile(r"^(?:โทร(?:ศัพท์)?\.?|tel\.?|phone|มือถือ|เบอร์(?:โทร)?)(?: ?:)? ?")
_EXTENSION = re.compile(r"^(?P<main>.*?) ?(?:ต่อ|ext\.?|x|#) ?(?P<ext>[0-9]{1,6})$")
_SEPARATORS = re.compile(r"[ \-.()/]")
_MOBILE_PREFIXES = ("06", "08", "09")
_LANDLINE_PREFIXES = ("02", "03", "04", "05", "07")


def parse_email(text: str) -> str:
    """An e-mail address in lower case, e.g. ``Somchai.J@Example.go.th`` → ``somchai.j@example.go.th``.

    Only the shape is checked (one @, a dotted domain, no spaces); whether it is delivered is another matter.

    Raises:
        InvalidAnswer: ``invalid.email.format``.
    """
    normalized = normalize_input(text)
    address = _EMAIL_LABEL.sub("", normalized.casefold())
    if address.startswith("<") and address.endswith(">"):
        address = address[1:-1].strip()
    if len(address) > MAX_EMAIL or not _EMAIL.fullmatch(address):
        raise InvalidAnswer("invalid.email.format", text=excerpt(normalized))
    return address


def _national_digits(main: str) -> str:
    """The number with separators removed and a +66 country code turned back into the leading 0."""
    digits = _SEPARATORS.sub("", main.replace("(0)", ""))
    if digits.startswith("+66"):
        digits = digits[3:]
        return digits if digits.startswith("0") else "0" + digits
    if digits.startswith("66") and len(digits) in {10, 11}:
        return "0" + digits[2:]
    return digits


def parse_phone(text: str) -> str:
    """A Thai phone number written the canonical way, so the same number always looks the same.

    Mobile ``081-234-5678``, Bangkok ``02-288-5555``, provinces ``053-112-233``; an extension is kept as
    ``02-288-5555 ต่อ 123``. Accepts spaces, dashes, ``+66``, Thai digits and ``ext``/``#`` extensions.

    Raises:
        InvalidAnswer: ``invalid.phone.format`` (letters or no Thai number) or ``invalid.phone.length``.
    """
    normalized = normalize_input(text)
    if len(normalized) > MAX_PHONE_INPUT:
        raise InvalidAnswer("invalid.phone.format", text=excerpt(normalized))
    body = _PHONE_PREFIX.sub("", normalized.casefold())
    extension = ""
    if match := _EXTENSION.match(body):
        body, extension = match["main"], render("fmt.phone_extension", ext=match["ext"])
    digits = _national_digits(body)
    if not digits.isascii() or not digits.isdigit() or not digits.startswith("0"):
        raise InvalidAnswer("invalid.phone.format", text=excerpt(normalized))
    if digits.startswith(_MOBILE_PREFIXES):
        if len(digits) != 10:
            raise InvalidAnswer("invalid.phone.length", text=excerpt(normalized), digits=len(digits))
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}{extension}"
    if digits.startswith(_LANDLINE_PREFIXES):
        if len(digits) != 9:
            raise InvalidAnswer("invalid.phone.length", text=excerpt(normalized), digits=len(digits))
        if digits.startswith("02"):
            return f"{digits[:2]}-{digits[2:5]}-{digits[5:]}{extension}"
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}{extension}"
    raise InvalidAnswer("invalid.phone.format", text=excerpt(normalized))
