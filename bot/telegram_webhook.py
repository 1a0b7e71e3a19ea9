"""Checking a webhook delivery, pure: is it signed with our secret, and is its body an update?"""

from __future__ import annotations

import hmac
import json
import logging
from enum import StrEnum
from typing import Any

from telegram import Bot, Update

log = logging.getLogger(__name__)


class Signature(StrEnum):
    """How a delivery is signed: by Telegram with our secret, not at all, or with something else."""

    VALID = "valid"
    MISSING = "missing"
    WRONG = "wrong"


def check_secret(received: str | None, expected: str) -> Signature:
    """Compare the ``X-Telegram-Bot-Api-Secret-Token`` header with the secret, in constant time."""
    if not received:
        return Signature.MISSING
    if hmac.compare_digest(received.encode("utf-8", "surrogateescape"), expected.encode()):
        return Signature.VALID
    return Signature.WRONG


def reply_with(update: Update) -> dict[str, str] | None:
    """The Bot API call made in the webhook's answer, which Telegram carries out itself: a button press is
    acknowledged there (its spinner stops), so that no ``answerCallbackQuery`` of our own is needed. The answer
    goes out only once the update is stored; an answer Telegram cannot carry out only leaves the spinner a while,
    as a failed call of ours would."""
    query = update.callback_query
    return {"method": "answerCallbackQuery", "callback_query_id": query.id} if query is not None else None


def parse_update(body: bytes, bot: Bot | None) -> Update | None:
    """The update in a delivery's body; None when it is not JSON or not an update."""
    read = read_update(body, bot)
    return read[0] if read is not None else None


def read_update(body: bytes, bot: Bot | None) -> tuple[Update, dict[str, Any]] | None:
    """The update in a delivery's body with the JSON it came as (stored as it is, not written out again from
    the update); None when it is not JSON or not an update."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser's stack (a hostile body)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, bot), data
    except Exception:  # python-telegram-bot raises what the malformed field provokes
        log.info("telegram webhook: an update %s that could not be read", data.get("update_id"))
        return None
