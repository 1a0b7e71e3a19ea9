"""Flows as data: questions, repeat groups, sections (the checks every flow passes when it is built are in
``flow_check``).

A flow is a tuple of sections of steps. Each question has a stable key (its answer's name), a prompt
copy key, a kind that picks its parser and widget, and the column it is stored in. Adding a question is
adding one ``Question(...)`` line, one copy entry, one column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a question is asked and parsed."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTI = "multi"
    YES_NO = "yes_no"
    DATE = "date"
    MONEY = "money"
    NUMBER = "number"
    PERCENT = "percent"
    EMAIL = "email"
    PHONE = "phone"
    QUARTERS = "quarters"
    QUARTER_PLAN = "quarter_plan"
    FISCAL_YEAR = "fiscal_year"



class FlowId(StrEnum):
    """The flows, named once: a conversation's saved state and every lookup of a flow use these."""

    REGISTER = "register"
    REPORT = "report"

@dataclass(frozen=True, slots=True)
class Option:
    """A fixed answer of a choice question: ASCII ``value`` stored, ``label`` a copy key shown.

    On a multi-select whose answers are boolean columns, ``column`` names the column set by this option.
    """

    value: str
    label: str
    column: str = ""
    # answers this choice implies, stored although their questions are then not asked: ("percent", 100)
    implies: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class AnswerIs:
    """Skip logic: the step is asked only when an earlier answer (``key``) equals ``value``."""

    key: str
    value: object


@dataclass(frozen=True, slots=True)
class AnswerBelow:
    """Skip logic: the step is asked only when the answer ``key`` is below the known amount ``than``."""

    key: str
    than: str


Condition = AnswerIs | AnswerBelow


@dataclass(frozen=True, slots=True)
class DateSpan:
    """On a start date: its end date (the later question ``end``) may be given with it, typed as a range in one
    message or, when the fiscal year (the answer ``fiscal_year``) is known, as the whole year in one tap; the end
    question is then answered too and not asked. Most projects run the whole fiscal year: one input, not two."""

    end: str
    fiscal_year: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """One question; its answer is stored under ``key`` and in ``column`` of the record it belongs to."""

    key: str
    prompt: str
    kind: Kind
    column: str = ""
    options: tuple[Option, ...] = ()
    source: str = ""  # name of a dynamic option source, e.g. "provinces"
    optional: bool = False
    when: Condition | None = None
    max_length: int = 500
    check: str = ""  # name of a cross-field check, e.g. "end_after_start"
    prefill: str = ""  # name of a prefill source, e.g. "director.name"
    help: str = ""  # copy key of an example shown under the prompt
    note: str = ""  # name of a note added to the echo, e.g. "kpi_percent"
    # copy key of "not known yet" ("ยังไม่ได้วัด"): its button, its words typed and /skip store no value (None),
    # shown in these words wherever the answer is shown, so it is never mistaken for (or counted as) 0
    unknown: str = ""
    near: bool = False  # a typed answer like one of the options (its start, a typo) is matched and confirmed
    accepts: str = ""  # a text narrower than its kind, parsed so: "province" (one of the 77, by name)
    # copy key of the export's column header when a sheet needs other words than the label (a unit, a column
    # two questions share); a QUARTER_PLAN's header takes {quarter}. Default: the label.
    header: str = ""
    # the known item key holding last quarter's answer ("last_value"): shown, and one tap ("เหมือนไตรมาสก่อน")
    # takes it (with the item's later questions that carry theirs: an activity's state and its percentage)
    carried: str = ""
    # False: a value its ``prefill`` knows (the director's e-mail from the people records) is taken without asking,
    # listed when its section is done and shown on the review card, where it is changed like any answer
    ask_known: bool = True
    span: DateSpan | None = None  # a start date that may carry its end date (see DateSpan)


@dataclass(frozen=True, slots=True)
class Rows:
    """A group stored as rows of the record's reverse relation ``relation``, one row per item.

    ``match`` is the item key that finds an item's row again: ``id`` (the row's own id: the list owns its rows,
    adds and removes them), or a foreign key of a known item (a report's ``kpi_id``: one row per answered item).
    """

    relation: str
    match: str = "id"


@dataclass(frozen=True, slots=True)
class JsonItems:
    """A group stored in one JSON column of the record: the list of each item's one answer or, ``keyed_by`` an
    item key of known items, a map from that key to the answer."""

    column: str
    keyed_by: str = ""


Storage = Rows | JsonItems

ITEM_HINT_STRUCTURED = "structured"  # Group.item_hint: a line the list's splitter reads as a whole item


@dataclass(frozen=True, slots=True)
class Group:
    """A repeat group: a list of items, each answering ``questions``; ``children`` nests one level."""

    key: str
    item: str  # copy key naming one item, e.g. "ตัวชี้วัด"
    questions: tuple[Question, ...]
    summary: str  # copy key rendering one item in lists
    min_items: int = 1
    children: Group | None = None
    help: str = ""
    totals: bool = False  # show money totals under the list (budget lines)
    fixed: bool = False  # the items are known (a report's KPIs): answer each, no adding or removing
    store: Storage | None = None  # where the items are kept (required; checked when the flow is built)
    # the name of a line splitter (conversations/parsers/lines.py): the whole list may be typed in one message,
    # one item a line, shown as a card to confirm; its copy "bulk.<name>.how" and "bulk.<name>.format"
    bulk: str = ""
    batch: str = ""  # a fixed list answered in one message too: "progress" (``1.1 เสร็จ, 1.2 60%``)
    same_for_all: bool = False  # a fixed list of one text each: one text may answer every item
    # an empty list typed in one message (every line valid) is stored at once, echoed with ➕/✏️, and the form moves
    # on (``engine/taken.py``); needs ``bulk``, its copy "taken.<bulk>.how" and ".add"; never a fixed list
    taken: bool = False
    # a text typed at the question after the list was taken that may be another item of it, asked about before
    # it is stored (``engine/taken_guard.py``): the words such an item starts with ("เพื่อ"), or
    # ``ITEM_HINT_STRUCTURED``: a line the list's ``bulk`` splitter reads as a whole item (``looks_structured``)
    item_hint: str = ""


@dataclass(frozen=True, slots=True)
class PlanLinks:
    """Section M1's plan-linkage widget: browse or search the catalog, several links allowed."""

    key: str
    required_levels: tuple[int, ...] = (1, 2)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Photos or documents sent as evidence (optional), up to ``max_files``."""

    key: str
    prompt: str
    max_files: int = 5


Step = Question | Group | PlanLinks | Evidence


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a flow (M1…M5), asked only ``when`` its condition holds."""

    id: str
    title: str
    steps: tuple[Step, ...]
    when: Condition | None = None
    intro: str = ""
    facts: tuple[str, ...] = ()  # known values shown with the section (label: copy key "fact.<key>")


# A step's key names it in saved conversations and in edit buttons ("e.KEY" on the section view, "n.KEY" on the
# review), so it is short ASCII: with the prompt number it stays within every token (tokens.MAX_TOKEN_BYTES).
STEP_KEY_LIMIT = 40
SPAN_WHOLE_YEAR = "opt.date.whole_year"  # copy key of a date span's button: the whole fiscal year


@dataclass(frozen=True, slots=True)
class Flow:
    """A flow: its start questions and sections. Saved conversations name its steps by key, so it changes (a
    question added, moved or removed) without a version: a position whose step is gone is sent to the hub."""

    id: str
    start: tuple[Question, ...]
    sections: tuple[Section, ...]
    context: dict[str, frozenset[object]] = field(default_factory=dict)  # known values -> their possible values
    # what a director's comment may name (conversations.parsers.mentions kinds) -> the step key that holds it
    mentioned: dict[str, str] = field(default_factory=dict)

    def section(self, section_id: str) -> Section:
        """The section with that id."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def questions(self) -> Iterator[Question]:
        """Every top-level question of the flow (not those inside groups), in order."""
        yield from self.start
        for section in self.sections:
            yield from (step for step in section.steps if isinstance(step, Question))


def label_key(question: Question) -> str:
    """The copy key of a question's short label (for cards and lists): its prompt key + ``.label``."""
    return f"{question.prompt}.label"


def header_key(question: Question) -> str:
    """The copy key of a question's column header in the export: its ``header``, else its label."""
    return question.header or label_key(question)


def steps(flow: Flow) -> Iterator[Step]:
    """Every step of the flow, start questions first, in order."""
    yield from flow.start
    for section in flow.sections:
        yield from section.steps


def groups(flow: Flow) -> Iterator[Group]:
    """Every top-level repeat group of the flow, in order (children are reached through their parent)."""
    yield from (step for step in steps(flow) if isinstance(step, Group))


class FlowError(ValueError):
    """A flow definition that would misbehave; raised when the flow is built."""
