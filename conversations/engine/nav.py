"""Navigation actions: the same from a button or from a typed word or slash command, on every channel."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from conversations.copy.words import NAV_WORDS
from conversations.tokens import NAV, WIDGET, decode


class Nav(StrEnum):
    """Everything a user can do besides answering."""

    BACK = "back"
    SKIP = "skip"
    KEEP = "keep"
    SAVE = "save"
    CANCEL = "cancel"
    MENU = "menu"
    HUB = "hub"
    REVIEW = "review"
    SUBMIT = "submit"
    HELP = "help"
    NEW = "new"
    MINE = "mine"
    CONTINUE = "continue"
    DONE = "done"
    YES = "yes"
    NO = "no"
    ADD = "add"
    ADD_CHILD = "addchild"
    EDIT = "edit"
    REMOVE = "remove"
    UP = "up"
    PICK = "pick"
    SEARCH = "search"
    OPEN = "open"
    START = "start"
    REPORTS = "reports"
    INBOX = "inbox"
    HISTORY = "history"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    STATUS = "status"
    PENDING = "pending"
    PROJECT = "project"
    FIND = "find"
    EXPORT = "export"
    TEMPLATE = "template"
    CHART = "chart"
    INVITE = "invite"
    WINDOWS = "windows"
    WINDOW = "window"
    EXCEPT = "except"
    PDF = "pdf"
    EMENSCR = "emenscr"
    KEYED = "keyed"
    NEXT = "next"
    PREV = "prev"
    EMENSCR_ID = "eid"
    COPY = "copy"


# words that may be followed by what they act on
WITH_ARGUMENT = frozenset({"history", "status", "pending", "project", "find", "export", "chart", "invite",
                           "windows", "window", "except"})


def nav(action: Nav) -> str:
    """The button value of a navigation action."""
    return f"{NAV}{action}"


@dataclass(frozen=True, slots=True)
class Input:
    """One user input, decoded: an action, a button value, or typed text (exactly one is set)."""

    action: Nav | None = None
    value: str | None = None
    text: str | None = None
    argument: str = ""  # the rest of a command, e.g. the code of ``/start CODE``
    typed: str = ""  # the text, when the action came from a word rather than a slash command or a button


def from_text(text: str) -> Input:
    """Typed text: a navigation word or slash command when it is exactly one, else an answer."""
    stripped = text.strip()
    head, _, rest = stripped.partition(" ")
    if head.startswith("/"):
        command = head[1:].split("@", 1)[0].lower()
        try:
            return Input(action=Nav(command), argument=rest.strip())
        except ValueError:
            pass
    word = " ".join(stripped.lower().split())
    if word in NAV_WORDS:
        return Input(action=Nav(NAV_WORDS[word]), typed=text)
    if NAV_WORDS.get(head.lower()) in WITH_ARGUMENT and rest.strip():  # "ประวัติ CMI1-2570-001"
        return Input(action=Nav(NAV_WORDS[head.lower()]), argument=rest.strip(), typed=text)
    return Input(text=text)


def from_button(value: str) -> Input:
    """A pressed button's value (already checked to belong to the live prompt).

    A value starting with ``@`` was typed through a widget (a calendar day, LINE's date picker): it is
    taken as typed text, so it is parsed like any answer but, being a button, can never be stale.
    """
    if value.startswith(WIDGET):
        return Input(text=value[len(WIDGET):])
    if value.startswith(NAV):
        try:
            return Input(action=Nav(value[len(NAV):]))
        except ValueError:
            return Input(value=value)
    return Input(value=value)


def button_prompt(token: str) -> tuple[int, str] | None:
    """The prompt number and value of a token, or None when it is not ours."""
    decoded = decode(token)
    return (decoded.prompt, decoded.value) if decoded else None
