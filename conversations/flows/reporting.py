"""The quarterly performance report (section M6), declared as data.

What the system already knows is not asked: the project's KPIs with their targets, the activities planned
for the quarter, the linked plans and the quarter's planned spending come with the report as known values
(``Flow.context`` and the fixed lists), and only what happened is asked.
"""

from __future__ import annotations

from conversations.flows.flow import (
    AnswerBelow,
    AnswerIs,
    Evidence,
    Flow,
    FlowId,
    Group,
    JsonItems,
    Kind,
    Option,
    Question,
    Rows,
    Section,
)

FLOW_ID = FlowId.REPORT

R1 = Section("r1", "sec.r1", (
    Question("output_progress", "rep.output", Kind.LONG_TEXT, column="output_progress", max_length=2000,
             help="rep.output.help"),
    Question("outcome_progress", "rep.outcome", Kind.LONG_TEXT, column="outcome_progress", max_length=2000,
             help="rep.outcome.help"),
))

R2 = Section("r2", "sec.r2", (
    Group("kpi_values", "item.kpi_value", (
        Question("value", "rep.kpi.value", Kind.NUMBER, column="value", note="kpi_percent",
                 unknown="value.not_measured", header="xl.value", carried="last_value"),
    ), summary="sum.kpi_value", fixed=True, min_items=0, store=Rows("kpi_values", match="kpi_id")),
), when=AnswerIs("has_kpis", True))

R3 = Section("r3", "sec.r3", (
    Group("activity_progress", "item.activity_progress", (
        Question("state", "rep.activity.state", Kind.CHOICE, column="state", header="xl.activity_state",
                 carried="last_state", options=(
            Option("done", "opt.activity.done", implies=(("percent", 100),)),
            Option("in_progress", "opt.activity.in_progress"),
            Option("not_started", "opt.activity.not_started", implies=(("percent", 0),)))),
        Question("percent", "rep.activity.percent", Kind.PERCENT, column="percent",
                 when=AnswerIs("state", "in_progress"), header="xl.percent", carried="last_percent"),
    ), summary="sum.activity_progress", fixed=True, min_items=0, store=Rows("activity_progress", match="activity_id"),
        batch="progress"),
), when=AnswerIs("has_activities", True))

R4 = Section("r4", "sec.r4", (
    Group("plan_contributions", "item.contribution", (
        Question("text", "rep.contribution", Kind.LONG_TEXT, column="text", max_length=1000,
                 header="xl.contribution", unknown="value.nothing_new", carried="last_text"),
    ), summary="sum.contribution", fixed=True, min_items=0, help="rep.contribution.help",
        store=JsonItems("plan_contributions", keyed_by="link"), same_for_all=True),
), when=AnswerIs("has_links", True))

R5 = Section("r5", "sec.r5", (
    # An actual figure is typed, never prefilled with the plan (one careless tap reported the plan as spent);
    # the plan is in the prompt for reference, and nothing spent yet is one button.
    Question("disbursed_amount", "rep.disbursed", Kind.MONEY, column="disbursed_amount", note="disbursed_share",
             options=(Option("0", "opt.disbursed.none"),), header="xl.disbursed"),
    Question("shortfall_reason", "rep.shortfall", Kind.LONG_TEXT, column="shortfall_reason", max_length=1000,
             when=AnswerBelow("disbursed_amount", "planned_amount"), help="rep.shortfall.help"),
), when=AnswerIs("uses_budget", True), facts=("planned_text",))

R6 = Section("r6", "sec.r6", (
    Question("problems", "rep.problems", Kind.LONG_TEXT, column="problems", max_length=2000, optional=True,
             header="xl.problems", help="rep.problems.help"),  # evidence: sent on the review card, not asked
    Evidence("attachments", "rep.evidence"),
))

# what a director's comment may name (conversations.parsers.mentions) → the step that holds it
MENTIONED = {"kpi": "kpi_values", "activity": "activity_progress", "plan": "plan_contributions",
             "output": "output_progress", "outcome": "outcome_progress", "disbursed": "disbursed_amount",
             "shortfall": "shortfall_reason", "problems": "problems"}

REPORT = Flow(
    id=FLOW_ID,
    start=(),
    sections=(R1, R2, R3, R4, R5, R6),
    context={"uses_budget": frozenset({True, False}), "has_activities": frozenset({True, False}),
             "has_kpis": frozenset({True, False}), "has_links": frozenset({True, False}),
             "planned_amount": frozenset(), "planned_text": frozenset()},
    mentioned=MENTIONED,
)
