"""The service layer: the only place a conversation turn does I/O.

For each inbound message: take the chat account's lock (in this process, and an advisory lock on
PostgreSQL), open a transaction, drop an already-processed event, load the account and its session,
run the pure engine (loading what it asks for), write the state, the answers and the effects, commit —
and only then return the replies for the channel to send.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from conversations.catalog_cache import CatalogCache
from conversations.engine.context import Context, DeleteDraft, SaveDraft, SubmitProject, Turn
from conversations.engine.core import step
from conversations.flow import Flow
from conversations.flows import REGISTRATION_FLOW
from conversations.linking import try_link
from conversations.loaders import base_context, fill_context
from conversations.locks import KeyedLocks, advisory_key, lock_across_processes
from conversations.messages import Inbound, Reply
from conversations.store import create_project, save_answers, submit_project
from models.clock import Clock, system_clock
from models.enums import ItemStatus
from models.org import ChatAccount, User
from models.project import Project
from models.runtime import ConversationSession, ProcessedEvent

log = logging.getLogger(__name__)
MAX_LOADS = 6  # data requests per turn; the engine needs at most a few
MAX_ATTEMPTS = 3  # a turn is retried when another writer got there first


class StaleSession(Exception):
    """The session row changed under us (another process): run the turn again."""


class ConversationService:
    """Runs conversation turns; safe to share between channels and tasks."""

    def __init__(self, *, postgres: bool, clock: Clock = system_clock, flow: Flow = REGISTRATION_FLOW) -> None:
        self.postgres = postgres
        self.clock = clock
        self.flow = flow
        self.catalog = CatalogCache()
        self._locks = KeyedLocks()

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Process one inbound message and return what to send (empty for a duplicate event)."""
        async with self._locks.hold(inbound.key):
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    return await self._turn(inbound)
                except (StaleSession, IntegrityError) as conflict:
                    if attempt == MAX_ATTEMPTS:
                        raise
                    log.info("turn of %s retried after %s", inbound.key, type(conflict).__name__)
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
            user = await User.get_or_none(id=account.user_id, active=True) if account.user_id else None
            if user is None:
                return await self._link(account, inbound, now, first_contact=created)
            return await self._converse(account, user, inbound, now)

    async def _link(self, account: ChatAccount, inbound: Inbound, now: datetime, *, first_contact: bool) -> list[Reply]:
        outcome = await try_link(account, inbound.text, now, first_contact=first_contact)
        replies = [Reply(text=message, key="link") for message in outcome.messages]
        if outcome.user is not None:
            start = Inbound(platform=inbound.platform, user_ref=inbound.user_ref, text="/start")
            replies.extend(await self._converse(account, outcome.user, start, now))
        return replies

    async def _converse(self, account: ChatAccount, user: User, inbound: Inbound, now: datetime) -> list[Reply]:
        session, _ = await ConversationSession.get_or_create(chat_account=account)
        if self.postgres:
            session = await ConversationSession.select_for_update().get(id=session.id)
        ctx = await base_context(user, now)
        turn = await self._run(session.state, inbound, now, ctx, user)
        state = await self._apply(turn, session.state, user, now)
        updated = await ConversationSession.filter(id=session.id, row_version=session.row_version).update(
            state=state, flow_id=self.flow.id, flow_version=self.flow.version, row_version=session.row_version + 1,
            updated_at=now)
        if updated != 1:
            raise StaleSession(str(session.id))
        return list(turn.replies)

    async def _run(self, state: dict[str, Any], inbound: Inbound, now: datetime, ctx: Context, user: User) -> Turn:
        for _ in range(MAX_LOADS):
            turn = step(self.flow, state, inbound, now, ctx)
            if not turn.needs:
                return turn
            ctx = await fill_context(ctx, turn.needs, user, self.flow, self.catalog)
        raise RuntimeError(f"the engine kept asking for data: {sorted(turn.needs)}")

    async def _apply(self, turn: Turn, previous: dict[str, Any], user: User, now: datetime) -> dict[str, Any]:
        """Perform the turn's effects; return the state to store (with new ids and project code)."""
        state = dict(turn.state)
        for effect in turn.effects:
            if isinstance(effect, SaveDraft):
                state = await self._save(state, previous, user, now)
            elif isinstance(effect, SubmitProject):
                project = await self._owned(effect.project_id, user)
                if project.status in (ItemStatus.DRAFT, ItemStatus.RETURNED):
                    await submit_project(project, now, user)
            elif isinstance(effect, DeleteDraft):
                project = await self._owned(effect.project_id, user)
                if project.status is ItemStatus.DRAFT and project.submitted_at is None:
                    await project.delete()
        return state

    async def _save(self, state: dict[str, Any], previous: dict[str, Any], user: User, now: datetime) -> dict[str, Any]:
        answers = state.get("answers") or {}
        project_id = state.get("project_id")
        old_answers = (previous or {}).get("answers") or {}
        if project_id is None:
            project = await create_project(self.flow, user, answers)
            state["project_id"], state["project_code"], state["project_status"] = project.id, project.code, "draft"
            old_answers = {}
        else:
            project = await self._owned(project_id, user)
            if project.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
                raise PermissionError(f"project {project.code} is {project.status} and cannot change")
            if (previous or {}).get("project_id") != project_id:
                old_answers = {}
        state["answers"] = await save_answers(self.flow, project, old_answers, answers, user, now)
        return state

    @staticmethod
    async def _owned(project_id: int, user: User) -> Project:
        project = await Project.get(id=project_id)
        if project.owner_id != user.id:
            raise PermissionError("a project may only be changed by its owner")
        return project

