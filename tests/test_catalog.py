"""The plan catalog loads idempotently, versions by fiscal year, and is searchable by code and Thai words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.catalog import CatalogError, default_catalog_path, load_catalog, read_catalog, search_plans
from models.db import Database
from models.plans import PlanNode


def test_the_bundled_catalog_is_the_shared_reference() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "reference" / "plans.json"
    if shared.exists():
        assert json.loads(default_catalog_path().read_text("utf-8")) == json.loads(shared.read_text("utf-8"))
    entries = read_catalog(default_catalog_path())
    codes = {entry.code for entry in entries}
    assert {"NS", "NS-03", "MP", "MP-12", "MP-12-01", "MP-12-01-Y1", "NESDP13-12", "LAW", "CAB"} <= codes
    assert len([e for e in entries if e.family == "MP" and e.kind == "plan"]) == 23
    assert len([e for e in entries if e.family == "NS" and e.kind == "plan"]) == 6
    assert len([e for e in entries if e.family == "NESDP13" and e.kind == "plan"]) == 13


async def test_loading_twice_changes_nothing(database: Database) -> None:
    first = await load_catalog()
    assert first.created == len(read_catalog(default_catalog_path())) and first.updated == 0
    count = await PlanNode.all().count()
    second = await load_catalog()
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert await PlanNode.all().count() == count


async def test_the_tree_keeps_levels_kinds_and_confirmation(database: Database) -> None:
    await load_catalog()
    target = await PlanNode.get(code="MP-12-01-Y1").prefetch_related("parent__parent__parent")
    assert (target.kind, target.level, target.family, target.confirmed) == ("target", 2, "MP", True)
    assert target.parent is not None and target.parent.code == "MP-12-01"
    assert target.parent.parent is not None and target.parent.parent.code == "MP-12"
    assert target.parent.parent.parent is not None and target.parent.parent.parent.code == "MP"
    unconfirmed = await PlanNode.get(code="MP-11-01")
    assert not unconfirmed.confirmed and unconfirmed.basis == "recollection"
    assert (await PlanNode.get(code="NS")).kind == "family"
    assert (await PlanNode.get(code="LAW")).level == 3


async def test_a_changed_file_updates_in_place(database: Database, tmp_path: Path) -> None:
    await load_catalog()
    document = json.loads(default_catalog_path().read_text("utf-8"))
    document["families"][0]["items"][2]["name_th"] = "ยุทธศาสตร์ชาติด้านทรัพยากรมนุษย์ (แก้ไข)"
    changed = tmp_path / "plans.json"
    changed.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    node_id = (await PlanNode.get(code="NS-03")).id
    report = await load_catalog(changed)
    assert (report.created, report.updated) == (0, 1)
    reloaded = await PlanNode.get(code="NS-03")
    assert reloaded.id == node_id and reloaded.title_th.endswith("(แก้ไข)")


async def test_a_fiscal_year_load_retires_what_the_new_catalog_dropped(database: Database, tmp_path: Path) -> None:
    await load_catalog(fiscal_year=2569)
    document = json.loads(default_catalog_path().read_text("utf-8"))
    document["families"] = [family for family in document["families"] if family["code"] != "NESDP12"]
    newer = tmp_path / "plans-2570.json"
    newer.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    report = await load_catalog(newer, fiscal_year=2570)
    assert report.retired == 11  # the NESDP12 family and its ten strategies
    old = await PlanNode.get(code="NESDP12-01")
    assert (old.valid_from_fy, old.valid_to_fy) == (2569, 2569)
    kept = await PlanNode.get(code="NESDP13-12")
    assert (kept.valid_from_fy, kept.valid_to_fy) == (2569, None)
    assert [n.code for n in await search_plans("NESDP12-01", fiscal_year=2569)] == ["NESDP12-01"]
    assert await search_plans("NESDP12-01", fiscal_year=2570) == []
    again = await load_catalog(newer, fiscal_year=2570)
    assert (again.created, again.updated, again.retired) == (0, 0, 0)


async def test_search_by_code_and_by_thai_keywords(database: Database) -> None:
    await load_catalog()
    by_code = await search_plans("mp-12")
    assert by_code[0].code == "MP-12" and {n.code for n in by_code} >= {"MP-12-01", "MP-12-01-Y1"}
    education = {node.code for node in await search_plans("การศึกษา")}
    assert {"RF-12", "MP-12-01-Y1", "L3-EDU-NEP"} <= education
    both_words = [node.code for node in await search_plans("ศตวรรษ การเรียนรู้")]
    assert "MP-12-01" in both_words and "RF-12" not in both_words
    assert [node.code for node in await search_plans("การเรียนรู้", level=3)] == []
    assert await search_plans("   ") == []
    assert len(await search_plans("การ", limit=5)) == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read"),
        ('{"schema": "other/1", "families": []}', "not a tidtam.plans/1"),
        ('{"schema": "tidtam.plans/1", "families": [{"code": "X", "level": 9}]}', "level 1–3"),
        ('{"schema": "tidtam.plans/1", "families": [{"code": "X", "level": 1, "name_th": "ก",'
         ' "items": [{"code": "X", "name_th": "ข"}]}]}', "duplicate codes X"),
        ('{"schema": "tidtam.plans/1", "families": [{"code": "X", "level": 1, "name_th": "ก",'
         ' "items": [{"code": "X-1"}]}]}', "lacks a code or a Thai name"),
        ('{"schema": "tidtam.plans/1", "families": [{"code": "X", "level": 1, "name_th": "ก",'
         ' "items": [{"code": "แผน 1", "name_th": "ข"}]}]}', "codes must be 1–40 ASCII"),
    ],
)
def test_bad_catalog_files_are_refused_with_a_reason(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "plans.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        read_catalog(path)
