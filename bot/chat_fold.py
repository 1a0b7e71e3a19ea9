"""One turn's replies as few chat messages, for every channel, pure: an acknowledgement travels with what follows.

The engine answers a step with a short acknowledgement ("✔️ รับทราบ: …"), sometimes a note, then the next
question, as separate replies; sent as they are, a phone buzzes two or three times for one answer (issue 17
counted two messages per input). Here each run of plain replies — text alone, no buttons, card or file — is put
at the head of the reply after it, a blank line apart, so the acknowledgement and the question are one message.
Before a review card the text goes under the card, above what the card asks (LINE draws the card from its own
fields and sends the text after it); a file or values to copy are left whole, so plain text before one is sent
as one message of its own. The last reply stays
last, with its buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from conversations.engine.views import card_text
from conversations.messages import Reply, ReplyKind

APART = "\n\n"


def plain(reply: Reply) -> bool:
    """Whether the reply is text alone, which may ride on the next message."""
    return (reply.kind is ReplyKind.MESSAGE and not reply.choices and reply.card is None
            and reply.attachment is None and not reply.copies and bool(reply.text.strip()))


def _carries(reply: Reply) -> bool:
    """Whether text may be put at the head of the reply: not a card, a file or values to copy, each laid out
    by the channel from its own fields."""
    return (reply.kind is ReplyKind.MESSAGE and reply.card is None and reply.attachment is None
            and not reply.copies)


def _card_with_text(reply: Reply) -> bool:
    """A card whose text is the card written out (then what it asks): text put after the card stays text."""
    return (reply.kind is ReplyKind.MESSAGE and reply.card is not None and reply.attachment is None
            and not reply.copies and reply.text.startswith(card_text(reply.card)))


def folded(replies: Sequence[Reply]) -> list[Reply]:
    """The replies with each run of plain ones joined to the head of the reply that follows it (or to one
    another, before a card or a file, and at the end)."""
    out: list[Reply] = []
    waiting: list[str] = []
    for reply in replies:
        if plain(reply):
            waiting.append(reply.text.strip())
            continue
        if waiting and _carries(reply):
            reply = replace(reply, text=APART.join([*waiting, reply.text]))
        elif waiting and _card_with_text(reply):
            assert reply.card is not None
            written = card_text(reply.card)  # the acknowledgement goes under the card, above what it asks
            rest = reply.text[len(written):].strip()
            reply = replace(reply, text=APART.join([written, *waiting, *([rest] if rest else [])]))
        elif waiting:
            out.append(Reply(APART.join(waiting)))
        waiting = []
        out.append(reply)
    if waiting:
        out.append(Reply(APART.join(waiting)))
    return out
