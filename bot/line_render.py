"""Neutral replies as LINE message objects (plain JSON, as the Messaging API documents them), pure.

A turn's replies become at most five messages. The last reply is the live question: it is always sent
whole, and only it carries quick replies (LINE shows the quick replies of the newest message only).
The earlier replies are acknowledgements, put at the head of the message after them (:mod:`bot.chat_fold`);
when there are still too many they are joined into one text.

Choices become postback buttons carrying the engine's token, with the full label as display text so the
chat shows what was chosen; labels are cut to LINE's 20 characters. More than 13 choices are paged: each
page ends with a "more" button (and keeps the first navigation buttons, such as done and back); which page is
shown is the channel's own business (the ``page`` argument), never the reply's. A date question also offers
LINE's date picker; a multi-select question shows ☑/☐ ticks; a card becomes a Flex bubble whose alt text (what
notifications and the chat list show) is a short summary: title, code and status, never the card's contents.

:func:`render_plain` writes the same turn as text messages alone, the choices as lines to type: what is sent
when LINE refuses the rich version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.chat_fold import folded
from bot.chat_plain import with_choices
from bot.chat_text import split_text as split_lines
from bot.line_flex import bubble, fits, with_buttons
from bot.line_limits import (
    MAX_ACTION_LABEL,
    MAX_ALT_TEXT,
    MAX_DISPLAY_TEXT,
    MAX_MESSAGES_PER_REQUEST,
    MAX_QUICK_REPLY_ITEMS,
    MAX_TEXT,
    fit,
    length,
)
from bot.line_postback import button_data, more_data, picker_data
from conversations.button_data import screen_of
from conversations.copy import render as render_copy
from conversations.engine.views import card_text
from conversations.formatting import ELLIPSIS
from conversations.messages import Card, Choice, ChoiceRole, Copyable, InputHint, Reply

Message = dict[str, Any]

TICKED, UNTICKED = "☑ ", "☐ "
REPLIES_APART = "\n\n"

PINNED_NAVIGATION = 2  # navigation buttons (done, back) repeated on every page of a long list
MIN_CHOICES_PER_PAGE = 6  # below this, navigation is paged like any other choice
MAX_BUBBLE_BUTTONS = 4  # a notice's buttons kept on it (the pushed notice has one or two)
CARD_ALT_TEXT = 400  # a card's summary: short enough for a lock screen, far under LINE's MAX_ALT_TEXT
COPIES_PER_PAGE = (MAX_MESSAGES_PER_REQUEST - 1) // 2  # a label and its value each; the screen's text is last
COPY_LABEL = "⬇️ "


def render(replies: Sequence[Reply], page: int = 0) -> list[Message]:
    """All replies of one turn as at most five LINE messages, the live question last and whole, showing
    quick-reply ``page`` of its choices."""
    if not replies:
        return []
    if replies[-1].copies:
        return _with_copies(replies, page, plain=False)
    replies = folded(replies)
    live_messages = _messages(replies[-1])[-MAX_MESSAGES_PER_REQUEST:]
    items = quick_reply_items(replies[-1], page)
    if items:
        live_messages[-1] = {**live_messages[-1], "quickReply": {"items": items}}
    return _before(replies[:-1], live_messages, _earlier_messages)


def render_plain(replies: Sequence[Reply]) -> list[Message]:
    """The same turn as at most five text messages: no Flex, no image, no quick reply; the live question's
    choices written as lines the person can type (typed labels are accepted), files named with their link.

    This is what is sent when LINE refuses the rich version of a turn.
    """
    if not replies:
        return []
    if replies[-1].copies:
        return _with_copies(replies, 0, plain=True)
    replies = folded(replies)
    live = replies[-1]
    live_messages = _text_messages(with_choices(_plain(live), live))[-MAX_MESSAGES_PER_REQUEST:]
    return _before(replies[:-1], live_messages or [{"type": "text", "text": ELLIPSIS}], _plain_messages)


def _before(earlier: Sequence[Reply], live_messages: list[Message],
            messages_of: Callable[[Reply], list[Message]]) -> list[Message]:
    """The earlier replies' messages in the room the live question leaves, joined into text when too many."""
    room = MAX_MESSAGES_PER_REQUEST - len(live_messages)
    before = [message for reply in earlier for message in messages_of(reply)]
    if len(before) > room:
        joined = _text_messages(REPLIES_APART.join(_plain(reply) for reply in earlier))
        before = joined[:room]
        if len(joined) > room and before:
            before[-1] = {"type": "text", "text": fit(before[-1]["text"] + ELLIPSIS, MAX_TEXT)}
    return before + live_messages


def copy_pages(reply: Reply) -> list[tuple[Copyable, ...]]:
    """The reply's values to copy, as many to a page as one reply's messages hold (a label and a value each)."""
    return [reply.copies[start:start + COPIES_PER_PAGE] for start in range(0, len(reply.copies), COPIES_PER_PAGE)]


def _with_copies(replies: Sequence[Reply], page: int, *, plain: bool) -> list[Message]:
    """A screen with values to copy: ``page`` of them, each value a message of its own with nothing else in it
    (so that copying the message copies the value alone) under a message naming its place, then the screen's
    text (after what the earlier replies said) with the quick replies, "more values" first when there are."""
    live, pages = replies[-1], copy_pages(replies[-1])
    shown = min(max(page, 0), len(pages) - 1)
    messages: list[Message] = []
    for copy in pages[shown]:
        messages.append({"type": "text", "text": fit(COPY_LABEL + " ".join(copy.label.split()), MAX_TEXT)})
        messages.append({"type": "text", "text": fit(copy.value.strip() or ELLIPSIS, MAX_TEXT)})
    said = [_plain(reply).strip() for reply in replies[:-1]]
    text = REPLIES_APART.join(part for part in (*said, live.text.strip()) if part)
    if plain:
        return [*messages, {"type": "text", "text": fit(with_choices(text, live), MAX_TEXT)}]
    items = quick_reply_items(live, 0)
    screen = screen_of(live)
    if len(pages) > 1 and screen is not None:
        following = (shown + 1) % len(pages)
        word = render_copy("channel.more_values" if following else "channel.first_values")
        label = fit(f"{word} {following + 1}/{len(pages)}", MAX_ACTION_LABEL)
        items.insert(0, _item({"type": "postback", "label": label, "data": more_data(screen, following),
                               "displayText": label}))
    last: Message = {"type": "text", "text": fit(text or ELLIPSIS, MAX_TEXT)}
    if items:
        last["quickReply"] = {"items": items[:MAX_QUICK_REPLY_ITEMS]}
    return [*messages, last]


def page_count(reply: Reply) -> int:
    """How many quick-reply pages the reply's choices take."""
    return len(_pages(reply)[0])


def quick_reply_items(reply: Reply, page: int = 0) -> list[Message]:
    """The quick-reply items of ``page`` of the reply's choices (the last page when it is beyond the end)."""
    pages, pinned = _pages(reply)
    screen = screen_of(reply)
    items: list[Message] = []
    if reply.hint is InputHint.DATE and screen is not None:
        items.append(_item({"type": "datetimepicker", "label": fit(render_copy("channel.pick_date"), MAX_ACTION_LABEL),
                            "data": picker_data(screen), "mode": "date"}))
    if not pages:
        return items
    page = min(max(page, 0), len(pages) - 1)
    items.extend(_choice(choice, page) for choice in pages[page])
    if len(pages) > 1:
        following = (page + 1) % len(pages)
        word = render_copy("channel.more" if following else "channel.first_page")
        label = fit(f"{word} {following + 1}/{len(pages)}", MAX_ACTION_LABEL)
        items.append(_item({"type": "postback", "label": label, "data": more_data(screen or "", following),
                            "displayText": label}))
        items.extend(_choice(choice, page) for choice in pinned)
    return items


def _pages(reply: Reply) -> tuple[list[list[Choice]], list[Choice]]:
    """The choices split into pages, and the navigation choices repeated on every page."""
    choices = list(reply.choices)
    room = MAX_QUICK_REPLY_ITEMS - (1 if reply.hint is InputHint.DATE and screen_of(reply) is not None else 0)
    if not choices:
        return [], []
    if len(choices) <= room:
        return [choices], []
    navigation = [choice for choice in choices if choice.role is ChoiceRole.NAVIGATION][:PINNED_NAVIGATION]
    per_page = room - 1 - len(navigation)
    if per_page < MIN_CHOICES_PER_PAGE:
        navigation, per_page = [], room - 1
    paged = [choice for choice in choices if choice not in navigation]
    return [paged[start:start + per_page] for start in range(0, len(paged), per_page)], navigation


def _choice(choice: Choice, page: int) -> Message:
    tick = "" if choice.selected is None else (TICKED if choice.selected else UNTICKED)
    label = choice.label.strip() or ELLIPSIS
    return _item({"type": "postback", "label": fit(tick + label, MAX_ACTION_LABEL),
                  "data": button_data(choice.token, page), "displayText": fit(label, MAX_DISPLAY_TEXT)})


def _item(action: Message) -> Message:
    return {"type": "action", "action": action}


def _shows_image(reply: Reply) -> bool:
    return reply.attachment is not None and bool(reply.attachment.url) and reply.attachment.kind == "image"


def _plain(reply: Reply, *, image_follows: bool = False) -> str:
    """A reply as plain text (its card already written out in ``text``), with any attachment named (and
    linked, when it has been published: LINE bots cannot send a file itself)."""
    attachment = reply.attachment
    if attachment is not None and not image_follows:
        key = "channel.attachment_link" if attachment.url else "channel.attachment"
        note = render_copy(key, filename=attachment.filename, url=attachment.url)
        return f"{reply.text}\n{note}".strip()
    return reply.text


def _messages(reply: Reply) -> list[Message]:
    """One reply as LINE messages: a Flex bubble for a card (then the text that follows it), else text; a
    published image follows as an image message."""
    messages = _written(reply)
    if _shows_image(reply):
        assert reply.attachment is not None
        url = reply.attachment.url
        messages.append({"type": "image", "originalContentUrl": url, "previewImageUrl": url})
    return messages


def _earlier_messages(reply: Reply) -> list[Message]:
    """A reply above the live question: one with buttons of its own (a notice of a returned report) keeps them
    as a bubble's buttons, since its quick replies would never be shown."""
    if not reply.choices or reply.card is not None or _shows_image(reply) or reply.attachment is not None:
        return _messages(reply)
    actions = [_choice(choice, 0)["action"] for choice in reply.choices[:MAX_BUBBLE_BUTTONS]]
    contents = with_buttons(reply.text, actions)
    if not fits(contents):
        return _messages(reply)
    return [{"type": "flex", "altText": fit(reply.text, MAX_ALT_TEXT), "contents": contents}]


def _plain_messages(reply: Reply) -> list[Message]:
    return _text_messages(_plain(reply)) or [{"type": "text", "text": ELLIPSIS}]


def _written(reply: Reply) -> list[Message]:
    text = _plain(reply, image_follows=_shows_image(reply))
    if reply.card is not None:
        contents = bubble(reply.card)
        if fits(contents):
            written = card_text(reply.card)
            rest = text[len(written):].strip() if text.startswith(written) else text
            flex: Message = {"type": "flex", "altText": card_summary(reply.card), "contents": contents}
            return [flex, *_text_messages(rest)]
    return _text_messages(text) or [{"type": "text", "text": ELLIPSIS}]


def card_summary(card: Card) -> str:
    """A card's alt text: its title, its code and status when it has them, and a word to open it — never what
    the card holds (names, e-mails, phones, budgets), which a lock screen or the chat list would show."""
    status = render_copy("project.status_line", code=card.code or render_copy("value.no_code"), status=card.status)
    tail = [status] if card.status else []
    tail.append(render_copy("channel.card_open"))
    room = CARD_ALT_TEXT - length("\n".join(["📋 ", *tail]))  # what the title may take
    title = fit(" ".join(card.title.split()) or ELLIPSIS, max(room, 1))
    return fit("\n".join([f"📋 {title}", *tail]), CARD_ALT_TEXT)


def _text_messages(text: str) -> list[Message]:
    return [{"type": "text", "text": chunk} for chunk in split_text(text.strip())]


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Text in messages LINE takes (5,000 UTF-16 units each), cut at line breaks where possible."""
    return split_lines(text, limit)
