"""A budget plan typed as the start of an official one, or with a typo, is matched to the official name and
confirmed; the words as typed are kept only when the owner says so (over LINE)."""

from __future__ import annotations

import pytest

from conversations.copy.reference import BUDGET_PLANS
from conversations.parsers.near import near_names
from models.project import Project
from tests.support.line_user import LineUser
from tests.support.line_world import line_world
from tests.support.scenario import start_project

LIFELONG = "แผนงานยุทธศาสตร์พัฒนาศักยภาพคนตลอดช่วงชีวิต"
CIVIL_SERVICE = "แผนงานบุคลากรภาครัฐ"
BASIC = "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์"
SHORTENED = "แผนงานพื้นฐานพัฒนาศักยภาพทรัพยากรมนุษย์"  # "ด้านการ" and "และเสริมสร้าง" left out


async def stored_plan() -> str:
    project = await Project.get(code="CMI1-2570-003")
    return project.budget_plan


async def at_budget_plan(suda: LineUser) -> None:
    """A new draft, M2 opened from the hub and answered up to its budget plan question."""
    await start_project(suda)  # type: ignore[arg-type]
    await suda.say("สารบัญ")
    await suda.tap("M2")
    await suda.tap("โครงการ")


async def edit_budget_plan(suda: LineUser) -> None:
    await suda.say("ตรวจทาน")
    await suda.tap("M2")
    await suda.tap("แผนงาน")


async def test_line_a_plan_typed_in_part_or_with_a_typo_is_matched_and_confirmed(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        await at_budget_plan(suda)

        await suda.say("แผนงานยุทธศาสตร์พัฒนาศักยภาพคน")  # the start of an official name
        assert suda.screen is not None
        assert f"หมายถึง “{LIFELONG}” ใช่ไหมคะ" in suda.screen["text"], suda.text
        assert suda.labels()[:2] == ["✅ ใช่", "✏️ ใช้ตามที่พิมพ์"], suda.labels()
        await suda.tap("✅ ใช่")
        assert LIFELONG in suda.text and "ใช้งบประมาณหรือไม่" in suda.screen["text"]
        assert await stored_plan() == LIFELONG

        await edit_budget_plan(suda)
        await suda.say("แผนงานบุคคลากรภาครัฐ")  # a typo
        assert f"หมายถึง “{CIVIL_SERVICE}” ใช่ไหมคะ" in suda.screen["text"]
        await suda.say("ใช่")  # typed
        assert await stored_plan() == CIVIL_SERVICE

        await edit_budget_plan(suda)
        await suda.say("แผนงานยุทธศาสตร์")  # the start of three: they are offered, with the words as typed
        assert "ตรงกับแผนงานหลายชื่อ" in suda.screen["text"] and LIFELONG in suda.screen["text"]
        assert len(suda.labels()) >= 4 and "✏️ ใช้ตามที่พิมพ์" in suda.labels(), suda.labels()
        await suda.tap("✏️ ใช้ตามที่พิมพ์")
        assert await stored_plan() == "แผนงานยุทธศาสตร์"  # kept as typed, because the owner said so

        await edit_budget_plan(suda)
        await suda.say("แผนงานยุทธศาสตร์")
        await suda.tap("แผนงานยุทธศาสตร์การ")  # the candidate, by its (cut) label
        assert await stored_plan() == "แผนงานยุทธศาสตร์การพัฒนาการเรียนรู้"

        await edit_budget_plan(suda)
        await suda.say("แผนงานยุทธศาสตร์")
        await suda.say("ใช่")  # yes to three: which one is asked, nothing stored
        assert "พิมพ์หมายเลข 1–3" in suda.text, suda.text
        assert await stored_plan() == "แผนงานยุทธศาสตร์การพัฒนาการเรียนรู้"
        await suda.say("๙")  # no such number
        assert "พิมพ์หมายเลข 1–3" in suda.text
        listed = suda.screen["text"]
        second = listed.split("\n2. ", 1)[1].split("\n", 1)[0]
        await suda.say("2")  # the second as listed
        assert await stored_plan() == second

        await edit_budget_plan(suda)
        await suda.say("แผนงานยุทธศาสตร์")
        await suda.say("²")  # a digit to Python but no number: a new answer, never a crash
        assert "ขออภัย" not in suda.text and await stored_plan() == "²", suda.text

        await edit_budget_plan(suda)
        await suda.say("แผนงานพัฒนาคุณภาพการศึกษาเชียงใหม่")  # like no official name: stored as typed at once
        assert "ใช่ไหมคะ" not in suda.text
        assert await stored_plan() == "แผนงานพัฒนาคุณภาพการศึกษาเชียงใหม่"


@pytest.mark.parametrize(("typed", "names"), [
    ("แผนงานยุทธศาสตร์พัฒนาศักยภาพคน", [LIFELONG]),  # a unique start
    ("แผนงานยุทศาสตร์พัฒนาศักยภาพคน", [LIFELONG]),  # a start with a typo
    ("แผนงานบุคคลากรภาครัฐ", [CIVIL_SERVICE]),  # a typo
    ("แผนงาน บุคลากรภาครัฐ", [CIVIL_SERVICE]),  # spaces aside, the name itself
    ("แผนงานยุทธศาสตร์", [LIFELONG, "แผนงานยุทธศาสตร์การพัฒนาการเรียนรู้",
                          "แผนงานยุทธศาสตร์สร้างความเสมอภาคทางการศึกษา"]),  # the start of three
    (SHORTENED, [BASIC]),  # words left out: every typed word is in one name
    ("ทรัพยากรมนุษย์ แผนงานพื้นฐาน", [BASIC]),  # in another order
    ("ศักยภาพ แผนงาน", [LIFELONG, BASIC]),  # words two names hold: the one they cover more first
    ("แผนงานพัฒนาคุณภาพการศึกษาเชียงใหม่", []),
    ("โครงการพิเศษ", []),
    ("   ", []),
])
def test_near_names(typed: str, names: list[str]) -> None:
    assert near_names(typed, BUDGET_PLANS) == names


async def test_line_a_name_typed_with_words_left_out_is_offered_before_it_is_stored(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        await at_budget_plan(suda)

        await suda.say(SHORTENED)
        assert f"หมายถึง “{BASIC}” ใช่ไหมคะ" in suda.screen["text"], suda.text
        assert "✏️ ใช้ตามที่พิมพ์" in suda.labels(), suda.labels()
        await suda.tap("✏️ ใช้ตามที่พิมพ์")  # the owner's own words, kept because the owner said so
        assert await stored_plan() == SHORTENED

        await edit_budget_plan(suda)
        await suda.say(SHORTENED)
        await suda.tap("✅ ใช่")
        assert await stored_plan() == BASIC
