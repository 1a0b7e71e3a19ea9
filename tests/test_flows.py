"""Flow definitions are checked when built; the copy catalog holds every message the code can say."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from tortoise import Tortoise

from conversations.copy import COPY, placeholders, render
from conversations.flows.flow import AnswerIs, FlowError, Group, JsonItems, Kind, Option, Question, Rows, Section
from conversations.flows.registry import FLOWS, REGISTRATION_FLOW, build
from conversations.oversight.export import FILE_KINDS, LABELS
from conversations.service.field_store import PROJECT_RELATIONS, REPORT_RELATIONS, check_tables, relation_of, row_groups
from models.db import Database
from models.enums import FundingSource, ItemStatus, Role
from models.window_rules import QuarterStatus

ROOT = Path(__file__).resolve().parent.parent
LITERAL_KEY = re.compile(r"""(?:render|say|InvalidAnswer)\(\s*["']([a-z0-9_.]+)["']""")


def test_the_flows_are_in_eMENSCR_order() -> None:
    assert [section.id for section in REGISTRATION_FLOW.sections] == ["m1", "m2", "m3", "m4", "m5"]
    assert [section.id for section in FLOWS["report"].sections] == ["r1", "r2", "r3", "r4", "r5", "r6"]
    assert set(FLOWS) == {"register", "report"}
    keys = [question.key for question in REGISTRATION_FLOW.questions()]
    assert len(keys) == len(set(keys))


def _broken(**changes: object) -> str:
    section = REGISTRATION_FLOW.section("m2")
    steps = changes.pop("steps", section.steps)
    flow = dataclasses.replace(REGISTRATION_FLOW, sections=(dataclasses.replace(section, steps=steps),
                                                            *REGISTRATION_FLOW.sections[2:]))
    problems: list[str] = []
    for check in (build, lambda flow: check_tables({flow.id: flow})):  # when built; its columns, as the store checks
        try:
            check(flow)
        except FlowError as error:
            problems.append(str(error))
    assert problems, "the broken flow was accepted"
    return "\n".join(problems)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (Question("name", "reg.name", Kind.TEXT, column="name"), "duplicate key"),
        (Question("x", "reg.nope", Kind.TEXT, column="name"), "copy key 'reg.nope' is missing"),
        (Question("x", "reg.name", Kind.TEXT, column="no_such_column"), "column 'no_such_column' does not exist"),
        (Question("x", "reg.name", Kind.TEXT), "maps to no column"),
        (Question("x", "reg.name", Kind.CHOICE, column="name"), "a choice needs options or a source"),
        (Question("x", "reg.name", Kind.TEXT, column="name", source="nowhere"), "unknown option source"),
        (Question("x", "reg.name", Kind.TEXT, column="name", check="magic"), "unknown check"),
        (Question("x", "reg.name", Kind.TEXT, column="name", when=AnswerIs("uses_budget", "maybe")), "unreachable"),
        (Question("x", "reg.name", Kind.TEXT, column="name", when=AnswerIs("later", True)), "not an earlier choice"),
        (Question("x", "reg.name", Kind.CHOICE, column="name", options=(Option("ไทย", "value.yes"),)),
         "must be short ASCII"),
        (Group("kpis2", "item.kpi", (Question("name", "reg.kpi.name", Kind.TEXT, column="name"),), "sum.kpi",
               store=Rows("kpis")), "no item columns declared"),
        (Group("kpis", "item.kpi", (Question("name", "reg.kpi.name", Kind.TEXT, column="name"),), "sum.kpi"),
         "stored nowhere"),
        (Group("kpis", "item.kpi", (Question("name", "reg.kpi.name", Kind.TEXT, column="name"),), "sum.kpi",
               store=Rows("kpi_rows")), "relation 'kpi_rows' does not exist"),
        (Group("kpis", "item.kpi", (Question("name", "reg.kpi.name", Kind.TEXT, column="name"),), "sum.kpi",
               store=Rows("kpis", match="kpi_id")), "listed items by id"),
        (Group("kpis", "item.kpi", (Question("name", "reg.kpi.name", Kind.TEXT, column="name"),
                                    Question("unit", "reg.kpi.unit", Kind.TEXT, column="unit")), "sum.kpi",
               store=JsonItems("objectives")), "exactly one question"),
        (Group("kpis", "item.kpi", (Question("name", "reg.kpi.name", Kind.TEXT, column="name"),), "sum.kpi",
               store=JsonItems("objectives", keyed_by="code")), "only known (fixed) items can be keyed"),
        (Group("kpis", "item.kpi", (
            Question("unit", "reg.kpi.unit", Kind.CHOICE, column="unit", options=(
                Option("one", "value.yes", implies=(("name", "x"),)),)),
            Question("name", "reg.kpi.name", Kind.TEXT, column="name")), "sum.kpi", store=Rows("kpis")),
         "implies 'name', which is not a later question asked only sometimes"),
        (Question("x", "reg.name", Kind.TEXT, column="name", header="xl.nope"), "copy key 'xl.nope' is missing"),
        (Group("kpis2", "item.kpi", (Question("name", "reg.kpi.name", Kind.TEXT, column="name"),), "sum.kpi",
               store=Rows("kpis"), taken=True), "taken needs a top-level, not fixed list with bulk"),
        (Group("kpis2", "item.kpi", (Question("name", "reg.kpi.name", Kind.TEXT, column="name"),), "sum.kpi",
               store=Rows("kpis"), bulk="kpi", fixed=True, taken=True), "taken needs a top-level, not fixed list"),
    ],
)
def test_a_broken_step_is_refused_when_the_flow_is_built(step: object, message: str) -> None:
    section = REGISTRATION_FLOW.section("m2")
    assert message in _broken(steps=(*section.steps, step))


def test_an_empty_section_is_refused() -> None:
    assert "has no steps" in _broken(steps=())
    empty = Section("m9", "sec.m2", ())
    with pytest.raises(FlowError, match="has no steps"):
        build(dataclasses.replace(REGISTRATION_FLOW, sections=(*REGISTRATION_FLOW.sections, empty)))


async def test_the_relations_the_flow_names_exist_on_the_live_models(database: Database) -> None:
    assert Tortoise.apps is not None
    project = Tortoise.apps["models"]["Project"]
    report = Tortoise.apps["models"]["QuarterReport"]
    assert set(PROJECT_RELATIONS) <= set(project._meta.backward_fk_fields) | set(project._meta.m2m_fields)
    assert set(REPORT_RELATIONS) <= set(report._meta.backward_fk_fields) | set(report._meta.m2m_fields)
    owners = {"register": project, "report": report}
    for flow_id, flow in FLOWS.items():
        for group, store in row_groups(flow):  # every list's rows, and its children's in the same table
            model, _ = relation_of(owners[flow_id], store)
            if group.children is not None:
                assert isinstance(group.children.store, Rows)
                assert relation_of(model, group.children.store)[0] is model
            if store.match != "id":
                assert store.match in model._meta.fields_db_projection, (group.key, store.match)


def test_every_copy_key_the_code_names_exists() -> None:
    used = {key for path in (ROOT / "conversations").rglob("*.py")
            for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 80
    assert sorted(used - set(COPY)) == []


def test_every_copy_family_built_at_run_time_exists() -> None:
    families = [f"status.{status.value}" for status in ItemStatus]
    families += [f"role.{role.value}" for role in Role] + [f"opt.source.{source.value}" for source in FundingSource]
    families += [f"confirm.{action}{suffix}" for action in ("cancel_start", "cancel_draft", "submit")
                 for suffix in ("", ".yes", ".no")]
    families += [f"m1.guide.{kind}" for kind in ("family", "plan", "subplan", "target")]
    families += [f"group.pick.{purpose}" for purpose in ("edit", "remove", "child")]
    families += [f"quarter.{status.value}" for status in QuarterStatus]
    families += [f"{family}.{value.value}" for kind, family in LABELS.items() for value in kind]  # the export's
    families += [f"xl.file.{kind}" for kind in FILE_KINDS]
    assert [key for key in families if key not in COPY] == []


def test_every_message_renders_with_its_own_placeholders() -> None:
    for key in COPY:
        text = render(key, **dict.fromkeys(placeholders(key), "x"))
        assert text.strip(), key
