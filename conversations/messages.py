"""The neutral messages exchanged between channel adapters and the engine: no platform types here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from models.enums import Platform

TOKEN_BUDGET_BYTES = 64
"""The most bytes a button's data may take, on every channel: the engine's tokens stay within it.

Telegram's ``callback_data`` takes 64 bytes, the smallest carrier; LINE's postback data takes 300 characters, room
for a token and the quick-reply page our LINE buttons add to it. ``conversations.tokens`` builds within this budget,
and both adapters' limits refer to it (``bot.telegram_limits``, ``bot.line_limits``).
"""


class InputHint(StrEnum):
    """What kind of answer a question expects, so a channel can offer the right widget."""

    NONE = "none"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"


class ChoiceRole(StrEnum):
    """What a button is for, so a channel can lay it out without reading its token."""

    ANSWER = "answer"  # an answer to the question on screen
    NAVIGATION = "navigation"  # back, skip, done, save…: moves through the conversation; kept on every page
    LINK = "link"  # opens what it names from any screen (a reminder's button): it belongs to no question


@dataclass(frozen=True, slots=True)
class Choice:
    """One button: ``token`` goes back to the engine (never the label), ``label`` is shown.

    The token is opaque to channels: they send it back as it is, and learn what they need from ``role`` (and,
    for the question it belongs to, from :mod:`conversations.button_data`).
    """

    token: str
    label: str
    selected: bool | None = None  # ticked or not, on a multi-select question; None elsewhere
    role: ChoiceRole = ChoiceRole.ANSWER


@dataclass(frozen=True, slots=True)
class CardSection:
    """A titled block of label/value rows in a card."""

    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Card:
    """A structured summary (the review card); channels that can draw it do, the others show ``Reply.text``.

    ``code`` and ``status`` (its label, e.g. "📝 ร่าง") are what the footer says, kept apart for a short summary.
    """

    title: str
    sections: tuple[CardSection, ...]
    footer: str = ""
    code: str = ""
    status: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the bot sends (an export, a chart) or the user sent (evidence)."""

    kind: str  # "document" or "image"
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"
    url: str = ""  # where the platform can fetch it (LINE takes files only as HTTPS links), once published


@dataclass(frozen=True, slots=True)
class Copyable:
    """A value to be copied into another system (eMENSCR's web form) with one tap, and what it is: ``label``
    names the place it goes (step and field), shown above the value; ``value`` is shown with nothing else, so
    that copying it copies the value alone."""

    label: str
    value: str


class ReplyKind(StrEnum):
    """What a reply is, where a channel acts on it (never by its copy key, which is the catalog's business)."""

    MESSAGE = "message"  # anything else: a question, an acknowledgement, a card…
    STALE = "stale"  # "that step has moved on": a button of a screen no longer shown was pressed
    LINKED = "linked"  # the chat account was just linked to a person (or told why not)
    DIGEST = "digest"  # a director's pushed digest of the reports still outstanding
    SUMMARY = "summary"  # the admins' pushed weekly summary


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to show: Thai text from the copy catalog, with optional buttons, card or file.

    Which part of a long list of buttons is on screen is each channel's business (LINE's quick-reply pages,
    Telegram's page turner), not the reply's.
    """

    text: str
    choices: tuple[Choice, ...] = ()
    multi: bool = False
    hint: InputHint = InputHint.NONE
    card: Card | None = None
    attachment: Attachment | None = None
    key: str = ""  # the copy key the text came from, for tests and logs (channels go by ``kind``)
    kind: ReplyKind = ReplyKind.MESSAGE
    copies: tuple[Copyable, ...] = ()  # values to copy, shown after ``text`` and before the buttons


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # the biggest evidence file we keep, on every channel
FILE_TOO_LARGE = "file_too_large"  # a sent file bigger than the channel lets us download
FILE_UNAVAILABLE = "file_unavailable"  # a sent file the platform would not hand over
UNREADABLE_TEXT = "unreadable_text"  # text with a NUL, a lone surrogate or bytes that are not UTF-8
# Characters no database column takes (PostgreSQL refuses NUL in text) and no person means to type.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Inbound:
    """What a user did: typed ``text``, pressed a ``button`` (its token), or sent something else."""

    platform: Platform
    user_ref: str
    event_id: str | None = None
    text: str | None = None
    button: str | None = None
    attachment: Attachment | None = None
    unsupported: str = ""  # e.g. "sticker", "location", or FILE_TOO_LARGE / FILE_UNAVAILABLE
    display_name: str = ""
    metadata: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> tuple[Platform, str]:
        """Identity of the chat account, for locks."""
        return self.platform, self.user_ref


def storable(text: str) -> str:
    """``text`` without the characters no database stores (NUL, lone surrogates)."""
    return _UNSTORABLE.sub("", text)


def readable(inbound: Inbound) -> Inbound:
    """The inbound as the engine may take it: typed text that holds a character no database stores is not an
    answer (the person is told and asked again), and names and captions lose such characters."""
    if inbound.text is not None and _UNSTORABLE.search(inbound.text):
        inbound = replace(inbound, text=None, unsupported=UNREADABLE_TEXT)
    attachment = inbound.attachment
    if attachment is not None and _UNSTORABLE.search(attachment.filename):
        attachment = replace(attachment, filename=storable(attachment.filename) or "file")
    return replace(inbound, display_name=storable(inbound.display_name), attachment=attachment,
                   metadata={key: storable(value) for key, value in inbound.metadata.items()})
