"""LINE Messaging API limits, named once, and the one way we measure and cut text to fit them.

LINE states its limits in "characters". We count UTF-16 code units, the strictest reading (an emoji
outside the Basic Multilingual Plane counts twice), so that nothing we send is ever rejected for length.
Cuts go through :func:`conversations.formatting.shorten`, which never tears a Thai vowel or tone mark
(or an emoji modifier) from its base character.
"""

from __future__ import annotations

from datetime import timedelta

from bot.chat_text import utf16_len
from conversations.formatting import shorten

MAX_MESSAGES_PER_REQUEST = 5  # message objects in one reply, push or multicast
MAX_QUICK_REPLY_ITEMS = 13
MAX_ACTION_LABEL = 20  # the label of a quick-reply button
MAX_POSTBACK_DATA = 300  # holds an engine token (conversations.messages.TOKEN_BUDGET_BYTES) and our page mark
MAX_DISPLAY_TEXT = 300  # what the chat shows as the user's message after a postback button
MAX_TEXT = 5_000  # one text message
MAX_ALT_TEXT = 1_500  # a Flex message's plain-text stand-in (notifications, chat list)
MAX_BUBBLE_BYTES = 30_000  # the JSON of one Flex bubble
MAX_MULTICAST_RECIPIENTS = 500
LOADING_SECONDS_MIN, LOADING_SECONDS_MAX, LOADING_SECONDS_STEP = 5, 60, 5
REPLY_WINDOW = timedelta(seconds=50)  # a reply token lives "about a minute", once: past this we push instead
RICH_MENU_SIZE = (2500, 843)  # the compact rich menu; LINE takes 800–2500 wide, width/height at least 1.45
MAX_RICH_MENU_AREAS = 20
MAX_RICH_MENU_NAME = 300
MAX_CHAT_BAR_TEXT = 14
MAX_RICH_MENU_IMAGE_BYTES = 1024 * 1024  # PNG or JPEG
MAX_BULK_LINK_USERS = 500  # users linked to a rich menu in one request


def length(text: str) -> int:
    """The length of ``text`` as LINE counts it, conservatively: UTF-16 code units."""
    return utf16_len(text)


def fit(text: str, limit: int) -> str:
    """``text`` cut (with "…", grapheme-safe) so that its :func:`length` is at most ``limit``."""
    if length(text) <= limit:
        return text
    size = limit
    cut = shorten(text, size)
    while length(cut) > limit and size > 1:
        size -= 1
        cut = shorten(text, size)
    return cut
