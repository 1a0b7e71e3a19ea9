"""Golden transcripts: play a recorded conversation through the real service and compare every reply.

A golden file (``tests/golden/*.json``) holds one conversation as a list of turns. A turn is one act — a demo
person typing (``say``) or tapping a button by its label (``tap``), the clock moving (``clock``), or a named change
to the world (``world``) — and, for a person's act, the replies it got when the file was recorded: each reply's
text (as lines, so the Thai stays readable) and its buttons' labels. Tokens are never stored: they are the
engine's private grammar, which issue 16 rewrites, while the labels are what people see.

Between two turns the service is rebuilt (``World.restart``), so each turn starts from the state stored as JSON in
the database, as goflow's runner dumps and reloads a session before every step. The inputs live only in the files;
recording (``TIDTAM_GOLDEN=record``) replays them and rewrites the expected replies.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from conversations.messages import Inbound, InputHint, Reply
from models.enums import Platform
from models.plans import PlanNode
from models.report import WindowException
from tests.support.world import World

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden"
ACTS = ("say", "tap", "clock", "world")


async def _drop_window_exceptions(world: World) -> None:
    """The demo lets Q1 be reported early; without its exception the real windows apply."""
    await WindowException.all().delete()


async def _retire_nesdp13_12_after_2570(world: World) -> None:
    """The catalog of FY 2571 no longer has NESDP13-12 (Project A's NESDP link), as a 2571 load would leave it."""
    await PlanNode.filter(code="NESDP13-12").update(valid_to_fy=2570)


# Changes to the world a file may name: kept few and named so that a file says what it needs, not how.
WORLD_CHANGES: dict[str, Callable[[World], Awaitable[None]]] = {
    "drop_window_exceptions": _drop_window_exceptions,
    "retire_nesdp13_12_after_2570": _retire_nesdp13_12_after_2570,
}


class GoldenMismatch(AssertionError):
    """A turn whose replies differ from the recording; ``turn`` is its 1-based number in the file."""

    def __init__(self, path: Path, turn: int, message: str) -> None:
        super().__init__(f"{path.name}, turn {turn}: {message}")
        self.turn = turn


def reply_record(reply: Reply) -> dict[str, Any]:
    """What of a reply a golden file keeps: what a person can see on some channel.

    That is the text (as lines), the buttons' labels (and which are ticked, whether several may be), the input hint
    (a date picker on LINE and Telegram), the card LINE draws, and an attached file's name. Copy keys and tokens
    are left out on purpose: they are internals the rewrite changes without anyone seeing a difference.
    """
    record: dict[str, Any] = {"text": reply.text.split("\n")}
    if reply.choices:
        record["buttons"] = [choice.label for choice in reply.choices]
        ticked = [choice.label for choice in reply.choices if choice.selected]
        if ticked:
            record["ticked"] = ticked
    if reply.multi:
        record["multi"] = True
    if reply.hint is not InputHint.NONE:
        record["hint"] = reply.hint.value
    if reply.card is not None:
        card = reply.card
        record["card"] = {"title": card.title, "footer": card.footer, "code": card.code, "status": card.status,
                          "sections": [{"title": section.title, "rows": [list(row) for row in section.rows]}
                                       for section in card.sections]}
    if reply.attachment is not None:
        record["file"] = reply.attachment.filename
    return record


def _render(replies: list[dict[str, Any]]) -> list[str]:
    """Replies as plain lines for a diff: text, then each button in brackets."""
    lines: list[str] = []
    for number, reply in enumerate(replies, 1):
        lines.append(f"── reply {number}")
        lines.extend(reply.get("text", []))
        lines.extend(f"  [{label}]{' ✓' if label in reply.get('ticked', []) else ''}"
                     for label in reply.get("buttons", []))
        lines.extend(f"  ({key}: {_json(reply[key])})" for key in ("multi", "hint") if key in reply)
        if "card" in reply:
            card = reply["card"]
            lines.append(f"  ▭ {card['title']} · {card['code']} · {card['status']} · {card['footer']}")
            for section in card["sections"]:
                lines.append(f"  ▭ {section['title']}")
                lines.extend(f"  ▭   {label}: {value}" for label, value in section["rows"])
        if "file" in reply:
            lines.append(f"  📎 {reply['file']}")
    return lines


def describe(turn: dict[str, Any]) -> str:
    """A turn's act in one line, e.g. ``suda taps "เสร็จ"``."""
    if "say" in turn:
        return f"{turn['who']} says {turn['say']!r}"
    if "tap" in turn:
        return f"{turn['who']} taps {turn['tap']!r}"
    if "clock" in turn:
        return f"the clock moves to {turn['clock']}"
    return f"the world changes: {turn['world']}"


@dataclass
class GoldenRunner:
    """Plays one golden file in a world; checks the replies, or (``record``) collects them instead."""

    world: World
    path: Path
    record: bool = False
    seen: list[Reply] = field(default_factory=list)  # every reply of the play, in order, for checks of their own
    after_turn: Callable[[], Awaitable[None]] | None = None  # a check of the stored sessions after each person's turn
    # each person's replies above their last screen (a notice with its own buttons, still on their phone)
    above: dict[str, list[Reply]] = field(default_factory=dict)

    async def play(self) -> dict[str, Any]:
        """Play every turn; return the file's content with the replies as they came (what ``record`` writes).

        Raises:
            GoldenMismatch: at the first turn whose replies differ, or whose button is not on screen.
        """
        golden: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        screens: dict[str, Reply] = {}  # each person's last screen: what their phone shows, to tap on
        for number, turn in enumerate(golden["turns"], 1):
            acts = [act for act in ACTS if act in turn]
            if len(acts) != 1:
                raise GoldenMismatch(self.path, number, f"a turn needs exactly one of {ACTS}, found {acts}")
            if "clock" in turn:
                self.world.clock.set(datetime.fromisoformat(turn["clock"]))
                continue
            if "world" in turn:
                await WORLD_CHANGES[turn["world"]](self.world)
                continue
            self.world.restart()  # the state is read back from its stored JSON, as after a restart
            inbound = self.inbound(number, turn, screens)
            replies = await self.world.service.handle(inbound)
            self.seen.extend(replies)
            if replies:
                screens[turn["who"]] = replies[-1]
                self.above[turn["who"]] = replies[:-1]
            if self.after_turn is not None:
                await self.after_turn()
            got = [reply_record(reply) for reply in replies]
            if self.record:
                turn["replies"] = got
            elif got != turn.get("replies"):
                diff = difflib.unified_diff(_render(turn.get("replies", [])), _render(got), "recorded", "now",
                                            lineterm="")
                raise GoldenMismatch(self.path, number, f"{describe(turn)}\n" + "\n".join(diff))
        return golden

    def inbound(self, number: int, turn: dict[str, Any], screens: dict[str, Reply]) -> Inbound:
        """The message of a person's turn; a tap presses the button on their screen labelled (exactly, else
        uniquely containing) the recorded label, as ``tests.support.transcript.Chat.tap`` does."""
        who, event = turn["who"], f"golden-{self.path.stem}-{number}"
        if "say" in turn:
            return Inbound(Platform.CONSOLE, who, event_id=event, text=turn["say"])
        label = turn["tap"]
        choices = screens[who].choices if who in screens else ()
        found = [choice for choice in choices if choice.label == label] or [
            choice for choice in choices if label in choice.label]
        if not found:  # a button of a notice above the screen (📝 เปิดรายงาน), pressed as a person would
            above = [choice for reply in self.above.get(who, []) for choice in reply.choices]
            found = [choice for choice in above if choice.label == label] or [
                choice for choice in above if label in choice.label]
        if len(found) != 1:
            labels = [choice.label for choice in choices]
            raise GoldenMismatch(self.path, number, f"{describe(turn)}: no single such button among {labels}")
        return Inbound(Platform.CONSOLE, who, event_id=event, button=found[0].token)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _card(card: dict[str, Any]) -> str:
    """A card laid out with one section per line."""
    head = _json({key: value for key, value in card.items() if key != "sections"})
    sections = ",\n".join(f"       {_json(section)}" for section in card["sections"])
    return f'{head[:-1]}, "sections": [\n{sections}]}}'


def _reply_lines(reply: dict[str, Any]) -> list[str]:
    """A reply laid out for reading: one line of text per line, the buttons as one row, like a keyboard."""
    text = ",\n".join(f"      {_json(line)}" for line in reply["text"])
    rest = "".join(f",\n     {_json(key)}: {_card(value) if key == 'card' else _json(value)}"
                   for key, value in reply.items() if key != "text")
    return [f'    {{"text": [\n{text}]{rest}}}']


def dumps(golden: dict[str, Any]) -> str:
    """A golden file's text: valid JSON, Thai as itself, one turn's act per line and its replies below it, so
    that a changed reply shows in a diff as the lines that changed."""
    turns = []
    for turn in golden["turns"]:
        act = _json({key: value for key, value in turn.items() if key != "replies"})
        if "replies" in turn:
            replies = ",\n".join(line for reply in turn["replies"] for line in _reply_lines(reply))
            act = f'{act[:-1]}, "replies": [\n{replies}]}}'
        turns.append(f"  {act}")
    head = "".join(f" {_json(key)}: {_json(value)},\n" for key, value in golden.items() if key != "turns")
    return f'{{\n{head} "turns": [\n' + ",\n".join(turns) + "\n ]\n}\n"


def write(path: Path, golden: dict[str, Any]) -> None:
    """Write a golden file (UTF-8, laid out by :func:`dumps`), checking that it reads back as what was written."""
    text = dumps(golden)
    assert json.loads(text) == golden, "the layout changed the content"
    path.write_text(text, encoding="utf-8")
