"""The answer to "open this evidence file": the file itself, to whom may see its report — the project's owner,
the office's director, admins (``monitoring.scope``); anyone else learns only that there is no such file."""

from __future__ import annotations

from conversations.copy import render
from conversations.formatting import shorten
from conversations.messages import Attachment, Reply
from conversations.oversight.monitoring import scope
from models.org import User
from models.report import ReportAttachment

NAME_CHARS = 80


async def evidence_reply(user: User, argument: str) -> Reply:
    """The evidence file ``argument`` (its id) with a line naming it, or why it cannot be given."""
    row = await ReportAttachment.filter(id=int(argument), **scope(user, "report__project__")).first() \
        if argument.isdigit() else None
    if row is None:
        return Reply(text=render("evidence.not_found"), key="evidence.not_found")
    kind = "image" if row.kind == "image" else "document"
    return Reply(text=render("evidence.file", name=shorten(row.filename, NAME_CHARS)), key="evidence.file",
                 attachment=Attachment(kind, row.filename, bytes(row.content), row.mime_type))
