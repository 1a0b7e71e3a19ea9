"""The neutral messages exchanged between channel adapters and the engine: no platform types here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class TurnFailed(Reply):
    """The apology for a turn that was rolled back: nothing of it was stored, so a webhook answers the
    platform with an error and the platform delivers the event again."""


def stored(replies: list[Reply]) -> bool:
    """Whether the turn that gave these replies was stored (it was, unless the service apologised for it)."""
    return not any(isinstance(reply, TurnFailed) for reply in replies)


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # the biggest evidence file we keep, on every channel
FILE_TOO_LARGE = "file_too_large"  # a sent file bigger than the channel lets us download
FILE_UNAVAILABLE = "file_unavailable"  # a sent file the platform would not hand over


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
    # told True as soon as the turn is committed (before any slow answer such as an export is computed), or False
    # when it was rolled back: a webhook answers its platform on it
    on_stored: Callable[[bool], None] | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[Platform, str]:
        """Identity of the chat account, for locks."""
        return self.platform, self.user_ref
