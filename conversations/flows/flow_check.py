"""The checks every flow passes when it is built (:func:`validate`), and the store's own (:func:`storage_problems`).

Kept apart from the declarations in ``flow`` so that each stays small: a flow that would misbehave (an unknown
copy key, an unreachable step, a list that cannot be stored) fails when it is built, not in a conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.flows.flow import (
    SPAN_WHOLE_YEAR,
    STEP_KEY_LIMIT,
    AnswerBelow,
    Condition,
    Evidence,
    Flow,
    FlowError,
    Group,
    JsonItems,
    Kind,
    Question,
    Rows,
    label_key,
)
from conversations.parsers.lines import SPLITTERS


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
        if group.item_hint:
            if not group.taken:
                self.problems.append(f"{where}/{group.key}: item_hint needs a taken list")
            else:
                self.copy(f"taken.{group.bulk}.another", f"{where}/{group.key}")
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
