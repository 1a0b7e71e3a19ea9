"""The service layer: the only place a conversation turn does I/O.

For each inbound message: take the chat account's lock (in this process, and an advisory lock on
PostgreSQL), open a transaction, load the account and its session, run the pure engine (loading what it asks
for), carry out its effects and hand their outcomes to the engine's second pass (``conclude``), write the state
it concluded, the answers, the effects and the notifications for others — and, for an event from the inbox, mark
it handled and put the replies in the outbox — then commit. Only then are the replies sent. The state JSON is
the engine's: the service reads it, never edits it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from conversations.copy import render
from conversations.engine.conclude import apply_change, conclude
from conversations.engine.context import Context, DataRequest, Turn
from conversations.engine.core import step
from conversations.flows.flow import Flow, FlowId
from conversations.flows.registry import FLOWS
from conversations.messages import Inbound, Reply, ReplyKind, readable
from conversations.oversight.reminder_messages import notification
from conversations.service import inbox, profile
from conversations.service.answering import answer_pending
from conversations.service.catalog_cache import CatalogCache
from conversations.service.effects import EffectRunner
from conversations.service.freshness import item_change
from conversations.service.inbox import Claimed
from conversations.service.linking import try_link
from conversations.service.loaders import base_context, fill_context
from conversations.service.locks import KeyedLocks, advisory_key, lock_across_processes
from conversations.service.reply_codec import dump_replies, load_replies
from conversations.service.telling import NO_PUSHES, PushOutlook
from conversations.service.turn_seen import TurnSeen
from conversations.service.turn_store import SessionRow, TurnReads, TurnRows, open_turn, save_session
from models.clock import Clock, system_clock
from models.db import is_outage
from models.fiscal import FiscalQuarter
from models.org import ChatAccount, User
from models.report import QuarterReport
from models.runtime import ConversationSession, Notification
from models.windows import ReportingPolicy

log = logging.getLogger(__name__)
MAX_LOADS = 6  # data requests per turn; the engine needs at most a few
MAX_ATTEMPTS = 3  # a turn is retried when another writer got there first
NOTIFICATIONS_PER_TURN = 5


class StaleSession(Exception):
    """The session row changed under us (another process): run the turn again."""


class ClaimLost(Exception):
    """The inbox event is no longer this process's to handle (its claim lapsed and another took it)."""


class ConversationService:
    """Runs conversation turns; safe to share between channels and tasks."""

    def __init__(self, *, postgres: bool, clock: Clock = system_clock, flows: dict[str, Flow] | None = None,
                 policy: ReportingPolicy | None = None, outlook: PushOutlook = NO_PUSHES) -> None:
        self.postgres = postgres
        self.outlook = outlook  # what the people told of a change will hear, and when (see service.telling)
        self.clock = clock
        self.flows = flows or FLOWS
        self.policy = policy or ReportingPolicy()
        self.catalog = CatalogCache()
        self._locks = KeyedLocks()

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Process one message from a channel without an inbox (the terminal) and return what to say.

        Nothing escapes: a turn that fails is rolled back and the person is told it was not saved (to send it
        again later when the database could not be reached). The question answered after the commit (an export,
        a chart) can no longer fail the stored turn. Every failure is logged with the account.
        """
        try:
            replies = await self._attempts(inbound, None)
        except Exception as error:  # nothing of the turn was stored; the person must know
            key = "error.outage" if is_outage(error) else "error.sorry"
            log.exception("turn of %s failed", inbound.key)
            return [Reply(text=render(key), key=key)]
        return await self.answers(replies or [])

    async def handle_claimed(self, item: Claimed, inbound: Inbound,
                             seen: TurnSeen | None = None) -> list[Reply] | None:
        """Run the turn of an inbox event and commit it with its replies in the outbox; return the replies
        (questions about the data still to answer, see :meth:`answers`), or None when the event is no longer
        this process's. A failure is raised, the turn rolled back: the inbox worker decides what follows.
        ``seen`` is told the role of the person the committed turn read (for the channel's menu)."""
        try:
            return await self._attempts(inbound, item, seen)
        except ClaimLost:
            log.info("inbox event %s of %s was taken over by another claim", item.id, inbound.key)
            return None

    @staticmethod
    async def stored_replies(item: Claimed) -> list[Reply]:
        """The replies a stored turn left to send (a try that stored them did not get them out)."""
        stored = await inbox.stored_replies(item)
        return load_replies(stored) if stored is not None else []

    @staticmethod
    async def set_aside(item: Claimed, why: str) -> None:
        """Give up on an event whose turn fails every time: store an apology as its only reply."""
        apology = [Reply(text=render("error.set_aside"), key="error.set_aside")]
        async with in_transaction() as connection:
            if not await inbox.store_replies(item, dump_replies(apology), connection, set_aside=why):
                raise ClaimLost(str(item.id))

    async def answers(self, replies: list[Reply], *, outage_raises: bool = False) -> list[Reply]:
        """The replies with each question about the data answered (an export, a chart, a status).

        A question that fails is answered with an apology; with ``outage_raises``, one that failed because the
        database could not be reached raises instead, so that the inbox answers it once the database is back.
        """
        return await answer_pending(replies, self.clock(), self.policy, outage_raises=outage_raises,
                                    outlook=self.outlook)

    async def _attempts(self, inbound: Inbound, item: Claimed | None,
                        seen: TurnSeen | None = None) -> list[Reply] | None:
        inbound = readable(inbound)
        seen = seen if seen is not None else TurnSeen()
        async with self._locks.hold(inbound.key):
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    return await self._turn(inbound, item, seen)
                except (StaleSession, IntegrityError) as conflict:
                    if attempt == MAX_ATTEMPTS:
                        raise
                    log.info("turn of %s retried after %s", inbound.key, type(conflict).__name__)
        raise AssertionError("unreachable")

    async def _turn(self, inbound: Inbound, item: Claimed | None, seen: TurnSeen) -> list[Reply]:
        now = self.clock()
        seen.forget()  # until this try commits
        async with in_transaction() as connection:
            if self.postgres and item is None:  # an inbox event's claim already holds the chat, in every process
                await lock_across_processes(connection, advisory_key("chat", inbound.platform, inbound.user_ref))
            rows = await open_turn(connection, inbound.platform, inbound.user_ref, inbound.display_name, now,
                                   seen.live_chat)
            user = rows.user
            if user is None or not user.active:
                replies = await self._link(rows.account(), inbound, now, first_contact=rows.created,
                                           inactive=user is not None)
            elif profile.pending(user):
                replies = await self._profile(rows.account_id, user, inbound, now)
            else:
                replies = await self._converse(rows.account_id, user, inbound, now, rows)
            if item is not None and not await inbox.store_replies(item, dump_replies(replies), connection):
                raise ClaimLost(str(item.id))  # last, so that the event's row is locked only while committing
            if user is not None and user.active:
                seen.saw(user.role)  # a person just linked (user None, or inactive before) is left unknown
            if seen.live_chat is not None:
                seen.saw_live(rows.live)
            return replies

    async def _link(self, account: ChatAccount, inbound: Inbound, now: datetime, *, first_contact: bool,
                    inactive: bool) -> list[Reply]:
        outcome = await try_link(account, inbound.text, now, first_contact=first_contact, inactive=inactive)
        replies = [Reply(text=message, key="link", kind=ReplyKind.LINKED) for message in outcome.messages]
        if outcome.user is not None:
            await ConversationSession.filter(chat_account=account).delete()  # nothing of a previous person carries over
            asks = profile.pending(outcome.user)
            if asks:  # their own details first, then the menu
                return [*replies, profile.question(asks[0])]
            start = Inbound(platform=inbound.platform, user_ref=inbound.user_ref, text="/start")
            replies.extend(await self._converse(account.id, outcome.user, start, now))
        return replies

    async def _profile(self, account_id: int, user: User, inbound: Inbound, now: datetime) -> list[Reply]:
        """The person's own details, asked once after linking; the menu once they are given."""
        replies = await profile.answer(user, inbound)
        if profile.pending(user):
            return replies
        start = Inbound(platform=inbound.platform, user_ref=inbound.user_ref, text="/start")
        return [*replies, *await self._converse(account_id, user, start, now)]

    async def _converse(self, account_id: int, user: User, inbound: Inbound, now: datetime,
                        rows: TurnRows | None = None) -> list[Reply]:
        """The conversation's turn; ``rows`` are what the turn opened with, when they are still this person's
        (after linking they are not: the session is new and the office re-read)."""
        session = rows.session if rows is not None else None
        if session is None:  # the first conversation of this account, or a person just linked
            session = SessionRow.of((await ConversationSession.get_or_create(chat_account_id=account_id))[0])
        ctx = await base_context(user, now, rows.office if rows is not None else None)
        read = TurnReads()
        current = apply_change(self.flows, session.state, await item_change(self.flows, session.state, user, read))
        turn, ctx = await self._run(current, inbound, now, ctx, user, read)
        outcomes = await EffectRunner(self.flows, user, now, self.policy, self.outlook, read).run(turn, current)
        finished = conclude(self.flows, turn, outcomes, ctx)
        state = finished.state
        if not await save_session(session, state, now):
            raise StaleSession(str(session.id))
        notified = rows is None or rows.notified
        return [*(await self._notifications(user, now) if notified else []), *finished.replies]

    async def _run(self, state: dict[str, Any], inbound: Inbound, now: datetime, ctx: Context,
                   user: User, read: TurnReads) -> tuple[Turn, Context]:
        """The engine's turn, loading what it asks for; with the context it ran on (the second pass reads it)."""
        for _ in range(MAX_LOADS):
            result = step(self.flows, state, inbound, now, ctx)
            if not isinstance(result, DataRequest):
                return result, ctx
            requested = result.needs
            ctx = await fill_context(ctx, requested, user, self.flows[FlowId.REGISTER], self.catalog, self.policy,
                                     read)
        raise RuntimeError(f"the engine kept asking for data: {sorted(map(repr, requested))}")

    @staticmethod
    async def _notifications(user: User, now: datetime) -> list[Reply]:
        """What others did that concerns this user, shown once at the top of their turn."""
        waiting = await Notification.filter(recipient=user, shown_at__isnull=True).order_by("id").limit(
            NOTIFICATIONS_PER_TURN)
        # one conditional update each: a row stopped meanwhile (a take-back stopping its news) is not shown
        waiting = [note for note in waiting
                   if await Notification.filter(id=note.id, shown_at__isnull=True).update(shown_at=now)]
        if not waiting:
            return []
        report_ids = [note.report_id for note in waiting if note.report_id is not None]
        periods = {row["id"]: FiscalQuarter(row["fiscal_year"], row["quarter"]) for row in await QuarterReport.filter(
            id__in=report_ids).values("id", "fiscal_year", "quarter")} if report_ids else {}
        return [notification(note.key, note.params, note.project_id, note.report_id, periods.get(note.report_id))
                for note in waiting]  # the same message and buttons as when it is pushed

