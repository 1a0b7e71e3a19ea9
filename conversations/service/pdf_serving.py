"""The answer to a card's "📄 PDF": the project's or report's document as a file, to whom may see it — the
owner, the office's director, admins (the documents' own scope); anyone else learns only that there is none.
Telegram sends it as a document; LINE, which takes no files from bots, gets a link to it (``api/files.py``)."""

from __future__ import annotations

from conversations.copy import render
from conversations.messages import Attachment, Reply
from conversations.oversight.documents import PDF, pdf_filename, project_pdf, report_pdf
from conversations.oversight.documents.content import Viewer


async def pdf_reply(user: Viewer, argument: str) -> Reply:
    """The document that ``argument`` names (``CODE`` or ``CODE FY Q``), or why it cannot be given. Chat always
    has a person: ``None`` (the operator's "everything") is refused rather than served."""
    parts = argument.split() if user is not None else []
    content: bytes | None = None
    filename = ""
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        code, fiscal_year, quarter = parts[0], int(parts[1]), int(parts[2])
        content = await report_pdf(code, fiscal_year, quarter, user)
        filename = pdf_filename(code, fiscal_year, quarter)
    elif len(parts) == 1:
        content = await project_pdf(parts[0], user)
        filename = pdf_filename(parts[0])
    if content is None:
        return Reply(text=render("doc.chat.not_found"), key="doc.chat.not_found")
    return Reply(text=render("doc.chat.file", filename=filename), key="doc.chat.file",
                 attachment=Attachment("document", filename, content, PDF))
