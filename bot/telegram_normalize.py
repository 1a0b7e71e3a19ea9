"""Telegram updates as neutral inbound messages, pure: who wrote, in which chat, and what they did.

Only private chats are served: a registration holds people's names, phones and budgets, which must not be
read out in a group. Files are described here and downloaded by the channel, which is the one doing I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import ChatMember, InlineKeyboardMarkup, MaybeInaccessibleMessage, Message, Update, User
from telegram.constants import ChatType

from bot.telegram_controls import Control, parse_control
from conversations.messages import Inbound
from models.enums import Platform

IMAGE_MIME = "image/jpeg"  # Telegram re-encodes every photo it receives as JPEG
DEFAULT_MIME = "application/octet-stream"
# Message kinds we cannot take as an answer, in the order they are checked (an animation is also a document).
UNSUPPORTED_KINDS = ("sticker", "animation", "video_note", "voice", "audio", "video", "venue", "location",
                     "contact", "poll", "dice", "game", "story")
GONE = frozenset({ChatMember.BANNED, ChatMember.LEFT})  # what a private chat shows once the user blocked us


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file the user sent, to be fetched with getFile before the turn."""

    file_id: str
    kind: str  # "document" or "image", as in :class:`conversations.messages.Attachment`
    filename: str
    mime_type: str
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Press:
    """A button press: the query to answer, and the message the button was on (None once inaccessible)."""

    query_id: str
    data: str
    message_id: int | None = None
    text: str = ""
    keyboard: InlineKeyboardMarkup | None = None
    control: Control | None = None  # set when the button is the adapter's own (page, month, inert)


@dataclass(frozen=True, slots=True)
class Incoming:
    """An update to run through the service: the neutral message, the chat to answer, and the details."""

    chat_id: int
    inbound: Inbound
    press: Press | None = None
    file: FileRef | None = None


@dataclass(frozen=True, slots=True)
class Left:
    """The user blocked the bot: their account is marked inactive."""

    user_ref: str


def normalize(update: Update) -> Incoming | Left | None:
    """What an update means for us; None for anything we do not serve (groups, edits, other bots)."""
    if update.message is not None:
        return _message(update.update_id, update.message)
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        if query.data is None or query.from_user.is_bot or (message is not None and not _private(message)):
            return None
        control = parse_control(query.data)
        inbound = _inbound(update.update_id, query.from_user, button=None if control else query.data)
        press = Press(query.id, query.data, control=control)
        if isinstance(message, Message) and message.is_accessible:  # date 0: deleted or too old
            press = Press(query.id, query.data, message.message_id, message.text or message.caption or "",
                          message.reply_markup, control)
        return Incoming(message.chat.id if message is not None else query.from_user.id, inbound, press)
    member = update.my_chat_member
    if member is not None and member.chat.type == ChatType.PRIVATE and member.new_chat_member.status in GONE:
        return Left(str(member.from_user.id))
    return None


def _private(message: MaybeInaccessibleMessage) -> bool:
    return message.chat.type == ChatType.PRIVATE


def _inbound(update_id: int, user: User, *, text: str | None = None, button: str | None = None,
             unsupported: str = "", metadata: dict[str, str] | None = None) -> Inbound:
    return Inbound(Platform.TELEGRAM, str(user.id), event_id=str(update_id), text=text, button=button,
                   unsupported=unsupported, display_name=user.full_name, metadata=metadata or {})


def _message(update_id: int, message: Message) -> Incoming | None:
    user = message.from_user
    if user is None or user.is_bot or not _private(message):
        return None
    if message.text is not None:
        return Incoming(message.chat.id, _inbound(update_id, user, text=_plain_command(message.text)))
    file = _file(message)
    if file is not None:
        metadata = {"caption": message.caption} if message.caption else {}
        return Incoming(message.chat.id, _inbound(update_id, user, metadata=metadata), file=file)
    kind = next((name for name in UNSUPPORTED_KINDS if getattr(message, name, None)), None)
    if kind is None:
        return None  # a service message (a pin, a timer change): nothing to answer
    return Incoming(message.chat.id, _inbound(update_id, user, unsupported=kind))


def _plain_command(text: str) -> str:
    """``/start@tidtam_bot CODE`` as ``/start CODE``: the engine reads commands without the bot's name."""
    if not text.startswith("/"):
        return text
    head, space, rest = text.partition(" ")
    return f"{head.split('@', 1)[0]}{space}{rest}"


def _file(message: Message) -> FileRef | None:
    if message.document is not None and message.animation is None:
        document = message.document
        return FileRef(document.file_id, "document", document.file_name or document.file_unique_id,
                       document.mime_type or DEFAULT_MIME, document.file_size)
    if message.photo:
        largest = message.photo[-1]  # Telegram lists the sizes smallest first
        return FileRef(largest.file_id, "image", f"photo-{largest.file_unique_id}.jpg", IMAGE_MIME,
                       largest.file_size)
    return None
