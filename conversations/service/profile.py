"""A person's own details, asked once right after they link with a role invite (which knows no name).

Their real name is required (never the role's word "เจ้าของโครงการ" that stood for it); phone and email are
optional (⏭ ข้าม, the word or /skip). What is still to ask is ``User.profile_asks``, so an answer is stored on
the person in the same turn and a restart resumes at the next question. A name that is only a placeholder is
asked for whatever the list says (people linked before this was asked).
"""

from __future__ import annotations

from conversations.copy import render
from conversations.engine.nav import Nav, from_text, nav
from conversations.flows.sources import is_placeholder
from conversations.messages import Choice, ChoiceRole, Inbound, InputHint, Reply
from conversations.names import address
from conversations.parsers.choices import parse_text
from conversations.parsers.contacts import parse_email, parse_phone
from conversations.parsers.errors import InvalidAnswer
from conversations.tokens import decode, encode
from models.org import User

ASKS = ["name", "phone", "email"]  # a new person's list, in order
OPTIONAL = frozenset({"phone", "email"})
SKIP = nav(Nav.SKIP)
MIN_NAME = 2


def pending(user: User) -> list[str]:
    """What is still to ask this person, in order (their name first when it is only a placeholder)."""
    asks = [field for field in ASKS if field in (user.profile_asks or [])]
    if "name" not in asks and is_placeholder(user.name):
        asks.insert(0, "name")
    return asks


def question(field: str) -> Reply:
    """The question for one detail, with ⏭ ข้าม when it is optional."""
    choices = (Choice(encode(0, SKIP), render("nav.skip"), role=ChoiceRole.NAVIGATION),) if field in OPTIONAL else ()
    hint = InputHint.TEXT if field == "name" else InputHint.NONE
    return Reply(text=render(f"profile.ask.{field}"), choices=choices, hint=hint, key=f"profile.ask.{field}")


async def answer(user: User, inbound: Inbound) -> list[Reply]:
    """Take the answer to the first pending detail; store it on the person; return what to say next
    (nothing more to say once every detail is answered: the caller then opens the menu)."""
    asks = pending(user)
    field = asks[0]
    try:
        value = _value(field, inbound)
    except InvalidAnswer as problem:
        return [Reply(text=render(problem.reason, **problem.params), key=problem.reason), question(field)]
    if value is not None:
        setattr(user, field, value)
    user.profile_asks = asks[1:]
    await user.save(update_fields=["name", "phone", "email", "profile_asks"])
    said = [Reply(text=render("profile.saved", value=value or render("value.skipped")), key="profile.saved")]
    if user.profile_asks:
        return [*said, question(user.profile_asks[0])]
    return [*said, Reply(text=render("profile.done", person=address(user.name)), key="profile.done")]


def _value(field: str, inbound: Inbound) -> str | None:
    """The detail given, None for one skipped; :class:`InvalidAnswer` for anything else."""
    skipped = False
    if inbound.button is not None:
        token = decode(inbound.button)
        skipped = token is not None and token.value == SKIP
        if not skipped:
            raise InvalidAnswer("profile.first")
    elif inbound.text is not None:
        typed = from_text(inbound.text)
        if typed.action is Nav.SKIP:
            skipped = True
        elif typed.action is not None:
            raise InvalidAnswer("profile.first")  # the menu and the rest come once this is answered
    else:
        raise InvalidAnswer("profile.first")
    if skipped:
        if field not in OPTIONAL:
            raise InvalidAnswer("nav.required")
        return None
    text = inbound.text or ""
    if field == "phone":
        return parse_phone(text)
    if field == "email":
        return parse_email(text)
    name = parse_text(text, max_length=255, min_length=MIN_NAME)
    if is_placeholder(name):
        raise InvalidAnswer("profile.name_placeholder", text=name)
    return name
