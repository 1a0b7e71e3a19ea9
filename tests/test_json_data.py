"""The state's copies (engine/json_data.py) share nothing mutable with what they copy and equal it, as
``copy.deepcopy`` did."""

from __future__ import annotations

import copy
from collections import OrderedDict

from conversations.engine.frames import Bookmark, Frame, Position
from conversations.engine.json_data import json_copy, typed_copy
from conversations.engine.modes import Mode
from conversations.engine.state import State
from conversations.engine.substates import GroupCursor, load_sub
from conversations.parsers.choices import exact_choice, match_choice


def _bookmark() -> Bookmark:
    cursor = GroupCursor(view="item", question="name", item={"name": "ก", "kids": [{"x": 1}]}, path=[0, 1])
    position = Position(Mode.FORM, "m2", "activities", cursor, "register", 7, None)
    return Bookmark(position, [Frame(Mode.HUB), Frame(Mode.SECTION, copy.deepcopy(position))])


def test_typed_copy_equals_deepcopy_and_shares_nothing() -> None:
    original = _bookmark()
    copied = typed_copy(original)
    assert copied == copy.deepcopy(original)
    assert isinstance(copied.at.sub, GroupCursor)
    copied.at.sub.item["kids"][0]["x"] = 2
    copied.at.sub.path.append(3)
    copied.stack[1].at.section = "m3"
    assert original == _bookmark()


def test_json_copy_copies_nested_and_keeps_scalars() -> None:
    data = {"a": [1, 2.5, True, None, "ข", {"b": [3]}], "c": OrderedDict(d=[4]), "t": (1, 2)}
    copied = json_copy(data)
    assert copied == data
    assert type(copied["c"]) is dict  # a dict subclass comes back a plain dict, as before
    copied["a"][5]["b"].append(9)
    copied["c"]["d"].append(9)
    assert data["a"][5]["b"] == [3] and data["c"]["d"] == [4]


def test_sub_state_round_trip_shares_nothing() -> None:
    cursor = GroupCursor(view="item", item={"kids": [{"x": 1}]}, near={"value": ["y"]})
    dumped = cursor.dump()
    assert dumped == {"kind": "group", "view": "item", "question": "", "item": {"kids": [{"x": 1}]}, "parent": None,
                      "path": None, "purpose": "", "origin": "", "near": {"value": ["y"]}}
    dumped["item"]["kids"][0]["x"] = 2
    assert cursor.item == {"kids": [{"x": 1}]}
    loaded = load_sub(dumped)
    dumped["near"]["value"].append("z")
    assert isinstance(loaded, GroupCursor) and loaded.near == {"value": ["y"]}


def test_clone_shares_nothing_with_the_live_state() -> None:
    state = State(flow="register", answers={"activities": [{"name": "ก"}]}, back=[_bookmark().at])
    clone = state.clone()
    clone.answers["activities"][0]["name"] = "ข"
    clone.back[0].sub.item["name"] = "ข"  # type: ignore[union-attr]
    assert state.answers == {"activities": [{"name": "ก"}]} and state.back[0] == _bookmark().at


def test_remembered_label_forms_give_the_same_matches() -> None:
    pairs = [("done", "✅ เสร็จแล้ว"), ("1", "1️⃣ Project A"), ("skip", "ข้าม")]
    for _ in range(2):  # the second time from the remembered forms
        assert exact_choice("เสร็จแล้ว", pairs) == "done"
        assert exact_choice("project a", pairs) == "1"
        assert exact_choice("เสร็จ", pairs) is None
        assert match_choice("ข้า", pairs) == "skip"
        assert match_choice("3", pairs) == "skip"
