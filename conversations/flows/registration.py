"""The project registration flow, sections M1–M5, declared as data.

To add a question: add one ``Question(...)`` line here, its prompt to ``conversations/copy/registration.py``,
and its column to ``models/project.py`` (then ``tortoise makemigrations``). The flow is validated when built,
and its columns when the store loads (``conversations/service/field_store.py``).
"""

from __future__ import annotations

from conversations.flows.flow import (
    ITEM_HINT_STRUCTURED,
    AnswerIs,
    DateSpan,
    Flow,
    FlowId,
    Group,
    JsonItems,
    Kind,
    Option,
    PlanLinks,
    Question,
    Rows,
    Section,
)

FLOW_ID = FlowId.REGISTER

START = (
    Question("name", "reg.name", Kind.TEXT, column="name", max_length=500, help="reg.name.help"),
    Question("fiscal_year", "reg.fiscal_year", Kind.FISCAL_YEAR, column="fiscal_year", source="fiscal_years"),
)

M1 = Section("m1", "sec.m1", (PlanLinks("plan_links", required_levels=(1, 2)),), intro="m1.intro")

M2 = Section("m2", "sec.m2", (
    Question("project_type", "reg.project_type", Kind.CHOICE, column="project_type", options=(
        Option("project", "opt.type.project"), Option("routine", "opt.type.routine"))),
    Question("budget_plan", "reg.budget_plan", Kind.TEXT, column="budget_plan", max_length=300,
             source="budget_plans", help="reg.budget_plan.help", near=True),
    Question("uses_budget", "reg.uses_budget", Kind.YES_NO, column="uses_budget", note="budget_kept"),
    Question("methods", "reg.methods", Kind.MULTI, options=(
        Option("self", "opt.method.self", column="method_self"),
        Option("contract", "opt.method.contract", column="method_contract"))),
    # the contacts come from the people records when the project starts (issue 17): asked only when not known,
    # listed when M2 is done and changed from its view or the review card like any answer
    Question("director_name", "reg.director_name", Kind.TEXT, column="director_name", max_length=255,
             prefill="director.name", ask_known=False),
    Question("director_email", "reg.director_email", Kind.EMAIL, column="director_email", prefill="director.email",
             ask_known=False),
    Question("director_phone", "reg.director_phone", Kind.PHONE, column="director_phone", prefill="director.phone",
             ask_known=False),
    Question("owner_name", "reg.owner_name", Kind.TEXT, column="owner_name", max_length=255, prefill="owner.name",
             header="xl.owner_name", ask_known=False),
    Question("owner_email", "reg.owner_email", Kind.EMAIL, column="owner_email", prefill="owner.email",
             ask_known=False),
    Question("owner_phone", "reg.owner_phone", Kind.PHONE, column="owner_phone", prefill="owner.phone",
             ask_known=False),
))

ACTIVITY_QUESTIONS = (
    Question("name", "reg.activity.name", Kind.TEXT, column="name", max_length=500),
    Question("quarters", "reg.activity.quarters", Kind.QUARTERS, column="quarters", check="quarters_in_project",
             header="xl.quarters"),
)
SUBACTIVITY_QUESTIONS = (
    Question("name", "reg.subactivity.name", Kind.TEXT, column="name", max_length=500),
    Question("quarters", "reg.subactivity.quarters", Kind.QUARTERS, column="quarters", check="quarters_in_parent"),
)

M3 = Section("m3", "sec.m3", (
    Question("rationale", "reg.rationale", Kind.LONG_TEXT, column="rationale", max_length=2000,
             help="reg.rationale.help"),
    Group("objectives", "item.objective", (
        Question("text", "reg.objective", Kind.TEXT, column="text", max_length=500, help="reg.objective.help"),
    ), summary="sum.objective", store=JsonItems("objectives"), bulk="objective", taken=True,
          item_hint="เพื่อ"),
    Question("output_target", "reg.output_target", Kind.LONG_TEXT, column="output_target", max_length=1000,
             help="reg.output_target.help"),
    Question("outcome_target", "reg.outcome_target", Kind.LONG_TEXT, column="outcome_target", max_length=1000,
             help="reg.outcome_target.help"),
    Group("kpis", "item.kpi", (
        Question("name", "reg.kpi.name", Kind.TEXT, column="name", max_length=500, help="reg.kpi.name.help"),
        Question("unit", "reg.kpi.unit", Kind.TEXT, column="unit", max_length=64, source="kpi_units"),
        Question("target_value", "reg.kpi.target", Kind.NUMBER, column="target_value"),
    ), summary="sum.kpi", store=Rows("kpis"), bulk="kpi", taken=True,
          item_hint=ITEM_HINT_STRUCTURED),
    Question("target_groups", "reg.target_groups", Kind.LONG_TEXT, column="target_groups", max_length=1000),
    Question("provinces", "reg.provinces", Kind.MULTI, column="provinces", source="provinces",
             prefill="office.province", ask_known=False),  # the office's province, listed when M3 is done
    Question("area_detail", "reg.area_detail", Kind.TEXT, column="area_detail", max_length=500, optional=True,
             header="xl.area_detail"),
    Question("start_date", "reg.start_date", Kind.DATE, column="start_date", check="start_in_fiscal_year",
             header="xl.start_date", span=DateSpan("end_date", fiscal_year="fiscal_year")),
    Question("end_date", "reg.end_date", Kind.DATE, column="end_date", check="end_after_start"),
))

M4 = Section("m4", "sec.m4", (
    Group("activities", "item.activity", ACTIVITY_QUESTIONS, summary="sum.activity", help="reg.activities.help",
          store=Rows("activities"), bulk="activity", taken=True, item_hint=ITEM_HINT_STRUCTURED,
          children=Group("subactivities", "item.subactivity", SUBACTIVITY_QUESTIONS, summary="sum.activity",
                         min_items=0, store=Rows("children"))),
))

M5 = Section("m5", "sec.m5", (
    Group("budget_lines", "item.budget_line", (
        Question("source", "reg.budget.source", Kind.CHOICE, column="source", options=(
            Option("direct", "opt.source.direct"), Option("via_agency", "opt.source.via_agency"),
            Option("province", "opt.source.province"))),
        Question("agency", "reg.budget.agency", Kind.TEXT, column="source_agency", max_length=255,
                 when=AnswerIs("source", "via_agency"), header="xl.source_agency"),
        Question("province", "reg.budget.province", Kind.TEXT, column="source_agency", max_length=255,
                 accepts="province", when=AnswerIs("source", "province"), prefill="office.province"),
        Question("expense_category", "reg.budget.category", Kind.CHOICE, column="expense_category", options=(
            Option("operating", "opt.cat.operating"), Option("investment", "opt.cat.investment"),
            Option("subsidy", "opt.cat.subsidy"), Option("personnel", "opt.cat.personnel"),
            Option("other", "opt.cat.other"), Option("central", "opt.cat.central"))),
        Question("amount", "reg.budget.amount", Kind.MONEY, column="amount", check="positive_amount",
                 header="xl.amount"),
        Question("plan", "reg.budget.plan", Kind.QUARTER_PLAN, column="plan", check="plan_matches_amount",
                 header="xl.plan_quarter"),
    ), summary="sum.budget_line", totals=True, store=Rows("budget_lines"), bulk="budget", taken=True,
          item_hint=ITEM_HINT_STRUCTURED),
), when=AnswerIs("uses_budget", True), intro="m5.intro")

REGISTRATION = Flow(
    id=FLOW_ID,
    start=START,
    sections=(M1, M2, M3, M4, M5),
)
