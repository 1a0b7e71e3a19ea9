"""M1's search by words in the shipped catalog: Thai names are matched word by word (cut by pythainlp), every
word in any order, families included (the level-3 menu lists them, so searching for one must find it)."""

from __future__ import annotations

from functools import cache

from conversations.catalog_view import CatalogView, PlanItem
from conversations.parsers.name_words import query_words, word_in
from models.catalog import default_catalog_path, read_catalog
from models.db import Database
from tests.support.scenario import start_project
from tests.support.world import demo_world


@cache
def catalog() -> CatalogView:
    """The catalog shipped with Tidtam, read from its file as the service reads it from the database."""
    return CatalogView(PlanItem(code=entry.code, parent=entry.parent_code, family=entry.family, level=entry.level,
                                kind=entry.kind, title=entry.title_th, confirmed=entry.confirmed)
                       for entry in read_catalog(default_catalog_path()))


def codes(query: str) -> list[str]:
    return [item.code for item in catalog().search(query, 2570)]


def test_a_family_listed_in_the_level_3_menu_is_found_by_its_name() -> None:
    found = codes("นโยบายรัฐบาล")
    assert found[0] == "GP-MAIN", found  # its own name first, before what lies under it
    assert "GP-URGENT" in found  # นโยบายเร่งด่วนของรัฐบาล holds both words


def test_words_match_in_any_order_and_glued_together() -> None:
    assert codes("รัฐบาล นโยบาย")[0] == "GP-MAIN"
    assert codes("รัฐบาลนโยบาย")[0] == "GP-MAIN"  # typed without a space: cut into its words


def test_a_word_may_match_a_parent_name_to_narrow_to_its_children() -> None:
    found = codes("นโยบายรัฐบาล แพทองธาร")
    assert set(found[:2]) == {"GOV-2567-PAETONGTARN", "GOV-2567-PAETONGTARN-URGENT"}, found  # the statements


def test_words_no_plan_holds_all_of_show_the_plans_holding_most_and_say_so() -> None:
    found, complete = catalog().search_words("นโยบายรัฐบาล การศึกษา", 2570)
    assert not complete
    assert {"GP-MAIN", "L3-EDU-NEP"} <= {item.code for item in found}
    assert catalog().search_words("นโยบายรัฐบาล", 2570)[1]


def test_codes_still_come_first_and_unknown_words_find_nothing() -> None:
    assert codes("MP-12")[0] == "MP-12"
    assert codes("ซูชิราเมง") == []


def test_normal_form_hides_invisible_characters_and_case() -> None:
    assert query_words("นโยบาย\u200bรัฐบาล  NS") == ["นโยบายรัฐบาล", "ns"]
    assert word_in("รัฐบาลนโยบาย", "นโยบายรัฐบาล (นโยบายหลัก)")
    assert not word_in("การศึกษา", "นโยบายรัฐบาล (นโยบายหลัก)")


async def test_typed_words_in_m1_find_the_level_3_family_the_menu_lists(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)  # M1 is the first section
        await chat.tap("ระดับ 3 นโยบาย")
        assert "GP-MAIN นโยบายรัฐบาล (นโยบายหลัก)" in chat.screen.text
        await chat.say("นโยบายรัฐบาล")
        assert "ไม่พบแผน" not in chat.text and "ผลการค้นหา “นโยบายรัฐบาล”" in chat.screen.text, chat.text
        assert "1. GP-MAIN นโยบายรัฐบาล" in chat.screen.text
        await chat.say("นโยบายรัฐบาล การศึกษา")  # no plan holds both: the closest, and the owner is told so
        assert "ไม่พบแผนที่มีครบทุกคำใน “นโยบายรัฐบาล การศึกษา”" in chat.text, chat.text
        assert "GP-MAIN" in chat.screen.text and "L3-EDU-NEP" in chat.screen.text
        await chat.tap("GP-MAIN")  # a family found: browsed into, as from the menu
        assert "GOV-2568-ANUTIN" in chat.screen.text
