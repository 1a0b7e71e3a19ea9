"""Flows as data: questions, repeat groups, sections; and the checks every flow passes when it is built.

A flow is a tuple of sections of steps. Each question has a stable key (its answer's name), a prompt
copy key, a kind that picks its parser and widget, and the column it is stored in. Adding a question is
adding one ``Question(...)`` line, one copy entry, one column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from conversations.parsers.lines import SPLITTERS


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


def validate(flow: Flow, copy_keys: frozenset[str], sources: frozenset[str], checks: frozenset[str],
             prefills: frozenset[str], notes: frozenset[str] = frozenset()) -> Flow:
    """Check a flow once, at build time; return it unchanged or raise :class:`FlowError` listing every problem.

    Whether those columns exist is the store's to say (:func:`storage_problems`, run by
    ``conversations.service.field_store`` with the tables it writes), so the declarations never load the ORM.
    Checked: unique keys, every copy key present, every option source, check and prefill known, every
    question mapped to a column, every condition on an earlier choice and satisfiable (so that
    every step is reachable), every section non-empty.
    """
    problems: list[str] = []
    _Validator(flow, copy_keys, sources, checks, prefills, notes, problems).run()
    if problems:
        raise FlowError(f"flow {flow.id}:\n  " + "\n  ".join(problems))
    return flow


@dataclass
class _Validator:
    flow: Flow
    copy_keys: frozenset[str]
    sources: frozenset[str]
    checks: frozenset[str]
    prefills: frozenset[str]
    notes: frozenset[str]
    problems: list[str]
    later: tuple[Question, ...] = ()  # the questions after the one being checked, in its group

    def run(self) -> None:
        keys: set[str] = set()
        values: dict[str, set[object]] = {key: set(possible) for key, possible in self.flow.context.items()}
        for question in self.flow.start:
            self.question(question, "start", keys, values)
            self.step_key(question.key, "start")
        section_ids: set[str] = set()
        for section in self.flow.sections:
            if section.id in section_ids:
                self.problems.append(f"{section.id}: duplicate section id")
            section_ids.add(section.id)
            self.copy(section.title, section.id)
            self.copy(section.intro, section.id)
            for fact in section.facts:
                self.copy(f"fact.{fact}", section.id)
                if fact not in self.flow.context:
                    self.problems.append(f"{section.id}: fact {fact!r} is not a known value of the flow")
            if section.when is not None:
                self.condition(section.when, section.id, values)
            if not section.steps:
                self.problems.append(f"{section.id}: has no steps")
            for step in section.steps:
                self.step_key(step.key, section.id)
                if isinstance(step, Question):
                    self.question(step, section.id, keys, values)
                    continue
                self.unique(step.key, section.id, keys)
                if isinstance(step, Evidence):
                    self.copy(step.prompt, section.id)
                if isinstance(step, Group):
                    self.group(step, section.id)
        self.spans()

    def spans(self) -> None:
        """A start date's end is a later date question of the same section; its fiscal year an earlier answer."""
        fiscal_years = set(self.flow.context)
        for scope, scope_steps in (("start", self.flow.start), *((s.id, s.steps) for s in self.flow.sections)):
            for index, step in enumerate(scope_steps):
                if isinstance(step, Question) and step.kind is Kind.FISCAL_YEAR:
                    fiscal_years.add(step.key)
                if not isinstance(step, Question) or step.span is None:
                    continue
                where, span = f"{scope}/{step.key}", step.span
                if step.kind is not Kind.DATE:
                    self.problems.append(f"{where}: only a date question has an end date (span)")
                end = next((later for later in scope_steps[index + 1:] if later.key == span.end), None)
                if not (isinstance(end, Question) and end.kind is Kind.DATE and end.span is None):
                    self.problems.append(f"{where}: span end {span.end!r} is not a later date question of {scope}")
                if span.fiscal_year:
                    self.copy(SPAN_WHOLE_YEAR, where)
                    if span.fiscal_year not in fiscal_years:
                        self.problems.append(f"{where}: span fiscal year {span.fiscal_year!r} is neither an earlier "
                                             "fiscal-year question nor known")

    def copy(self, key: str, where: str) -> None:
        if key and key not in self.copy_keys:
            self.problems.append(f"{where}: copy key {key!r} is missing")

    def step_key(self, key: str, where: str) -> None:
        if not (key.isascii() and key.isidentifier() and len(key) <= STEP_KEY_LIMIT):
            self.problems.append(f"{where}/{key}: a step's key must be an ASCII name of at most {STEP_KEY_LIMIT}")

    def unique(self, key: str, where: str, keys: set[str]) -> None:
        if key in keys:
            self.problems.append(f"{where}/{key}: duplicate key")
        keys.add(key)

    def condition(self, condition: Condition, where: str, values: dict[str, set[object]]) -> None:
        if isinstance(condition, AnswerBelow):
            for key in (condition.key, condition.than):
                if key not in values:
                    self.problems.append(f"{where}: condition on {key!r}, which is neither earlier nor known")
            return
        if condition.key not in values:
            self.problems.append(f"{where}: condition on {condition.key!r}, which is not an earlier choice")
        elif condition.value not in values[condition.key]:
            self.problems.append(f"{where}: unreachable, {condition.key!r} is never {condition.value!r}")

    def question(self, question: Question, scope: str, keys: set[str], values: dict[str, set[object]]) -> None:
        where = f"{scope}/{question.key}"
        self.unique(question.key, scope, keys)
        self.copy(question.prompt, where)
        self.copy(label_key(question), where)
        self.copy(question.help, where)
        self.copy(question.unknown, where)
        self.copy(question.header, where)
        for option in question.options:
            self.copy(option.label, where)
            if not option.value.isascii() or not 0 < len(option.value) <= 24:
                self.problems.append(f"{where}: option value {option.value!r} must be short ASCII")
            for implied, _ in option.implies:
                implied_question = next((later for later in self.later if later.key == implied), None)
                if implied_question is None or implied_question.when is None:
                    self.problems.append(f"{where}: option {option.value!r} implies {implied!r}, which is not a "
                                         "later question asked only sometimes")
        if question.kind in (Kind.CHOICE, Kind.MULTI) and not (question.options or question.source):
            self.problems.append(f"{where}: a choice needs options or a source")
        for name, known, what in ((question.source, self.sources, "option source"),
                                  (question.check, self.checks, "check"),
                                  (question.prefill, self.prefills, "prefill"),
                                  (question.note, self.notes, "note")):
            if name and name not in known:
                self.problems.append(f"{where}: unknown {what} {name!r}")
        if not (question.column or (question.options and all(option.column for option in question.options))):
            self.problems.append(f"{where}: maps to no column")
        if question.when is not None:
            self.condition(question.when, where, values)
        if question.kind is Kind.YES_NO:
            values[question.key] = {True, False}
        elif question.options:
            values[question.key] = {option.value for option in question.options}
        elif question.kind in (Kind.MONEY, Kind.NUMBER):
            values[question.key] = set()  # comparable by AnswerBelow

    def group(self, group: Group, where: str, *, nested: bool = False) -> None:
        self.storage(group, where, nested=nested)
        for key in (group.item, group.summary, group.help):
            self.copy(key, f"{where}/{group.key}")
        if group.bulk:
            if group.bulk not in SPLITTERS:
                self.problems.append(f"{where}/{group.key}: unknown line splitter {group.bulk!r}")
            for key in (f"bulk.{group.bulk}.how", f"bulk.{group.bulk}.format"):
                self.copy(key, f"{where}/{group.key}")
        if group.taken:
            if not group.bulk or group.fixed or nested:
                self.problems.append(f"{where}/{group.key}: taken needs a top-level, not fixed list with bulk")
            else:
                self.copy(f"taken.{group.bulk}.how", f"{where}/{group.key}")
                self.copy(f"taken.{group.bulk}.add", f"{where}/{group.key}")
        if not group.questions:
            self.problems.append(f"{where}/{group.key}: has no questions")
        keys: set[str] = set()
        values: dict[str, set[object]] = {}
        for index, question in enumerate(group.questions):
            self.later = group.questions[index + 1:]
            if question.span is not None:
                self.problems.append(f"{where}/{group.key}/{question.key}: a list item's date has no end date span")
            self.question(question, f"{where}/{group.key}", keys, values)
        self.later = ()
        if group.children is not None:
            self.group(group.children, f"{where}/{group.key}", nested=True)

    def storage(self, group: Group, where: str, *, nested: bool) -> None:
        store = group.store
        if store is None:
            self.problems.append(f"{where}/{group.key}: stored nowhere (declare store=Rows(...) or JsonItems(...))")
        elif isinstance(store, JsonItems):
            if nested:
                self.problems.append(f"{where}/{group.key}: a nested list cannot be a JSON column")
            if len(group.questions) != 1 or group.children is not None:
                self.problems.append(f"{where}/{group.key}: a JSON list holds items of exactly one question")
            if store.keyed_by and not group.fixed:
                self.problems.append(f"{where}/{group.key}: only known (fixed) items can be keyed")
        elif (store.match == "id") == group.fixed:
            self.problems.append(f"{where}/{group.key}: known items match their rows by a foreign key, "
                                 "listed items by id")


@dataclass(frozen=True)
class Tables:
    """The columns a flow's answers may be stored in, as the store reads them off its tables: the main record's
    columns and relations, and each list's item columns by the group's key."""

    columns: frozenset[str]
    group_columns: dict[str, frozenset[str]]


def storage_problems(flow: Flow, tables: Tables) -> list[str]:
    """Every column, JSON column and relation the flow names that its tables do not have, and every list
    whose item columns are unknown."""
    problems: list[str] = []

    def question(item: Question, where: str, columns: frozenset[str]) -> None:
        if item.kind is Kind.QUARTER_PLAN:
            wanted = [f"{item.column}_q{quarter}" for quarter in (1, 2, 3, 4)]
        else:
            wanted = [item.column] if item.column else [option.column for option in item.options if option.column]
        problems.extend(f"{where}/{item.key}: column {column!r} does not exist"
                        for column in wanted if column not in columns)

    def group(item: Group, where: str, *, nested: bool) -> None:
        columns = tables.group_columns.get(item.key)
        if columns is None:
            problems.append(f"{where}/{item.key}: no item columns declared")
            columns = frozenset()
        store = item.store
        if isinstance(store, JsonItems) and store.column not in tables.columns:
            problems.append(f"{where}/{item.key}: JSON column {store.column!r} does not exist")
        elif isinstance(store, Rows) and not nested and store.relation not in tables.columns:
            problems.append(f"{where}/{item.key}: relation {store.relation!r} does not exist")
        for child in item.questions:
            question(child, f"{where}/{item.key}", columns)
        if item.children is not None:
            group(item.children, f"{where}/{item.key}", nested=True)

    for start in flow.start:
        question(start, "start", tables.columns)
    for section in flow.sections:
        for step in section.steps:
            if isinstance(step, Question):
                question(step, section.id, tables.columns)
                continue
            if step.key not in tables.columns:
                problems.append(f"{section.id}/{step.key}: column or relation does not exist")
            if isinstance(step, Group):
                group(step, section.id, nested=False)
    return problems
