"""The screens a conversation can be on; the dialog's declaration (``machine``) gives each its buttons."""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    """Where in the conversation the user is."""

    MENU = "menu"
    START = "start"  # naming a new project
    FORM = "form"  # answering the steps of a section
    HUB = "hub"
    SECTION = "section"  # one section's answers, to edit
    REVIEW = "review"
    PROJECTS = "projects"
    PROJECT = "project"  # one project's card
    CONFIRM = "confirm"
    REPORTS = "reports"  # the owner's quarterly reports, with each quarter's status
    INBOX = "inbox"  # a director's items awaiting a decision
    ITEM = "item"  # one submitted item, to approve or return
    COMMENT = "comment"  # typing why an item is returned
    HISTORY = "history"  # a project's audit trail
    PACK = "pack"  # the eMENSCR copy pack of an approved project or report, one step at a time
    PACK_ID = "pack_id"  # typing the project's eMENSCR id
    COPY = "copy"  # copying an earlier project into a new draft: which project, then which fiscal year
