"""The words and buttons of each reminder: one function per kind, returning a neutral reply.

Each says what it is about (project, quarter), the due date as officials write it (``15 ม.ค. 2570``) and
how many days remain or have passed; its buttons are link tokens, so they work whatever screen the
recipient is on when they press them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from conversations.copy import render
from conversations.engine.links import APPROVE_ITEM, INBOX, RETURN_ITEM, item_link, project_link, report_link
from conversations.formatting import format_date
from conversations.messages import Choice, ChoiceRole, Reply, ReplyKind
from conversations.oversight.monitoring import QuarterPicture
from conversations.oversight.reminder_stages import Stage, StageKind
from conversations.tokens import link_token
from models.enums import ItemStatus
from models.fiscal import FiscalQuarter
from models.window_rules import QuarterWindow


@dataclass(frozen=True, slots=True)
class Outstanding:
    """One project's report not yet in the director's hands for a quarter."""

    project_id: int
    code: str
    name: str
    owner_name: str
    status: ItemStatus | None  # None: not started


def _button(value: str, key: str) -> Choice:
    return Choice(link_token(value), render(key), role=ChoiceRole.LINK)


def owner_reminder(stage: Stage, window: QuarterWindow, day: date, project_id: int, code: str, name: str,
                   last_day: date) -> Reply:
    """Window opened, due soon, due today or overdue: to the owner, with a button opening the report.

    ``last_day`` is the last day the owner's office may still report (its lock exception, if any).
    """
    period = window.period
    params: dict[str, Any] = {"period": period.label(), "code": code, "name": name, "due": format_date(window.due),
                              "locks": format_date(last_day)}
    if stage.kind is StageKind.OPENED:
        key, days = "remind.window_opened", (window.due - day).days
    elif stage.kind is StageKind.DUE_SOON:
        days = (window.due - day).days
        key = "remind.due_today" if days == 0 else "remind.due_soon"
    else:
        key, days = "remind.overdue", (day - window.due).days
    button = _button(report_link(project_id, period.fiscal_year, period.quarter), "remind.open_report")
    return Reply(text=render(key, days=days, **params), choices=(button,), key=key)


def report_state(status: ItemStatus | None) -> str:
    """Where an outstanding report stands, in words: not started, a draft, or returned for changes."""
    if status is ItemStatus.RETURNED:
        return render("remind.state_returned")
    return render("remind.state_draft" if status is ItemStatus.DRAFT else "remind.state_none")


def director_digest(window: QuarterWindow, day: date, office_name: str, items: Sequence[Outstanding],
                    last_day: date) -> Reply:
    """Every outstanding project of one office for a quarter, in one message."""
    lines = [render("remind.digest_item", code=item.code, name=item.name, owner=item.owner_name,
                    status=report_state(item.status)) for item in sorted(items, key=lambda item: item.code)]
    text = render("remind.digest", period=window.period.label(), office=office_name, due=format_date(window.due),
                  days=(day - window.due).days, locks=format_date(last_day), count=len(items), items="\n".join(lines))
    return Reply(text=text, key="remind.digest", kind=ReplyKind.DIGEST)


def admin_summary(picture: QuarterPicture, day: date, worst_offices: int) -> Reply:
    """The weekly summary: the quarter's counts (the same as ``/status``) and the offices with most outstanding."""
    worst = sorted((office for office in picture.offices if office.pending),
                   key=lambda office: (-office.pending, office.code))[:worst_offices]
    if worst:
        lines = "\n".join(render("remind.admin_office_line", office=office.name, pending=office.pending,
                                  total=office.projects) for office in worst)
        offices = render("remind.admin_offices", lines=lines)
    else:
        offices = render("remind.admin_all_in")
    total = picture.total
    text = render("remind.admin_weekly", period=picture.period.label(), today=format_date(day),
                  due=format_date(picture.window.due), total=total.projects, on_time=total.on_time, late=total.late,
                  approved=total.approved, waiting=total.waiting, returned=total.returned, pending=total.pending,
                  offices=offices)
    return Reply(text=text, key="remind.admin_weekly", kind=ReplyKind.SUMMARY)


def notification(key: str, params: Mapping[str, Any], project_id: int | None, report_id: int | None,
                 period: FiscalQuarter | None) -> Reply:
    """A submission, a decision or a lock exception pushed to the person it concerns, with the buttons that act
    on it."""
    buttons: tuple[Choice, ...] = ()
    if project_id is not None and key.startswith("notify.submitted_"):  # also ``submitted_again_`` (resubmitted)
        kind, item_id = ("report", report_id) if key.endswith("_report") and report_id else ("project", project_id)
        buttons = (_button(item_link(kind, item_id, APPROVE_ITEM), "decide.approve"),
                   _button(item_link(kind, item_id, RETURN_ITEM), "decide.return"),
                   _button(item_link(kind, item_id), "remind.open_item"))
    elif key == "notify.returned_report" and project_id is not None and period is not None:
        buttons = (_button(report_link(project_id, period.fiscal_year, period.quarter), "remind.open_report"),)
    elif key == "notify.exception" and project_id is not None:
        buttons = (_button(report_link(project_id, int(params["fiscal_year"]), int(params["quarter"])),
                           "remind.open_report"),)
    elif key in ("notify.returned_project", "notify.imported_project") and project_id is not None:
        buttons = (_button(project_link(project_id), "remind.open_project"),)
    elif key == "notify.reopened":
        buttons = (_button(INBOX, "remind.open_inbox"),)
    return Reply(text=render(key, **params), choices=buttons, key=key)
