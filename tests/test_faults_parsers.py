"""Fuzzing what ``test_parser_properties`` does not reach: every kind of question as the engine parses it (the
quarterly plan against any amount, multi-selects, long texts), the button and link tokens a hostile client can
post, and the engine's turn itself — arbitrary text and buttons at each screen of a registration and in the
admins' commands never make a turn fail (a failed turn is rolled back and answered with an apology).
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from conversations.copy import render
from conversations.engine.answers import parse_typed
from conversations.flows.flow import Kind, Question
from conversations.flows.registry import FLOWS
from conversations.messages import Inbound, Reply
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.quarter_plan import parse_quarter_plan
from conversations.tokens import decode, link_token, link_value
from models.db import Database
from tests.support.parsing import MAX_MONEY
from tests.support.scenario import fill_m1, fill_m2, fill_m3, fill_m4, fill_m5, start_project
from tests.support.transcript import Chat
from tests.support.world import demo_world
from tests.test_parser_properties import ANY_TEXT, PROPERTY, TOKENS


def _questions(node: object) -> list[Question]:
    """Every question under a flow, a section or a group (list items and sub-items included)."""
    if isinstance(node, Question):
        return [node]
    if isinstance(node, tuple | list):
        return [question for child in node for question in _questions(child)]
    if dataclasses.is_dataclass(node):
        return [question for item in dataclasses.fields(node) for question in _questions(getattr(node, item.name))]
    return []


QUESTIONS: list[Question] = sorted({question.key + "/" + question.kind.value: question for flow in FLOWS.values()
                                    for question in _questions(flow)}.values(), key=lambda question: question.key)
AMOUNTS = st.one_of(st.decimals(min_value=Decimal("-1000"), max_value=MAX_MONEY * 10, places=2, allow_nan=False),
                    st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("520000"), Decimal("1e12")]))


def _renders(error: InvalidAnswer) -> None:
    """A refusal the user is shown: an ``invalid.*`` message of the catalog that renders with its params."""
    assert error.reason.startswith("invalid."), error.reason
    assert render(error.reason, **error.params)


def _options(question: Question) -> list[tuple[str, str]]:
    return [(option.value, render(option.label)) for option in question.options] or [("a", "ก"), ("b", "ข")]


def test_every_kind_of_question_is_fuzzed() -> None:
    assert {question.kind for question in QUESTIONS} >= set(Kind) - {Kind.PERCENT}  # percent: in the parser test


@PROPERTY
@given(data=st.data(), text=ANY_TEXT, amount=AMOUNTS)
def test_any_typed_answer_to_any_question_is_a_value_or_an_invalid_answer(data: st.DataObject, text: str,
                                                                         amount: Decimal) -> None:
    question = data.draw(st.sampled_from(QUESTIONS))
    try:
        parse_typed(question, text, _options(question), {"amount": str(amount)})
    except InvalidAnswer as error:
        _renders(error)


@PROPERTY
@given(text=ANY_TEXT, amount=AMOUNTS)
def test_the_quarterly_plan_of_any_amount_adds_up_or_is_refused(text: str, amount: Decimal) -> None:
    try:
        plan = parse_quarter_plan(text, amount)
    except InvalidAnswer as error:
        _renders(error)
        return
    assert sum(plan) == amount and all(part >= 0 for part in plan)


@PROPERTY
@given(token=st.one_of(st.text(max_size=80), st.lists(st.sampled_from(["1", ".", "~", "z", "0", "-", "ก", ":", "!",
                                                                       "l", "p"]), max_size=20).map("".join)))
@example(token="*\x80")  # a forged link that is not ASCII (found by this test in CI)
def test_any_posted_button_or_link_token_decodes_or_is_ignored(token: str) -> None:
    decoded = decode(token)
    assert decoded is None or decoded.value in token
    value = link_value(token)
    assert value is None or link_token(value) == token


# --- the engine's turn, fuzzed at each screen ----------------------------------------------------------------

SEED = 909
TRIES_PER_SCREEN = 4
COMMANDS = ["/window", "/except", "/invite", "/status", "/pending", "/project", "/find", "/history", "/windows"]


def _garbage(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return "".join(rng.choice(TOKENS) for _ in range(rng.randrange(1, 8)))
    if kind == 1:
        return "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(rng.randrange(1, 40)))
    if kind == 2:
        words = [*TOKENS, "CMI1", "Q1/2570", "Q9/2570", "31/2/70", "ผู้อำนวยการ", "admin"]
        return rng.choice(COMMANDS) + " " + " ".join(rng.choice(words) for _ in range(rng.randrange(0, 4)))
    return "x" * rng.choice([0, 1, 501, 2001, 5000])


class Undone(Exception):
    """Raised to roll a fuzzed turn back."""


FAILED = frozenset({"error.sorry", "error.outage"})  # the service's answers to a turn that was rolled back


class FuzzingChat(Chat):
    """A chat that, before each real message, tries arbitrary ones at the live screen, each rolled back."""

    def __init__(self, chat: Chat, rng: random.Random) -> None:
        super().__init__(chat.handle, chat.user_ref, chat.platform)
        self.rng = rng
        self.tried = 0

    async def send(self, inbound: Inbound) -> list[Reply]:
        """Fuzz the live screen, then send the real message."""
        if self.last:
            await self.fuzz()
        return await super().send(inbound)

    async def fuzz(self) -> None:
        """Arbitrary text and buttons at the live screen: answered, never a failed turn, and undone."""
        tokens = [choice.token for choice in self.screen.choices]
        for _ in range(TRIES_PER_SCREEN):
            if tokens and self.rng.random() < 0.3:
                token = self.rng.choice(tokens)
                button = self.rng.choice([token, token + "x", token.split(".")[0] + ".999", "9" + token, ""])
                inbound = Inbound(self.platform, self.user_ref, button=button)
            else:
                inbound = Inbound(self.platform, self.user_ref, text=_garbage(self.rng))
            replies: list[Reply] = []
            with contextlib.suppress(Undone):
                async with in_transaction():  # the service's own transaction nests inside, and goes with it
                    replies = await self.handle(inbound)
                    raise Undone
            self.tried += 1
            assert replies and not FAILED & {reply.key for reply in replies}, (inbound, replies)


async def test_arbitrary_input_at_every_screen_of_a_registration_never_fails_a_turn(database: Database) -> None:
    rng = random.Random(SEED)
    async with demo_world(database) as world:
        chat = FuzzingChat(world.chat("suda"), rng)
        for fill in (start_project, fill_m1, fill_m2, fill_m3, fill_m4, fill_m5):
            await fill(chat)
        assert chat.screen.key == "review", chat.screen.key  # the scenario went through to the review card
        admin = FuzzingChat(world.chat("admin"), rng)
        await admin.say("เมนู")
        await admin.say("/windows")
        assert chat.tried >= 300 and admin.tried == TRIES_PER_SCREEN  # every screen of the registration fuzzed
