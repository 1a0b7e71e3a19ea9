"""The service layer: the only place a conversation turn does I/O.

For each inbound message: take the chat account's lock (in this process, and an advisory lock on
PostgreSQL), open a transaction, drop an already-processed event, load the account and its session,
run the pure engine (loading what it asks for), write the state, the answers, the effects and the
notifications for others, commit — and only then return the replies for the channel to send.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from asyncpg.exceptions import InterfaceError, PostgresConnectionError
from tortoise.exceptions import DBConnectionError, IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from conversations.answering import answer_pending
from conversations.catalog_cache import CatalogCache
from conversations.copy import render
from conversations.effects import EffectRunner
from conversations.engine.context import Context, Turn
from conversations.engine.core import step
from conversations.flow import Flow
from conversations.flows import FLOWS
from conversations.freshness import fresh_state
from conversations.linking import try_link
from conversations.loaders import base_context, fill_context
from conversations.locks import KeyedLocks, advisory_key, lock_across_processes
from conversations.messages import Inbound, Reply, TurnFailed
from models.clock import Clock, system_clock
from models.org import ChatAccount, User
from models.runtime import ConversationSession, Notification, ProcessedEvent
from models.windows import ReportingPolicy

log = logging.getLogger(__name__)
MAX_LOADS = 6  # data requests per turn; the engine needs at most a few
MAX_ATTEMPTS = 3  # a turn is retried when another writer got there first
# The database could not be reached or was busy: an outage that passes, so the platform should deliver again.
OUTAGES = (OperationalError, DBConnectionError, PostgresConnectionError, InterfaceError, OSError)
NOTIFICATIONS_PER_TURN = 5


class StaleSession(Exception):
    """The session row changed under us (another process): run the turn again."""


class ConversationService:
    """Runs conversation turns; safe to share between channels and tasks."""

    def __init__(self, *, postgres: bool, clock: Clock = system_clock, flows: dict[str, Flow] | None = None,
                 policy: ReportingPolicy | None = None) -> None:
        self.postgres = postgres
        self.clock = clock
        self.flows = flows or FLOWS
        self.policy = policy or ReportingPolicy()
        self.catalog = CatalogCache()
        self._locks = KeyedLocks()

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Process one inbound message and return what to send (empty for a duplicate event).

        Nothing escapes. A turn that fails is rolled back. When the database could not be reached (an outage
        that passes) it is answered with :class:`TurnFailed`, which tells the user it will be tried again and a
        webhook to ask the platform for a redelivery; after a bug it gets a plain apology (a redelivery would
        fail the same way). The question answered after the commit (an export, a chart) can no longer fail the
        stored turn. Every failure is logged with the account and event for the operators.
        """
        async with self._locks.hold(inbound.key):
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    replies = await self._turn(inbound)
                    break
                except (StaleSession, IntegrityError) as conflict:
                    if attempt < MAX_ATTEMPTS:
                        log.info("turn of %s retried after %s", inbound.key, type(conflict).__name__)
                        continue
                    log.exception("turn of %s (event %s) failed after retries", inbound.key, inbound.event_id)
                    return [TurnFailed(text=render("error.outage"), key="error.outage")]
                except OUTAGES:
                    log.exception("turn of %s (event %s): database unavailable", inbound.key, inbound.event_id)
                    return [TurnFailed(text=render("error.outage"), key="error.outage")]
                except Exception:  # a bug must not leave the user without an answer
                    log.exception("turn of %s (event %s) failed", inbound.key, inbound.event_id)
                    return [Reply(text=render("error.sorry"), key="error.sorry")]
            if inbound.on_stored is not None:
                inbound.on_stored(True)  # the webhook may answer now; the question's answer may take a while
            try:
                return await answer_pending(replies, self.clock(), self.policy)
            except Exception:  # the turn is stored; only the question's answer failed
                log.exception("answer for %s (event %s) failed", inbound.key, inbound.event_id)
                return [Reply(text=render("error.sorry"), key="error.sorry")]
        raise AssertionError("unreachable")

    async def _turn(self, inbound: Inbound) -> list[Reply]:
        now = self.clock()
        async with in_transaction() as connection:
            if self.postgres:
                await lock_across_processes(connection, advisory_key("chat", inbound.platform, inbound.user_ref))
            if inbound.event_id is not None:
                if await ProcessedEvent.filter(platform=inbound.platform, event_id=inbound.event_id).exists():
                    return []
                await ProcessedEvent.create(platform=inbound.platform, event_id=inbound.event_id)
            account, created = await ChatAccount.get_or_create(
                platform=inbound.platform, external_id=inbound.user_ref,
                defaults={"display_name": inbound.display_name[:255]})
            account.last_seen_at = now
            account.active = True
            await account.save(update_fields=["last_seen_at", "active"])
            user = await User.get_or_none(id=account.user_id) if account.user_id else None
            if user is None or not user.active:
                return await self._link(account, inbound, now, first_contact=created, inactive=user is not None)
            return await self._converse(account, user, inbound, now)

    async def _link(self, account: ChatAccount, inbound: Inbound, now: datetime, *, first_contact: bool,
                    inactive: bool) -> list[Reply]:
        outcome = await try_link(account, inbound.text, now, first_contact=first_contact, inactive=inactive)
        replies = [Reply(text=message, key="link") for message in outcome.messages]
        if outcome.user is not None:
            await ConversationSession.filter(chat_account=account).delete()  # nothing of a previous person carries over
            start = Inbound(platform=inbound.platform, user_ref=inbound.user_ref, text="/start")
            replies.extend(await self._converse(account, outcome.user, start, now))
        return replies

    async def _converse(self, account: ChatAccount, user: User, inbound: Inbound, now: datetime) -> list[Reply]:
        session, _ = await ConversationSession.get_or_create(chat_account=account)
        if self.postgres:
            session = await ConversationSession.select_for_update().get(id=session.id)
        ctx = await base_context(user, now)
        current = await fresh_state(self.flows, session.state, user)
        turn = await self._run(current, inbound, now, ctx, user)
        runner = EffectRunner(self.flows, user, now, self.policy)
        state = await runner.apply(turn, current)
        updated = await ConversationSession.filter(id=session.id, row_version=session.row_version).update(
            state=state, flow_id=state.get("flow", ""), flow_version=state.get("flow_version", 0),
            row_version=session.row_version + 1, updated_at=now)
        if updated != 1:
            raise StaleSession(str(session.id))
        return [*await self._notifications(user, now), *runner.messages, *turn.replies]

    async def _run(self, state: dict[str, Any], inbound: Inbound, now: datetime, ctx: Context, user: User) -> Turn:
        for _ in range(MAX_LOADS):
            turn = step(self.flows, state, inbound, now, ctx)
            if not turn.needs:
                return turn
            ctx = await fill_context(ctx, turn.needs, user, self.flows["register"], self.catalog, self.policy)
        raise RuntimeError(f"the engine kept asking for data: {sorted(turn.needs)}")

    @staticmethod
    async def _notifications(user: User, now: datetime) -> list[Reply]:
        """What others did that concerns this user, shown once at the top of their turn."""
        waiting = await Notification.filter(recipient=user, shown_at__isnull=True).order_by("id").limit(
            NOTIFICATIONS_PER_TURN)
        if not waiting:
            return []
        await Notification.filter(id__in=[note.id for note in waiting]).update(shown_at=now)
        return [Reply(text=render(note.key, **note.params), key=note.key) for note in waiting]

