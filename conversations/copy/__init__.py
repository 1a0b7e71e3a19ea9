"""Every Thai message the bot says, keyed by id; logic refers to keys, never to inline Thai text."""

from __future__ import annotations

import string
from collections.abc import Mapping

from conversations.copy.channels import CHANNELS
from conversations.copy.checks import CHECKS
from conversations.copy.common import COMMON
from conversations.copy.copying import COPYING
from conversations.copy.documents import DOCUMENTS
from conversations.copy.emenscr import EMENSCR
from conversations.copy.errors import ERRORS
from conversations.copy.line_menu import LINE_MENU
from conversations.copy.lists import LISTS
from conversations.copy.monitoring import MONITORING
from conversations.copy.plan_import import PLAN_IMPORT
from conversations.copy.registration import REGISTRATION
from conversations.copy.reminders import REMINDERS
from conversations.copy.reporting import REPORTING


def _merge(*parts: Mapping[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"copy keys defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


COPY: Mapping[str, str] = _merge(ERRORS, COMMON, REGISTRATION, REPORTING, REMINDERS, MONITORING, CHANNELS,
                                 LINE_MENU, DOCUMENTS, CHECKS, LISTS, EMENSCR, PLAN_IMPORT,
                                 COPYING)


class MissingCopy(KeyError):
    """A copy key that the catalog does not hold."""


def render(key: str, **params: object) -> str:
    """The Thai text of ``key`` with its ``{placeholders}`` filled."""
    try:
        template = COPY[key]
    except KeyError:
        raise MissingCopy(key) from None
    return template.format(**params)


def placeholders(key: str) -> set[str]:
    """The names a message expects, for validation."""
    return {name for _, name, _, _ in string.Formatter().parse(COPY[key]) if name}
