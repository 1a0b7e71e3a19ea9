"""The "📄 PDF" button of a project's card and a report's card: it asks the service for the printed document,
which checks the asker's scope against the database and sends the file (Telegram) or a link to it (LINE)."""

from __future__ import annotations

from typing import Any

from conversations.engine.effect_types import Ask
from conversations.engine.machine import Event

PDF = "pdf"  # the question the service answers with the document


def pdf_argument(item: dict[str, Any]) -> str:
    """What names the document: the project's code, or ``CODE FY Q`` for a quarterly report ("" when unknown)."""
    code = str(item.get("code") or "")
    if not code:
        return ""
    if item.get("kind") == "report":
        return f"{code} {int(item['fy'])} {int(item['q'])}"
    return code


def ask_pdf(event: Event) -> None:
    """The document of the card on screen, asked of the service; the card stays."""
    argument = pdf_argument(event.state.item)
    if not argument:
        event.out.say("input.use_buttons")
        return
    event.out.effect(Ask(command=PDF, argument=argument))
