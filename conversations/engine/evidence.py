"""Evidence of a report: photos and documents the owner sends, kept with the report (optional)."""

from __future__ import annotations

from typing import Any

from conversations.copy import render
from conversations.engine.effect_types import DeleteAttachment, StoreAttachment
from conversations.engine.nav import Input, Nav, nav
from conversations.engine.output import Output, buttons, present
from conversations.engine.state import State
from conversations.engine.substates import EvidenceView
from conversations.flows.flow import Evidence
from conversations.formatting import shorten
from conversations.messages import MAX_ATTACHMENT_BYTES, Attachment, InputHint, Reply

Navigation = list[tuple[str, str]]


def files(step: Evidence, state: State) -> list[dict[str, Any]]:
    """The files received so far (name, kind, size, and the stored row's id once saved)."""
    received: list[dict[str, Any]] = state.answers.get(step.key, [])
    return received


def receive(step: Evidence, state: State, attachment: Attachment, out: Output) -> None:
    """Take one file, within the count and size limits."""
    received = files(step, state)
    if len(received) >= step.max_files:
        out.say("evidence.full", count=step.max_files)
        return
    if len(attachment.content) > MAX_ATTACHMENT_BYTES:
        out.say("evidence.too_big", limit=MAX_ATTACHMENT_BYTES // (1024 * 1024))
        return
    kept = state.answers.setdefault(step.key, [])
    kept.append({"filename": attachment.filename, "kind": attachment.kind, "size": len(attachment.content)})
    out.effect(StoreAttachment(attachment))
    out.say("evidence.received", name=shorten(attachment.filename, 60), count=len(kept), limit=step.max_files)
    out.save()


def handle_input(step: Evidence, state: State, inp: Input, out: Output) -> bool:
    """Buttons and words on the evidence step; True when the owner is done (files are optional)."""
    if isinstance(state.sub, EvidenceView) and state.sub.removing:
        if inp.value is not None and inp.value.startswith("r") and inp.value[1:].isdigit():
            _remove(step, state, int(inp.value[1:]), out)
        state.sub = None
        return False
    if inp.action in (Nav.DONE, Nav.SKIP):
        return True
    if inp.action is Nav.REMOVE and files(step, state):
        state.sub = EvidenceView(removing=True)
        return False
    out.say("evidence.send_file")
    return False


def _remove(step: Evidence, state: State, index: int, out: Output) -> None:
    received = files(step, state)
    if not 0 <= index < len(received):
        out.say("group.pick_again")
        return
    removed = received.pop(index)
    if removed.get("id") is not None:
        out.effect(DeleteAttachment(int(removed["id"])))
    out.say("evidence.removed", name=shorten(removed.get("filename", ""), 60))
    out.save()


def render_evidence(step: Evidence, state: State, identity: str, header: str, navigation: Navigation) -> Reply:
    """The evidence step: what was received, and how to finish."""
    received = files(step, state)
    listing = "\n".join(f"{index}. {'🖼' if item.get('kind') == 'image' else '📄'} {item.get('filename', '')}"
                        for index, item in enumerate(received, start=1)) or render("value.none")
    if isinstance(state.sub, EvidenceView) and state.sub.removing:
        pairs = [(f"r{index}", shorten(f"{index + 1}. {item.get('filename', '')}", 30))
                 for index, item in enumerate(received)]
        present(state, f"{identity}:remove")
        return Reply(text=render("evidence.pick_remove", files=listing), choices=buttons(state, pairs),
                     hint=InputHint.CHOICE)
    pairs = [(nav(Nav.DONE), render("evidence.done" if received else "evidence.none"))]
    if received:
        pairs.append((nav(Nav.REMOVE), render("nav.remove")))
    present(state, identity)
    text = render(step.prompt, header=header, files=listing, limit=step.max_files)
    return Reply(text=text, choices=buttons(state, pairs + navigation), hint=InputHint.NONE)
