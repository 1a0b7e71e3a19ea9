"""The chat's answers about the annual action plan: the template, and a sent workbook imported.

Where the channel can say it meanwhile (Telegram), the file's receipt and the import's progress come first.
In chat the errors are listed up to :data:`ERRORS_SHOWN`, and every one of them is in the workbook sent back,
its bad cells filled red. A director imports for their office; an admin, who has none, is pointed to the CLI.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from conversations.copy import render
from conversations.engine.effect_types import Ask
from conversations.flows.flow import FlowId
from conversations.flows.registry import FLOWS
from conversations.messages import Attachment, Reply
from conversations.oversight.export import XLSX
from conversations.oversight.plan_reader import WorkbookRefused
from conversations.oversight.plan_template import errors_workbook, template_workbook
from conversations.service.plan_import import import_plan, may_import
from conversations.service.progress import PROGRESS, Progress
from models.fiscal import fiscal_year_of, local_day
from models.org import Office, User

ERRORS_SHOWN = 20
PROGRESS_EVERY = 100  # projects between two words of progress
TEMPLATE_FILE = "tidtam-template.xlsx"


async def template_reply(now: datetime) -> Reply:
    """The empty template (this fiscal year and the next in its list)."""
    year = fiscal_year_of(local_day(now))
    content = await asyncio.to_thread(template_workbook, FLOWS[FlowId.REGISTER], (year, year + 1))
    return Reply(text=render("imp.template", filename=TEMPLATE_FILE), key="imp.template",
                 attachment=Attachment("document", TEMPLATE_FILE, content, XLSX))


def _say(key: str, **params: object) -> Reply:
    return Reply(text=render(key, **params), key=key)


async def import_replies(ask: Ask, user: User, now: datetime) -> list[Reply]:
    """Import the sent workbook for the sender's office: the outcome, or the errors and the marked workbook."""
    office = await Office.get_or_none(id=user.office_id) if user.office_id else None
    if ask.attachment is None or office is None:
        return [_say("imp.no_office")]
    if not may_import(user, office):  # the engine checked the role; the database has the last word
        return [_say("imp.deciders_only")]
    say = PROGRESS.get()
    progress = Progress(say, lambda done, total: render("imp.progress", done=done, total=total),
                        PROGRESS_EVERY) if say is not None else None
    if say is not None:
        await say(render("imp.received", filename=ask.attachment.filename))
    try:
        outcome = await import_plan(ask.attachment.content, office, user, now, progress=progress)
    except WorkbookRefused as refused:
        return [_say(refused.reason, **refused.params)]
    finally:
        if progress is not None:
            await progress.settled()
    if not outcome.errors:
        return [Reply(text=outcome.summary(), key="imp.done")]
    lines = [error.line() for error in outcome.errors[:ERRORS_SHOWN]]
    if len(outcome.errors) > ERRORS_SHOWN:
        lines.append(render("imp.errors_more", count=len(outcome.errors) - ERRORS_SHOWN))
    marked = await asyncio.to_thread(errors_workbook, ask.attachment.content, outcome.errors)
    name = ask.attachment.filename.rsplit(".", 1)[0] + "-errors.xlsx"
    return [Reply(text=render("imp.errors", count=len(outcome.errors), lines="\n".join(lines)), key="imp.errors"),
            Reply(text=render("imp.errors_file"), key="imp.errors_file",
                  attachment=Attachment("document", name, marked, XLSX))]
