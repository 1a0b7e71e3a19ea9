"""Answers ↔ rows as the flow declares them: each question's column, converted by its kind, and each group's
items synced with the rows or the JSON column the group names.

Nothing here knows a field by name: a question added to a flow (with its column) is written and read back
with the rest. ``store.py`` and ``report_store.py`` keep only what is not a question (codes, known context,
derived columns). List items carry the ``id`` of their row once saved, so an edit updates the same row (a
quarterly report may point to a KPI or an activity) instead of replacing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from tortoise.fields.relational import BackwardFKRelation
from tortoise.models import Model

from conversations.engine.questions import applies
from conversations.flows.flow import (
    Flow,
    FlowError,
    FlowId,
    Group,
    JsonItems,
    Kind,
    Question,
    Rows,
    groups,
)
from conversations.flows.flow_check import Tables, storage_problems
from conversations.flows.registry import FLOWS
from conversations.formatting import plain_decimal
from conversations.service.row_writes import unique_key, upsert_rows
from models.project import Activity, BudgetLine, Kpi, Project
from models.report import ActivityProgress, KpiValue, QuarterReport

Answers = dict[str, Any]
Item = dict[str, Any]
QUARTERS = (1, 2, 3, 4)

# Reverse relations are wired only when Tortoise starts, so they are named here; a test checks them against the
# live models.
PROJECT_RELATIONS = frozenset({"plan_links", "kpis", "activities", "budget_lines"})
REPORT_RELATIONS = frozenset({"kpi_values", "activity_progress", "attachments"})


def tables() -> dict[str, Tables]:
    """The columns each flow may store its answers in, read off the models as they are now (a column added to a
    model, as the README's "Adding a question" does, is found without being listed)."""
    activity = frozenset(Activity._meta.fields_map)
    return {
        FlowId.REGISTER: Tables(frozenset(Project._meta.fields_map) | PROJECT_RELATIONS, {
            "objectives": frozenset({"text"}),  # items of the JSON list column Project.objectives
            "kpis": frozenset(Kpi._meta.fields_map),
            "activities": activity,
            "subactivities": activity,
            "budget_lines": frozenset(BudgetLine._meta.fields_map),
        }),
        FlowId.REPORT: Tables(frozenset(QuarterReport._meta.fields_map) | REPORT_RELATIONS, {
            "kpi_values": frozenset(KpiValue._meta.fields_map),
            "activity_progress": frozenset(ActivityProgress._meta.fields_map),
            "plan_contributions": frozenset({"text"}),  # items of the JSON column QuarterReport.plan_contributions
        }),
    }


def check_tables(flows: Mapping[str, Flow]) -> None:
    """Raise :class:`FlowError` naming every column, JSON column or relation a flow declares that its tables
    lack: the flows are declared without the ORM, so this is where a typo in ``column=`` is caught."""
    known = tables()
    problems = [f"flow {flow_id}: {problem}" for flow_id, flow in flows.items()
                for problem in (storage_problems(flow, known[flow_id]) if flow_id in known
                                else ["its tables are not known to the store"])]
    if problems:
        raise FlowError("\n  ".join(problems))
_EMPTY: dict[Kind, Any] = {Kind.MONEY: Decimal(0), Kind.NUMBER: Decimal(0), Kind.QUARTER_PLAN: Decimal(0),
                           Kind.PERCENT: 0, Kind.QUARTERS: [], Kind.MULTI: []}


def columns_of(question: Question) -> tuple[str, ...]:
    """The columns a question is stored in: its column, a quarter plan's four, or a multi-select's options'."""
    if question.kind is Kind.QUARTER_PLAN:
        return tuple(f"{question.column}_q{quarter}" for quarter in QUARTERS)
    if question.column:
        return (question.column,)
    return tuple(option.column for option in question.options)


def _to_column(model: type[Model], column: str, question: Question, value: Any) -> Any:
    if value is None:
        return _empty(model, column, question)
    enum_type = getattr(model._meta.fields_map[column], "enum_type", None)
    if enum_type is not None:
        return enum_type(value)
    if question.kind is Kind.DATE:
        return date.fromisoformat(value)
    if question.kind in (Kind.MONEY, Kind.NUMBER, Kind.QUARTER_PLAN):
        return Decimal(str(value))
    if question.kind is Kind.PERCENT:
        return int(value)
    return list(value) if isinstance(value, list) else value


def _empty(model: type[Model], column: str, question: Question) -> Any:
    """What an unanswered question leaves in its column: NULL where allowed, else the column's default, else
    the kind's zero (a choice: its first option)."""
    field = model._meta.fields_map[column]
    if field.null:
        return None
    if field.default is not None:
        return field.default() if callable(field.default) else field.default
    if question.kind is Kind.CHOICE and question.options:
        return _to_column(model, column, question, question.options[0].value)
    return _EMPTY.get(question.kind, "")


def column_values(model: type[Model], question: Question, answer: Any) -> dict[str, Any]:
    """The values a question's answer (``None``: unanswered) puts in its columns."""
    if question.kind is Kind.MULTI and not question.column:
        chosen = set(answer or [])
        return {option.column: option.value in chosen for option in question.options}
    if question.kind is Kind.QUARTER_PLAN:
        plan = answer if answer is not None else [None] * len(QUARTERS)
        return {column: _to_column(model, column, question, value)
                for column, value in zip(columns_of(question), plan, strict=True)}
    return {question.column: _to_column(model, question.column, question, answer)}


def row_values(model: type[Model], questions: Iterable[Question], answers: Answers) -> dict[str, Any]:
    """Every column the questions write for these answers.

    A question that does not apply (a shortfall reason once the amount is on plan) is stored empty, unless a
    choice implies its answer (an activity done is 100%) or another question shares its column and applies
    (a budget line's agency or province).
    """
    questions = tuple(questions)
    asked = {question.key: answers.get(question.key) for question in questions if applies(question.when, answers)}
    for question in questions:
        for option in question.options:
            if question.key in asked and option.value == asked[question.key]:
                for key, value in option.implies:
                    asked.setdefault(key, value)
    values: dict[str, Any] = {}
    for question in questions:
        if question.key in asked:
            values.update(column_values(model, question, asked[question.key]))
    for question in questions:
        if question.key not in asked:
            for column, value in column_values(model, question, None).items():
                values.setdefault(column, value)
    return values


def _to_answer(question: Question, value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_decimal(value) if question.kind is Kind.NUMBER else str(value)
    return list(value) if isinstance(value, list) else value


def answer_of(question: Question, row: Model) -> Any:
    """A question's answer as stored in a row (the engine's form: ISO dates, decimals as text)."""
    if question.kind is Kind.MULTI and not question.column:
        return [option.value for option in question.options if getattr(row, option.column)]
    if question.kind is Kind.QUARTER_PLAN:
        return [_to_answer(question, getattr(row, column)) for column in columns_of(question)]
    return _to_answer(question, getattr(row, question.column))


def write_record(flow: Flow, record: Model, answers: Answers) -> None:
    """Put every top-level answer and every JSON-stored group into the record (not saved yet)."""
    for column, value in row_values(type(record), flow.questions(), answers).items():
        setattr(record, column, value)
    for group in groups(flow):
        if isinstance(group.store, JsonItems):
            setattr(record, group.store.column, _json_items(group, group.store, answers.get(group.key) or []))


def _json_items(group: Group, store: JsonItems, items: list[Item]) -> Any:
    [question] = group.questions
    if store.keyed_by:
        # an item passed as "nothing new" (None) is kept as null, so that it is not asked again
        return {item[store.keyed_by]: item[question.key] for item in items
                if item.get(question.key) or (question.key in item and question.unknown)}
    return [item.get(question.key) for item in items]


def read_record(flow: Flow, record: Model, answers: Answers, *, empty_optional_is_skipped: bool) -> None:
    """Add the record's top-level answers and JSON-stored groups to ``answers`` (unanswered ones stay absent;
    an empty optional one is ``None``, passed, when ``empty_optional_is_skipped``)."""
    for question in flow.questions():
        value = answer_of(question, record)
        if value in (None, "", []):
            if question.optional and empty_optional_is_skipped:
                answers[question.key] = None
            continue
        answers[question.key] = value
    for group in groups(flow):
        store = group.store
        if not isinstance(store, JsonItems):
            continue
        [question] = group.questions
        stored = getattr(record, store.column) or ([] if not store.keyed_by else {})
        if store.keyed_by:
            for item in answers.get(group.key, []):
                if item[store.keyed_by] in stored:
                    item[question.key] = stored[item[store.keyed_by]]
        elif stored:
            answers[group.key] = [{question.key: value} for value in stored]


def relation_of(owner: type[Model], store: Rows) -> tuple[type[Model], str]:
    """The row model of a reverse relation and the column of its rows that points to the owner."""
    relation = owner._meta.fields_map[store.relation]
    if not isinstance(relation, BackwardFKRelation):
        raise TypeError(f"{owner.__name__}.{store.relation} is not a list of rows")
    return relation.related_model, relation.relation_field


def _nesting(model: type[Model], group: Group) -> str | None:
    """The column of ``model`` naming an item's parent when the group's children are rows of the same table."""
    if group.children is None or not isinstance(group.children.store, Rows):
        return None
    child_model, parent_column = relation_of(model, group.children.store)
    if child_model is not model:
        raise TypeError(f"{group.key}: children are stored in the parent's table, {model.__name__}")
    return parent_column


def row_groups(flow: Flow) -> Iterator[tuple[Group, Rows]]:
    """The groups stored as rows, with their storage."""
    for group in groups(flow):
        if isinstance(group.store, Rows):
            yield group, group.store


def _item(group: Group, row: Model, item: Item | None = None) -> Item:
    """An item's answers from its row, added to ``item`` (a known item), else to a new item with the row's id."""
    item = {"id": row.pk} if item is None else item
    for question in group.questions:
        if applies(question.when, item):
            item[question.key] = answer_of(question, row)
    return item


async def read_rows(flow: Flow, record: Model, answers: Answers) -> None:
    """Add the groups stored as rows: a list's items (with their ids and children), or the answers of known
    items (a report's KPIs) that have a row."""
    for group, store in row_groups(flow):
        model, owner_column = relation_of(type(record), store)
        rows = await model.filter(**{owner_column: record.pk})
        if store.match != "id":
            found = {getattr(row, store.match): row for row in rows}
            for item in answers.get(group.key, []):
                row = found.get(item[store.match])
                if row is not None:
                    _item(group, row, item)
            continue
        parent_column = _nesting(model, group)
        if parent_column is None or group.children is None:
            items = [_item(group, row) for row in rows]
        else:
            children = group.children
            items = [_item(group, top) | {children.key: [_item(children, row) for row in rows
                                                         if getattr(row, parent_column) == top.pk]}
                     for top in rows if getattr(top, parent_column) is None]
        if items:
            answers[group.key] = items


async def save_rows(flow: Flow, record: Model, answers: Answers, changed: set[str]) -> None:
    """Bring the rows of every group up to date: a changed list's rows (added, updated, removed, in order; a
    new row's id goes into its item), and the row of each answered known item."""
    for group, store in row_groups(flow):
        model, owner_column = relation_of(type(record), store)
        items = answers.get(group.key, [])
        if group.key not in changed:  # its rows are as this conversation last saved them
            continue
        if store.match != "id":
            await _save_known(group, store, model, {owner_column: record.pk}, items)
        else:
            await _save_list(group, model, {owner_column: record.pk}, items)


async def _save_known(group: Group, store: Rows, model: type[Model], owner: dict[str, Any],
                      items: list[Item]) -> None:
    answered = [item for item in items if any(question.key in item for question in group.questions)]
    if not answered:  # nothing to write: the rows are not even read
        return
    key = [*owner, store.match]
    if unique_key(model, key):  # one statement: each row inserted, or updated where a value differs
        await upsert_rows(model, key, [owner | {store.match: item[store.match]}
                                       | row_values(model, group.questions, item) for item in answered])
        return
    stored = {getattr(row, store.match): row for row in await model.filter(**owner)}
    for item in answered:
        values = row_values(model, group.questions, item)
        row = stored.get(item[store.match])
        # the rows were just read in this turn's transaction: the one found is updated, a missing one created
        # (what ``update_or_create`` did with a savepoint and a second read of the row)
        if row is None:
            await model.create(**owner, **{store.match: item[store.match]}, **values)
        elif any(getattr(row, column) != value for column, value in values.items()):
            row.update_from_dict(values)
            await row.save()


async def _save_list(group: Group, model: type[Model], owner: dict[str, Any], items: list[Item]) -> None:
    existing = {row.pk: row for row in await model.filter(**owner)}
    parent_column = _nesting(model, group)
    kept: set[Any] = set()

    async def upsert(level: Group, item: Item, position: int, parent: dict[str, Any]) -> Model:
        values = owner | parent | row_values(model, level.questions, item)
        if "position" in model._meta.fields_map:
            values["position"] = position
        row = existing.get(item.get("id") or -1)
        if row is None:
            row = await model.create(**values)
            item["id"] = row.pk
        elif any(getattr(row, column) != value for column, value in values.items()):
            row.update_from_dict(values)
            await row.save()
        kept.add(row.pk)
        return row

    for position, item in enumerate(items):
        top = await upsert(group, item, position, {parent_column: None} if parent_column else {})
        if parent_column and group.children is not None:
            for sub_position, child in enumerate(item.get(group.children.key, [])):
                await upsert(group.children, child, sub_position, {parent_column: top.pk})
    if parent_column:  # children first: a parent row cannot go while its children point to it
        await model.filter(**owner, **{f"{parent_column}__isnull": False}).exclude(id__in=kept or {0}).delete()
    await model.filter(**owner).exclude(id__in=kept or {0}).delete()


check_tables(FLOWS)  # once, when the store is loaded: before any answer is written
