"""The self-check before approval, on the scenarios' Projects A and B as the engine holds them, and on the ways
real projects fail NESDC's screening: no Y1 target, statements copied into one another, KPIs without a unit,
quarters with no activity, a budget that is mostly investment, a project to repair a building."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from conversations.catalog_view import CatalogView, PlanItem
from conversations.engine.self_check import Check, Finding, Level, comparable, near_copies, self_check
from conversations.engine.self_check_view import findings_text
from models.catalog import default_catalog_path, read_catalog

PROJECT_A: dict[str, Any] = {
    "name": "โครงการยกระดับความสามารถด้านการอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1–3",
    "fiscal_year": 2570, "project_type": "project",
    "budget_plan": "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์", "uses_budget": True,
    "methods": ["self", "contract"],
    "rationale": "ผลการประเมินความสามารถด้านการอ่านของนักเรียนชั้นประถมศึกษาปีที่ 1 ปีการศึกษาที่ผ่านมา พบว่านักเรียน"
                 "ร้อยละ 31 ยังอ่านออกเขียนได้ไม่ตามเกณฑ์ โดยเฉพาะโรงเรียนขนาดเล็กในพื้นที่ห่างไกล",
    "objectives": [
        {"text": "เพื่อพัฒนาครูผู้สอนภาษาไทยชั้น ป.1–3 จำนวน 240 คน ให้จัดการเรียนรู้การอ่านเขียนได้อย่างมีประสิทธิภาพ"},
        {"text": "เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียนชั้น ป.1–3"},
    ],
    "output_target": "นักเรียนชั้น ป.1–3 จำนวน 4,200 คน ในโรงเรียน 120 แห่ง ได้รับการพัฒนา",
    "outcome_target": "นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์ระดับชั้น",
    "target_groups": "นักเรียนชั้นประถมศึกษาปีที่ 1–3 และครูผู้สอน",
    "provinces": ["เชียงใหม่"], "start_date": "2026-10-01", "end_date": "2027-09-30",
    "plan_links": [
        {"id": 1, "code": "NS-03", "level": 1, "title": "ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
         "ref": ""},
        {"id": 2, "code": "MP-12-01-Y1", "level": 2, "title": "คนไทยได้รับการศึกษาที่มีคุณภาพตามมาตรฐาน…", "ref": ""},
        {"id": 3, "code": "NESDP13-12", "level": 2, "title": "หมุดหมายที่ 12", "ref": ""},
        {"id": 5, "code": "LAW", "level": 3, "title": "กฎหมายที่เกี่ยวข้อง",
         "ref": "พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542"},
    ],
    "kpis": [
        {"id": 1, "name": "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "unit": "ร้อยละ", "target_value": "85"},
        {"id": 2, "name": "จำนวนครูที่ผ่านการอบรม", "unit": "คน", "target_value": "240"},
    ],
    "activities": [
        {"id": 1, "name": "ประชุมเชิงปฏิบัติการพัฒนาครู", "quarters": [1, 2], "subactivities": [
            {"id": 2, "name": "อบรมครูภาษาไทย ป.1", "quarters": [1]},
            {"id": 3, "name": "อบรมครู ป.2–3", "quarters": [1, 2]}]},
        {"id": 4, "name": "นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", "quarters": [2, 3], "subactivities": []},
        {"id": 5, "name": "ประเมินการอ่านการเขียน", "quarters": [3, 4], "subactivities": []},
        {"id": 6, "name": "สรุปและรายงานผล", "quarters": [4], "subactivities": []},
    ],
    "budget_lines": [
        {"id": 1, "source": "direct", "expense_category": "operating", "amount": "350000.00",
         "plan": ["150000.00", "100000.00", "60000.00", "40000.00"]},
        {"id": 2, "source": "via_agency", "agency": "สพฐ.", "expense_category": "operating", "amount": "120000.00",
         "plan": ["0.00", "120000.00", "0.00", "0.00"]},
        {"id": 3, "source": "province", "province": "จังหวัดเชียงใหม่", "expense_category": "operating",
         "amount": "50000.00", "plan": ["0.00", "0.00", "50000.00", "0.00"]},
    ],
}
PROJECT_B: dict[str, Any] = {
    "name": "การดำเนินงานนิเทศ ติดตามการจัดการเรียนรู้ประจำปี", "fiscal_year": 2570, "project_type": "routine",
    "uses_budget": False, "methods": ["self"],
    "rationale": "การนิเทศ ติดตามการจัดการเรียนรู้เป็นภารกิจประจำของสำนักงานเขตพื้นที่การศึกษา",
    "objectives": [{"text": "เพื่อนิเทศ ติดตามการจัดการเรียนรู้ของโรงเรียนในสังกัดอย่างต่อเนื่อง"}],
    "output_target": "โรงเรียนในสังกัดทุกแห่งได้รับการนิเทศอย่างน้อยภาคเรียนละ 1 ครั้ง",
    "outcome_target": "โรงเรียนจัดการเรียนรู้ได้ตามมาตรฐานหลักสูตร",
    "target_groups": "ผู้บริหารและครูในโรงเรียนสังกัด", "start_date": "2026-10-01", "end_date": "2027-09-30",
    "plan_links": [{"id": 1, "code": "NS-03", "level": 1, "title": "…", "ref": ""},
                   {"id": 2, "code": "MP-12-01-Y1", "level": 2, "title": "…", "ref": ""}],
    "kpis": [{"id": 1, "name": "ร้อยละโรงเรียนที่ได้รับการนิเทศ", "unit": "ร้อยละ", "target_value": "100"}],
    "activities": [{"id": 1, "name": "นิเทศ ติดตามโรงเรียนภาคเรียนที่ 1", "quarters": [1, 2, 3, 4], "subactivities": []},
                   {"id": 2, "name": "สรุปผลการนิเทศ", "quarters": [1, 2, 3, 4], "subactivities": []}],
    "budget_lines": [],
}


@cache
def catalog() -> CatalogView:
    """The catalog shipped with Tidtam, read from its file as the service reads it from the database."""
    return CatalogView(PlanItem(code=entry.code, parent=entry.parent_code, family=entry.family, level=entry.level,
                                kind=entry.kind, title=entry.title_th, confirmed=entry.confirmed)
                       for entry in read_catalog(default_catalog_path()))


def variant(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    answers = copy.deepcopy(base)
    answers.update(changes)
    return answers


def checks(findings: list[Finding]) -> list[Check]:
    return [finding.check for finding in findings]


def test_project_a_passes_with_its_investment_share_shown() -> None:
    findings = self_check(PROJECT_A, catalog())
    assert findings == [Finding(Check.INVESTMENT, Level.NOTE, "m5",
                                {"invested": "0", "total": "520000.00", "percent": "0"})]
    text = findings_text(findings)
    assert "✅ ไม่พบข้อที่ต้องแก้ไขจากข้อมูลที่กรอก" in text
    assert "งบลงทุน 0 บาท จากงบประมาณทั้งสิ้น 520,000 บาท (ร้อยละ 0)" in text
    assert "ผู้พิจารณายังต้องดูเอง" in text


def test_project_b_is_only_asked_for_evidence_of_need() -> None:
    findings = self_check(PROJECT_B, catalog())
    assert findings == [Finding(Check.NO_FIGURE, Level.NOTE, "m3")]  # no budget: no investment line


def test_a_link_that_stops_at_the_sub_plan_fails_the_gate_first() -> None:
    links = [link for link in PROJECT_A["plan_links"] if link["code"] != "MP-12-01-Y1"]
    links.append({"id": 9, "code": "MP-12-01", "level": 2, "title": "แผนย่อย", "ref": ""})
    findings = self_check(variant(PROJECT_A, plan_links=links, kpis=[]), catalog())
    assert checks(findings)[:2] == [Check.NO_Y1, Check.NO_KPI]
    assert findings[0].level is Level.GATE
    assert findings_text(findings).splitlines()[1].startswith("⛔ M1 ยังไม่ได้เชื่อมโยงถึงเป้าหมาย")


def test_an_unknown_code_reaches_no_y1() -> None:
    links = [{"id": 1, "code": "MP-99-99-Y1", "level": 2, "title": "?", "ref": ""}]
    assert checks(self_check(variant(PROJECT_B, plan_links=links), catalog()))[0] is Check.NO_Y1


def test_outcome_copied_from_output_with_thai_digits_and_spaces() -> None:
    answers = variant(PROJECT_A, outcome_target="นักเรียนชั้น ป.๑–๓  จำนวน ๔,๒๐๐ คน ในโรงเรียน ๑๒๐ แห่ง ได้รับการพัฒนา")
    findings = [finding for finding in self_check(answers, catalog()) if finding.check is Check.COPIED]
    assert [(finding.params["what"], finding.params["other"]) for finding in findings] == [
        ("reg.output_target.label", "reg.outcome_target.label")]
    assert "เป้าหมายเชิงผลผลิตกับเป้าหมายเชิงผลลัพธ์เขียนเหมือนกัน" in findings_text(findings)


def test_an_objective_pasted_as_the_output_target_is_a_copy_without_its_เพื่อ() -> None:
    answers = variant(PROJECT_A, output_target="ยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียนชั้น ป.1-3")
    copied = [finding for finding in self_check(answers, catalog()) if finding.check is Check.COPIED]
    assert [(finding.params["what"], finding.params["other"]) for finding in copied] == [
        ("reg.objective.label", "reg.output_target.label")]


def test_two_objectives_written_twice_with_a_typo() -> None:
    objectives = [{"text": "เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียน"},
                  {"text": "เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรีนย"}]
    findings = self_check(variant(PROJECT_A, objectives=objectives), catalog())
    assert checks(findings).count(Check.COPIED) == 1
    assert "วัตถุประสงค์มีสองข้อที่เขียนเหมือนกัน" in findings_text(findings)


def test_different_statements_that_share_words_are_not_copies() -> None:
    assert not near_copies(PROJECT_A["output_target"], PROJECT_A["outcome_target"])
    assert not near_copies("นักเรียน ป.1", "นักเรียน ป.2–3 และครู")
    assert comparable("เพื่อ พัฒนาครู, ๒๔๐ คน") == "พัฒนาครู240คน"


def test_missing_statements_are_named() -> None:
    answers = variant(PROJECT_A, objectives=[{"text": "  "}], target_groups="", outcome_target=None)
    missing = [finding.params["what"] for finding in self_check(answers, catalog()) if finding.check is Check.MISSING]
    assert missing == ["reg.objective.label", "reg.outcome_target.label", "reg.target_groups.label"]


def test_a_kpi_needs_a_number_and_a_unit() -> None:
    kpis = [{"name": "ความพึงพอใจของผู้เข้าร่วม", "unit": "-", "target_value": "85"},
            {"name": "จำนวนครูที่ผ่านการอบรม", "unit": "คน", "target_value": None}]
    findings = self_check(variant(PROJECT_A, kpis=kpis), catalog())
    assert [(finding.check, finding.params["number"]) for finding in findings if finding.level is Level.FIX] == [
        (Check.KPI_UNIT, "1"), (Check.KPI_NUMBER, "2")]
    text = findings_text(findings)
    assert "⚠️ ตัวชี้วัดข้อ 1 “ความพึงพอใจของผู้เข้าร่วม” ยังไม่มีหน่วยนับ" in text
    assert "ตัวชี้วัดข้อ 2 “จำนวนครูที่ผ่านการอบรม” ยังไม่มีค่าเป้าหมายเป็นตัวเลข" in text


def test_quarters_of_the_dates_without_an_activity() -> None:
    activities = [{"name": "ประชุมเชิงปฏิบัติการพัฒนาครู", "quarters": [1],
                   "subactivities": [{"name": "อบรมครู", "quarters": [1]}]},
                  {"name": "สรุปและรายงานผล", "quarters": [4], "subactivities": []}]
    findings = self_check(variant(PROJECT_A, activities=activities), catalog())
    uncovered = [finding for finding in findings if finding.check is Check.UNCOVERED]
    assert [finding.params for finding in uncovered] == [{"quarters": "Q2, Q3"}]
    # a project of two quarters needs activities only in those
    short = variant(PROJECT_A, activities=activities[:1], start_date="2026-10-01", end_date="2026-12-31")
    assert Check.UNCOVERED not in checks(self_check(short, catalog()))
    assert Check.NO_ACTIVITY in checks(self_check(variant(PROJECT_A, activities=[]), catalog()))


def test_a_budget_mostly_in_investment_is_flagged_with_repair_words() -> None:
    answers = variant(
        PROJECT_A, name="โครงการปรับปรุงอาคารเรียนและจัดซื้อครุภัณฑ์ห้องสมุด",
        activities=[{"name": "ซ่อมแซมอาคารเรียน", "quarters": [1, 2, 3, 4], "subactivities": []}],
        budget_lines=[{"source": "direct", "expense_category": "investment", "amount": "450000"},
                      {"source": "direct", "expense_category": "operating", "amount": "50000"}])
    findings = self_check(answers, catalog())
    investment = next(finding for finding in findings if finding.check is Check.INVESTMENT)
    assert investment.level is Level.FIX and investment.params["percent"] == "90"
    words = next(finding for finding in findings if finding.check is Check.WORDS)
    assert words.params["words"] == "ซ่อมแซม, ปรับปรุงอาคาร, จัดซื้อ, ครุภัณฑ์"
    text = findings_text(findings)
    assert "⚠️ งบลงทุน 450,000 บาท จากงบประมาณทั้งสิ้น 500,000 บาท (ร้อยละ 90) เป็นส่วนใหญ่" in text
    assert "✅" not in text  # something to fix: never "all passed"


def test_half_in_investment_is_shown_not_flagged() -> None:
    lines = [{"expense_category": "investment", "amount": "100000"}, {"expense_category": "operating",
                                                                      "amount": "100000"}]
    investment = next(finding for finding in self_check(variant(PROJECT_A, budget_lines=lines), catalog())
                      if finding.check is Check.INVESTMENT)
    assert investment.level is Level.NOTE and investment.params["percent"] == "50"


def test_an_empty_draft_gets_findings_not_an_error() -> None:
    findings = self_check({}, catalog())
    assert checks(findings)[0] is Check.NO_Y1
    assert {Check.MISSING, Check.NO_KPI, Check.NO_ACTIVITY} <= set(checks(findings))
    assert findings_text(findings)
