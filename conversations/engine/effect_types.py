"""What a turn asks the service to write or answer (a turn's ``effects``), as plain data: the engine stays pure,
``conversations/service/effects.py`` writes them inside the turn's transaction, and a question's answer
(``PendingAnswer``) is made after the turn commits."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.messages import Attachment, Reply


@dataclass(frozen=True, slots=True)
class SaveDraft:
    """Write the state's answers to the project (creating it when the state has no project yet)."""


@dataclass(frozen=True, slots=True)
class SubmitProject:
    """Mark the project submitted for the director's decision."""

    project_id: int


@dataclass(frozen=True, slots=True)
class DeleteDraft:
    """Delete a project that was never submitted."""

    project_id: int


@dataclass(frozen=True, slots=True)
class SubmitReport:
    """Mark the open quarterly report submitted (flagged late after its due date)."""

    report_id: int


@dataclass(frozen=True, slots=True)
class Decide:
    """A director approves or returns a submitted project or report."""

    kind: str  # "project" or "report"
    item_id: int
    approve: bool
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Reopen:
    """The owner asks to change an approved project or report: a new submission round begins."""

    kind: str  # "project" or "report"
    item_id: int


@dataclass(frozen=True, slots=True)
class Withdraw:
    """The owner takes back a submitted project the director has not decided yet, to change it."""

    project_id: int


@dataclass(frozen=True, slots=True)
class CopyProject:
    """A new draft of the user's for ``fiscal_year``, copied from a project they may see (#18)."""

    source_id: int
    fiscal_year: int


@dataclass(frozen=True, slots=True)
class SectionSeen:
    """The owner opened a section of a copied draft: it no longer needs its "copied — check" mark."""

    project_id: int
    section: str


@dataclass(frozen=True, slots=True)
class StoreAttachment:
    """Keep a file sent as evidence with the open report (its entry in the answers is the last one)."""

    attachment: Attachment


@dataclass(frozen=True, slots=True)
class DeleteAttachment:
    """Remove a stored evidence file."""

    attachment_id: int


@dataclass(frozen=True, slots=True)
class KeyedIn:
    """A step of an approved project's or report's eMENSCR pack was keyed into eMENSCR."""

    kind: str  # "project" or "report"
    item_id: int
    step: str  # the pack step's key (``m1.2``, ``m3``, ``r5``…)


@dataclass(frozen=True, slots=True)
class SetEmenscrId:
    """Keep the project's id in eMENSCR (typed by its owner, its office's director or an admin)."""

    project_id: int
    emenscr_id: str


@dataclass(frozen=True, slots=True)
class Ask:
    """A question about the data (status, pending, a project, a search, an export), answered by the service."""

    command: str
    argument: str = ""
    attachment: Attachment | None = None  # the file the question is about (an annual action plan to import)


@dataclass(frozen=True, slots=True)
class PendingAnswer(Reply):
    """Where a question's answer goes among a turn's replies: answered after the turn is committed, so that
    a long export or chart never holds the turn's transaction (and its locks)."""

    ask: Ask | None = None
    user_id: int = 0


Effect = (Ask | SaveDraft | SubmitProject | DeleteDraft | SubmitReport | Decide | Reopen | Withdraw | StoreAttachment
          | DeleteAttachment | KeyedIn | SetEmenscrId | CopyProject
          | SectionSeen)
