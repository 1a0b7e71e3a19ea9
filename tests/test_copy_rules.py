"""What a copy becomes, decided without the database (#18): dates by whole years (29 February included), plan
links against the new year's catalog, row ids gone, nested activities kept, which sections are marked; and the
marks as the engine keeps and shows them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conversations.engine.copied import hub_mark, hub_notes, seen, unseen_titles
from conversations.flows.registry import REGISTRATION_FLOW
from conversations.service.contact_rules import fill_blanks
from conversations.service.copy_rules import link_codes, map_links, plan_copy, review_marks, shift_date


@pytest.mark.parametrize(("day", "years", "moved"), [
    (date(2026, 10, 1), 1, date(2027, 10, 1)),  # the first day of FY 2570 → of FY 2571
    (date(2027, 9, 30), 1, date(2028, 9, 30)),  # the last day of FY 2570 → of FY 2571
    (date(2028, 2, 29), 1, date(2029, 2, 28)),  # a leap day, in a common year: the month's last day
    (date(2027, 2, 28), 1, date(2028, 2, 29)),  # the end of February stays the end of February
    (date(2028, 2, 28), 1, date(2029, 2, 28)),  # not February's last day in 2028: the same day
    (date(2027, 2, 27), 1, date(2028, 2, 27)),
    (date(2028, 2, 29), 4, date(2032, 2, 29)),  # leap to leap
    (date(2028, 2, 29), -1, date(2027, 2, 28)),  # backwards too
    (date(2027, 3, 31), 2, date(2029, 3, 31)),
    (date(2027, 6, 15), 0, date(2027, 6, 15)),
])
def test_dates_move_by_whole_years(day: date, years: int, moved: date) -> None:
    assert shift_date(day, years) == moved


def link(code: str, level: int, title: str = "", ref: str = "", id_: int = 1) -> dict[str, Any]:
    return {"id": id_, "code": code, "level": level, "title": title or f"title of {code}", "ref": ref}


def test_links_are_kept_with_the_new_years_title_or_dropped_by_name() -> None:
    links = [link("NS-03", 1), link("OLD-9", 2, "แผนเก่า"), link("LAW", 3, "กฎหมาย", ref="พ.ร.บ. 2542")]
    mapping = map_links(links, {"NS-03": "ยุทธศาสตร์ชาติ ด้านการพัฒนาคน (2571)", "LAW": "กฎหมาย"})
    assert mapping.kept == [
        {"code": "NS-03", "level": 1, "title": "ยุทธศาสตร์ชาติ ด้านการพัฒนาคน (2571)", "ref": ""},
        {"code": "LAW", "level": 3, "title": "กฎหมาย", "ref": "พ.ร.บ. 2542"}]
    assert mapping.dropped == ["OLD-9 แผนเก่า"]
    assert map_links([], {}).kept == [] and link_codes({"plan_links": links}) == {"NS-03", "OLD-9", "LAW"}


def project_a(**changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "name": "โครงการยกระดับการอ่าน", "fiscal_year": 2570,
        "plan_links": [link("NS-03", 1, id_=11), link("MP-12-01-Y1", 2, id_=12), link("NESDP13-12", 2, id_=13)],
        "project_type": "project", "budget_plan": "แผนงานพื้นฐาน", "uses_budget": True, "methods": ["self"],
        "director_name": "นายสมชาย", "director_email": "d@example.go.th", "director_phone": "0811111111",
        "owner_name": "นางสาวสุดา", "owner_email": "s@example.go.th", "owner_phone": "0822222222",
        "rationale": "เหตุผล", "objectives": [{"id": 1, "text": "วัตถุประสงค์"}],
        "output_target": "ผลผลิต", "outcome_target": "ผลลัพธ์",
        "kpis": [{"id": 5, "name": "ร้อยละนักเรียน", "unit": "ร้อยละ", "target_value": "85"}],
        "target_groups": "นักเรียน", "provinces": ["เชียงใหม่"],
        "start_date": "2026-10-01", "end_date": "2027-09-30",
        "activities": [{"id": 7, "name": "อบรมครู", "quarters": [1, 2],
                        "subactivities": [{"id": 8, "name": "อบรม ป.1", "quarters": [1]},
                                          {"id": 9, "name": "อบรม ป.2", "quarters": [2]}]},
                       {"id": 10, "name": "สรุปผล", "quarters": [4]}],
        "budget_lines": [{"id": 3, "source": "direct", "expense_category": "operating", "amount": "350000",
                          "plan": ["150000", "100000", "60000", "40000"]}],
    }
    return answers | changes


def test_a_plan_copies_every_section_moves_dates_and_forgets_row_ids() -> None:
    source = project_a()
    plan = plan_copy(REGISTRATION_FLOW, source, 2570, 2571, {"NS-03": "NS", "MP-12-01-Y1": "MP"})
    copied = plan.answers
    assert copied["fiscal_year"] == 2571 and (copied["start_date"], copied["end_date"]) == ("2027-10-01",
                                                                                             "2028-09-30")
    assert [item["code"] for item in copied["plan_links"]] == ["NS-03", "MP-12-01-Y1"]
    assert plan.dropped == ["NESDP13-12 title of NESDP13-12"]
    assert copied["activities"] == [
        {"name": "อบรมครู", "quarters": [1, 2], "subactivities": [{"name": "อบรม ป.1", "quarters": [1]},
                                                                  {"name": "อบรม ป.2", "quarters": [2]}]},
        {"name": "สรุปผล", "quarters": [4]}]
    assert copied["budget_lines"] == [{"source": "direct", "expense_category": "operating", "amount": "350000",
                                       "plan": ["150000", "100000", "60000", "40000"]}]
    assert "id" not in str(copied) and source["activities"][0]["id"] == 7  # the source's answers untouched
    assert plan.unseen[0] == "m1" and "m5" in plan.unseen
    assert review_marks(plan, "CMI1-2570-001") == {"unseen": plan.unseen, "dropped": plan.dropped,
                                                   "from": "CMI1-2570-001"}


def test_a_section_without_answers_or_not_needed_is_not_marked_but_m1_is_when_every_link_dropped() -> None:
    source = project_a(uses_budget=False, budget_lines=[])
    del source["budget_lines"]
    plan = plan_copy(REGISTRATION_FLOW, source, 2570, 2570, {})
    assert "plan_links" not in plan.answers and len(plan.dropped) == 3
    assert plan.unseen[0] == "m1" and "m5" not in plan.unseen  # no budget: M5 is not needed
    assert plan.answers["start_date"] == "2026-10-01"  # the same year: nothing moved


def test_marks_go_one_section_at_a_time_and_name_dropped_links_on_m1() -> None:
    marks = {"unseen": ["m1", "m3"], "dropped": ["OLD-9 แผนเก่า"], "from": "CMI1-2570-001"}
    mark, lines = hub_mark(marks, "m1")
    assert mark == "📄 คัดลอกมา — ตรวจทาน" and lines == ["ไม่มีในแผนของปีนี้แล้ว (ไม่ได้คัดลอก): OLD-9 แผนเก่า"]
    assert hub_mark(marks, "m3") == ("📄 คัดลอกมา — ตรวจทาน", []) and hub_mark(marks, "m2") == ("", [])
    assert unseen_titles(REGISTRATION_FLOW, marks) == ["M1 ความเชื่อมโยงกับแผน", "M3 รายละเอียดโครงการ"]
    after = seen(marks, "m1")
    assert after["unseen"] == ["m3"] and hub_mark(after, "m1") == ("", [])
    assert seen(after, "m3") == {} and seen({}, "m2") == {}


def test_a_copy_takes_the_contacts_the_records_know_and_names_each_change() -> None:
    source = {"name": "โครงการเดิม", "fiscal_year": 2570, "director_name": "นายสมชาย ใจดี",
              "director_phone": "053-112-233", "owner_name": "นางสาวสุดา ศรีสุข"}
    today = {"director_name": "นางวิไล ใหม่ใจ", "director_email": "wilai.m@example.go.th",
             "owner_name": "นางสาวสุดา ศรีสุข"}  # no phone in the records: the source's stays
    plan = plan_copy(REGISTRATION_FLOW, source, 2570, 2571, {}, today)
    assert (plan.answers["director_name"], plan.answers["director_email"], plan.answers["director_phone"]) == (
        "นางวิไล ใหม่ใจ", "wilai.m@example.go.th", "053-112-233")
    assert plan.contacts == [
        {"key": "director_name", "before": "นายสมชาย ใจดี", "after": "นางวิไล ใหม่ใจ"},
        {"key": "director_email", "before": None, "after": "wilai.m@example.go.th"}]
    marks = review_marks(plan, "CMI1-2570-001")
    assert hub_notes(marks, "m2") == ["ผู้อำนวยการเปลี่ยนจาก นายสมชาย ใจดี เป็น นางวิไล ใหม่ใจ",
                                      "อีเมลผู้อำนวยการ: wilai.m@example.go.th (ข้อมูลบุคลากรปัจจุบัน)"]
    assert hub_notes(marks, "m1") == [] and hub_notes(seen(marks, "m2"), "m2") == []
    assert "contacts" not in review_marks(plan_copy(REGISTRATION_FLOW, source, 2570, 2571, {}, {}), "X")
    assert source["director_name"] == "นายสมชาย ใจดี"  # the source's answers are not touched


def test_blanks_are_filled_and_given_values_never_replaced() -> None:
    answers: dict[str, Any] = {"owner_name": "ชื่อในไฟล์", "owner_email": "", "provinces": []}
    known = {"owner_name": "ชื่อในทะเบียน", "owner_email": "a@example.go.th", "provinces": ["เชียงใหม่"],
             "director_name": "ผอ."}
    assert fill_blanks(answers, known) == ["owner_email", "provinces", "director_name"]
    assert answers == {"owner_name": "ชื่อในไฟล์", "owner_email": "a@example.go.th", "provinces": ["เชียงใหม่"],
                       "director_name": "ผอ."}
