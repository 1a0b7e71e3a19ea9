"""A workbook sent in chat by a director or an admin, outside an evidence step: their office's annual action plan.

The engine only recognizes it and asks the service to import it (``Ask("import")`` with the file), which
happens after the turn is committed, like an export: a file of 500 projects never holds the turn's transaction.
"""

from __future__ import annotations

from conversations.engine.context import Context
from conversations.engine.effect_types import Ask
from conversations.engine.output import Output
from conversations.messages import Attachment
from models.enums import Role

IMPORT = "import"
DECIDERS = frozenset({Role.DIRECTOR, Role.ADMIN})


def take(attachment: Attachment, ctx: Context, out: Output) -> bool:
    """Ask for a director's or an admin's document to be imported; False for anyone else's (or a photo)."""
    if attachment.kind != "document" or ctx.user.role not in DECIDERS:
        return False
    out.effect(Ask(command=IMPORT, attachment=attachment))
    return True
