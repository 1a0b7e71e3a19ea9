"""The neutral messages exchanged between channel adapters and the engine: no platform types here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from models.enums import Platform


class InputHint(StrEnum):
    """What kind of answer a question expects, so a channel can offer the right widget."""

    NONE = "none"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"


@dataclass(frozen=True, slots=True)
class Choice:
    """One button: ``token`` goes back to the engine (never the label), ``label`` is shown."""

    token: str
    label: str
    selected: bool | None = None  # ticked or not, on a multi-select question; None elsewhere


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
class Reply:
    """One message to show: Thai text from the copy catalog, with optional buttons, card or file."""

    text: str
    choices: tuple[Choice, ...] = ()
    multi: bool = False
    hint: InputHint = InputHint.NONE
    page: int = 0
    card: Card | None = None
    attachment: Attachment | None = None
    key: str = ""  # the copy key the text came from, for tests and logs


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
