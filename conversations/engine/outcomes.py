"""What the service found when it carried out a turn's effects, and what changed under a conversation meanwhile.

The engine decides what to do; only the database knows whether it happened. The service's effect runner answers
each effect with one of these typed outcomes, and ``conclude`` (a second pure pass) turns them into what the
person reads and the state to keep. ``ItemChanged`` is the same idea before a turn: the open item changed
elsewhere (another chat, a director), and ``apply_change`` brings the conversation in line with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conversations.engine.effect_types import Ask


@dataclass(frozen=True, slots=True)
class ItemChanged:
    """The open project or report changed elsewhere since this conversation last wrote it.

    With ``answers`` it is still the person's to edit (its stored answers replace the session's); without, it is
    gone or no longer editable and the conversation goes back to the menu. ``notice`` is said at the next turn.
    """

    answers: dict[str, Any] | None
    status: str = ""
    synced: str = ""
    notice: str = ""
    copied: dict[str, Any] | None = None  # a copy's marks as stored, when they differ from the conversation's


@dataclass(frozen=True, slots=True)
class Answering:
    """A question about the data, answered after the turn is committed (in its place among the replies)."""

    ask: Ask


@dataclass(frozen=True, slots=True)
class ProjectSaved:
    """The draft's answers were written (the project created when ``created``), as stored."""

    project_id: int
    code: str
    answers: dict[str, Any]
    synced: str  # the project's updated_at after the write
    created: bool = False


@dataclass(frozen=True, slots=True)
class ReportSaved:
    """The open report's answers were written (the report created on its first save), as stored."""

    report_id: int
    answers: dict[str, Any]
    synced: str


@dataclass(frozen=True, slots=True)
class Submitted:
    """The project was submitted for the director's decision."""

    code: str


@dataclass(frozen=True, slots=True)
class SubmitRefused:
    """The project or report could not be submitted: it is no longer editable (``status`` says what it is)."""

    status: str


@dataclass(frozen=True, slots=True)
class ReportSubmitted:
    """The quarterly report was submitted."""

    code: str
    fiscal_year: int
    quarter: int


@dataclass(frozen=True, slots=True)
class ReportClosed:
    """The report's window closed since the conversation opened it: nothing more of it was written."""


@dataclass(frozen=True, slots=True)
class Deleted:
    """The never-submitted draft was deleted."""


@dataclass(frozen=True, slots=True)
class DeleteRefused:
    """The draft was not deleted: it has been submitted (meanwhile, or before and then taken back), so it is kept
    for the record; said, as the person had confirmed a deletion."""


@dataclass(frozen=True, slots=True)
class Decided:
    """The director's decision landed; ``told`` says how the owner will hear of it."""

    kind: str  # "project" or "report"
    item_id: int
    code: str
    approve: bool
    told: str
    period: tuple[int, int] | None = None  # a report's (fiscal year, quarter)


@dataclass(frozen=True, slots=True)
class DecisionRefused:
    """The item no longer awaits a decision, or is no longer the decider's."""

    kind: str
    item_id: int


@dataclass(frozen=True, slots=True)
class Reopened:
    """The approved item is open to changes again: a new submission round began."""

    kind: str
    item_id: int
    code: str
    period: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """The submitted project is the owner's to change again; the director no longer has it waiting."""

    code: str
    taken: bool  # False: nothing changed (see status, mine)
    status: str = ""  # its status now: what it became, or why it was not taken (decided, taken back already)
    mine: bool = True  # False: the person is not its owner (a stale card of a project that changed hands)


@dataclass(frozen=True, slots=True)
class AttachmentStored:
    """The evidence file just received is kept, under this id (its entry is the last of the answers')."""

    attachment_id: int


@dataclass(frozen=True, slots=True)
class AttachmentDeleted:
    """A stored evidence file was removed."""

    attachment_id: int


@dataclass(frozen=True, slots=True)
class PackKeyed:
    """A step of the eMENSCR pack is recorded as keyed in; ``keyed`` are all the item's steps keyed in now."""

    kind: str
    item_id: int
    step: str
    keyed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EmenscrIdSet:
    """The project's eMENSCR id is kept."""

    project_id: int
    code: str
    emenscr_id: str


@dataclass(frozen=True, slots=True)
class PackRefused:
    """Nothing of the pack was recorded: the item is not approved (any more), or not the person's to record."""


@dataclass(frozen=True, slots=True)
class ProjectCopied:
    """A new draft was copied from ``source``, as stored, with the marks its hub shows until each is seen."""

    project_id: int
    code: str
    source: str
    fiscal_year: int
    years: int  # how many years the dates moved
    answers: dict[str, Any]
    synced: str
    copied: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CopyRefused:
    """The project to copy does not exist, or the user may not see it (another office's), or may not own drafts."""


@dataclass(frozen=True, slots=True)
class SubmitUnseen:
    """A copied draft was not submitted: these sections (ids) were never opened since the copy."""

    sections: tuple[str, ...]


Outcome = (Answering | ProjectSaved | ReportSaved | Submitted | SubmitRefused | ReportSubmitted | ReportClosed
           | Deleted | DeleteRefused | Decided | DecisionRefused | Reopened | Withdrawn | AttachmentStored
           | AttachmentDeleted
           | PackKeyed | EmenscrIdSet | PackRefused
           | ProjectCopied | CopyRefused | SubmitUnseen)
