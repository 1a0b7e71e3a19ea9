"""The Telegram command menu each person sees: a newcomer's by default, and their role's once they are linked.

Telegram shows the commands set for a chat (``BotCommandScopeChat``) before the default ones, so a linked
person's menu is set on their chat when their role is first seen, and again when it changes; an account no
longer linked gets the default back. Which role a chat's menu was set for is remembered in this process only:
after a restart the first turn of each chat sets it once more, which Telegram takes as a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.telegram_limits import MAX_COMMAND_DESCRIPTION_CHARS
from bot.telegram_send import Blocked, TelegramSender
from conversations.copy import render as copy
from conversations.copy.words import NAV_WORDS
from conversations.formatting import shorten
from conversations.service.chat_roles import roles_of
from conversations.service.turn_seen import TurnSeen
from models.enums import Platform, Role

log = logging.getLogger(__name__)
# Every command the engine understands, described by the copy of its button (or, with None, its Thai word), in
# the order of the menu: the main actions first (issue 17: one tap from the menu button to new project, continue,
# my reports, inbox, status), so each role's menu opens on its own.
MAIN_ACTIONS = ("new", "continue", "reports", "inbox", "status")
COMMANDS: tuple[tuple[str, str | None], ...] = (
    ("new", "menu.new"), ("continue", None), ("reports", "menu.reports"), ("inbox", None), ("status", None),
    ("mine", "nav.mine"), ("copy", "copy.menu"), ("menu", "nav.menu"), ("pending", None), ("project", None),
    ("find", None), ("export", None), ("chart", None), ("template", None), ("invite", None), ("windows", None),
    ("window", None), ("except", None), ("hub", "nav.hub"), ("review", "nav.review"), ("back", "nav.back"),
    ("skip", "nav.skip"), ("save", "nav.save"), ("submit", "nav.submit"), ("cancel", "nav.cancel"),
    ("help", "menu.help"),
)
NEWCOMER: tuple[tuple[str, str], ...] = (("start", "cmd.start"), ("help", "cmd.help"))
_LOOK_UP = ("status", "project", "find", "export")
_DECIDE = ("menu", "mine", "inbox", "status", "pending", "project", "find", "export", "chart", "template", "back",
           "cancel", "help")
ROLE_COMMANDS: dict[Role, frozenset[str]] = {
    # owners register and report; they look up their own projects
    Role.OWNER: frozenset({"menu", "new", "copy", "mine", "reports", "continue", "hub", "review", "back", "skip",
                           "save", "submit", "cancel", "help", *_LOOK_UP}),
    # directors decide and follow their office; admins too, and manage invites and windows
    Role.DIRECTOR: frozenset(_DECIDE),
    Role.ADMIN: frozenset({*_DECIDE, "invite", "windows", "window", "except"}),
}


def _described(command: str, key: str | None) -> BotCommand:
    text = copy(key) if key else next(word for word, action in NAV_WORDS.items() if action == command)
    return BotCommand(command, shorten(text, MAX_COMMAND_DESCRIPTION_CHARS))


def bot_commands(role: Role | None = None) -> list[BotCommand]:
    """The Thai command menu of ``role`` in the order of :data:`COMMANDS`; every command when None."""
    allowed: Iterable[str] = ROLE_COMMANDS[role] if role is not None else (name for name, _ in COMMANDS)
    wanted = set(allowed)
    return [_described(command, key) for command, key in COMMANDS if command in wanted]


def newcomer_commands() -> list[BotCommand]:
    """The default menu: what someone not linked yet can do (link with an invite, ask how)."""
    return [_described(command, key) for command, key in NEWCOMER]


class CommandMenus:
    """Sets the default menu, and each chat's menu for the role of the person linked to it."""

    def __init__(self, sender: TelegramSender) -> None:
        self.sender = sender
        self._shown: dict[int, Role | None] = {}  # chat → the role its menu was set for (None: the default)

    async def set_default(self) -> None:
        """The newcomer's menu for every chat without one of its own. Never raises: a missing menu must not
        keep the bot from answering."""
        bot = self.sender.bot
        try:
            await self.sender.call("setMyCommands", lambda: bot.set_my_commands(newcomer_commands()))
        except (TelegramError, Blocked) as error:
            log.warning("telegram setMyCommands failed: %s", error)

    async def follow(self, chat_id: int, user_ref: str, seen: TurnSeen | None = None) -> None:
        """Give the chat the menu of its person's current role (the default when unlinked or inactive): the role
        the turn just read (``seen``), or, when it did not settle it (no turn ran, someone linked), looked up.

        Never raises: a menu that could not be set is tried again at the chat's next turn.
        """
        if seen is not None and seen.known:
            role = seen.role
        else:
            role = (await roles_of(Platform.TELEGRAM, [user_ref])).get(user_ref)
        if chat_id in self._shown and self._shown[chat_id] == role:
            return
        if chat_id not in self._shown and role is None:
            self._shown[chat_id] = None  # nothing of its own was set in this process; the default stands
            return
        bot, scope = self.sender.bot, BotCommandScopeChat(chat_id)
        try:
            if role is None:
                await self.sender.call("deleteMyCommands", lambda: bot.delete_my_commands(scope=scope))
            else:
                commands = bot_commands(role)
                await self.sender.call("setMyCommands", lambda: bot.set_my_commands(commands, scope=scope))
        except (TelegramError, Blocked) as error:
            log.warning("telegram menu of chat %d for %s not set: %s", chat_id, role or "a newcomer", error)
            return
        self._shown[chat_id] = role
