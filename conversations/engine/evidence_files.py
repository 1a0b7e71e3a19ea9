"""Opening the evidence a report lists: one button per stored file on the report's card, each asking the
service for the file itself (which checks, against the database, that the asker may see it)."""

from __future__ import annotations

import re
from typing import Any

from conversations.engine.effect_types import Ask
from conversations.engine.output import Output
from conversations.engine.picks import Pick
from conversations.engine.picks import value as pick_value
from conversations.formatting import shorten

EVIDENCE = "evidence"  # the question the service answers with the file
LABEL_CHARS = 20  # LINE's button labels hold 20 characters
_VALUE = re.compile(r"f(\d{1,12})")


def file_buttons(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(value, label) of each stored evidence file: ``f<id>`` and "📎 1. name"."""
    stored = [item for item in answers.get("attachments") or [] if item.get("id") is not None]
    return [(pick_value(Pick.FILE, int(item["id"])), shorten(f"📎{number}. {item.get('filename', '')}", LABEL_CHARS))
            for number, item in enumerate(stored, start=1)]


def open_file(value: str | None, answers: dict[str, Any], out: Output) -> bool:
    """Ask for the file of a pressed evidence button; False when ``value`` is not one of this report's files."""
    found = _VALUE.fullmatch(value or "")
    if found is None or value not in {button for button, _ in file_buttons(answers)}:
        return False
    out.effect(Ask(command=EVIDENCE, argument=found.group(1)))
    return True
