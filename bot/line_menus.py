"""LINE rich menus: one per role with its main actions, made once, kept in step, and linked to each person.

A LINE Official Account is used through its rich menu, the panel of buttons under the chat. Each button sends a
word the bot understands on any screen ("รายงานผล", "รออนุมัติ" …), so a tap is the same as typing it. At start
(:meth:`RichMenus.setup`) the menus are looked up by name — ``tidtam:<role>:<digest of the menu and its
picture>`` — and reused when they match, made (with the picture drawn by :mod:`bot.line_menu_image`) when they
do not, and ours that no longer match are deleted once everyone is moved to the new ones. The owner's is the
default, which newcomers see too; every linked person is linked to their role's. After each turn
(:meth:`RichMenus.follow`) a person who has just linked, or whose role changed, is linked to their role's menu.
LINE refusing any of this is logged and the service goes on: the menu is a shortcut, never the only way.

Pushed messages that have no buttons of their own get quick replies for the next step (:func:`with_next_steps`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from linebot.v3.messaging import AsyncMessagingApi, AsyncMessagingApiBlob, RichMenuBulkLinkRequest, RichMenuRequest

from bot.line_limits import (
    MAX_ACTION_LABEL,
    MAX_BULK_LINK_USERS,
    MAX_CHAT_BAR_TEXT,
    MAX_DISPLAY_TEXT,
    MAX_QUICK_REPLY_ITEMS,
    MAX_RICH_MENU_AREAS,
    MAX_RICH_MENU_IMAGE_BYTES,
    MAX_RICH_MENU_NAME,
    RICH_MENU_SIZE,
    fit,
)
from bot.line_menu_image import IMAGE_VERSION, cells, draw
from bot.line_postback import command_data
from conversations.copy import render as copy
from conversations.messages import Reply, ReplyKind
from conversations.service.chat_roles import roles_of
from models.enums import Platform, Role

log = logging.getLogger(__name__)
Message = dict[str, Any]
PREFIX = "tidtam:"
COLUMNS = 3
SETUP_SECONDS = 60.0  # the whole of making the menus at start; past it the service goes on without them
RECHECK = timedelta(minutes=10)  # how long a person's role is trusted before it is looked up again
KNOWN_LIMIT = 10_000  # people whose menu is remembered


@dataclass(frozen=True, slots=True)
class Button:
    """One button: its label's copy key; a tap runs the slash command ``<key>.says`` and shows the label in
    the chat (a postback: a typed word would be an answer on a question's screen)."""

    key: str

    @property
    def label(self) -> str:
        """What the button shows."""
        return copy(self.key)

    @property
    def says(self) -> str:
        """The slash command a tap runs."""
        return copy(f"{self.key}.says")

    def action(self) -> dict[str, Any]:
        """The LINE postback action of this button."""
        label = fit(self.label, MAX_ACTION_LABEL)
        return {"type": "postback", "label": label, "data": command_data(self.says),
                "displayText": fit(self.label, MAX_DISPLAY_TEXT)}


@dataclass(frozen=True, slots=True)
class MenuDesign:
    """A role's menu: its buttons row by row, and its colour."""

    buttons: tuple[Button, ...]
    colour: tuple[int, int, int]


MENUS: dict[Role, MenuDesign] = {
    Role.OWNER: MenuDesign(tuple(map(Button, ("richmenu.new", "richmenu.reports", "richmenu.mine",
                                              "richmenu.continue", "richmenu.menu", "richmenu.help"))), (6, 120, 90)),
    Role.DIRECTOR: MenuDesign(tuple(map(Button, ("richmenu.inbox", "richmenu.office", "richmenu.status",
                                                 "richmenu.pending", "richmenu.export", "richmenu.menu"))),
                              (28, 78, 150)),
    Role.ADMIN: MenuDesign(tuple(map(Button, ("richmenu.status", "richmenu.pending", "richmenu.windows",
                                              "richmenu.invite", "richmenu.export", "richmenu.menu"))),
                           (150, 80, 20)),
}
DEFAULT_ROLE = Role.OWNER  # most people are owners; a newcomer's taps are answered with how to link
NEXT_STEPS: dict[ReplyKind, tuple[Button, ...]] = {  # a pushed message's kind → its quick replies, when it has none
    ReplyKind.DIGEST: tuple(map(Button, ("richmenu.pending", "richmenu.inbox", "richmenu.menu"))),
    ReplyKind.SUMMARY: tuple(map(Button, ("richmenu.status", "richmenu.pending", "richmenu.menu"))),
}
ANYWHERE = (Button("richmenu.menu"),)


def picture(role: Role) -> bytes:
    """The PNG of a role's menu."""
    design = MENUS[role]
    return draw(tuple(button.label for button in design.buttons), RICH_MENU_SIZE, COLUMNS, design.colour)


def menu_body(role: Role) -> dict[str, Any]:
    """A role's rich menu object as LINE takes it (named with a digest of everything that shows)."""
    design = MENUS[role]
    width, height = RICH_MENU_SIZE
    rows = -(-len(design.buttons) // COLUMNS)
    areas = [{"bounds": {"x": x, "y": y, "width": w, "height": h},
              "action": button.action()}
             for button, (x, y, w, h) in zip(design.buttons, cells(RICH_MENU_SIZE, COLUMNS, rows), strict=False)]
    assert len(areas) <= MAX_RICH_MENU_AREAS
    body: dict[str, Any] = {"size": {"width": width, "height": height}, "selected": False,
                            "chatBarText": fit(copy("richmenu.bar"), MAX_CHAT_BAR_TEXT), "areas": areas}
    seen = json.dumps([body, IMAGE_VERSION, design.colour], ensure_ascii=False, sort_keys=True)
    body["name"] = f"{PREFIX}{role.value}:{hashlib.sha256(seen.encode()).hexdigest()[:12]}"[:MAX_RICH_MENU_NAME]
    return body


def with_next_steps(messages: list[Message], replies: Sequence[Reply]) -> list[Message]:
    """Pushed messages whose last one has no quick replies get the next steps for what it says (the main menu,
    at least): a push arrives on no particular screen, and the person should not have to type to go on."""
    if not messages or not replies or "quickReply" in messages[-1]:
        return messages
    steps = NEXT_STEPS.get(replies[-1].kind, ANYWHERE)[:MAX_QUICK_REPLY_ITEMS]
    items = [{"type": "action", "action": step.action()} for step in steps]
    return [*messages[:-1], {**messages[-1], "quickReply": {"items": items}}]


class RichMenus:
    """The channel's rich menus (by role, once :meth:`setup` has run) and which one each person was given."""

    def __init__(self, api: AsyncMessagingApi, blob: AsyncMessagingApiBlob, clock: Callable[[], datetime]) -> None:
        self.api = api
        self.blob = blob
        self.clock = clock
        self.ids: dict[Role, str] = {}
        self._given: dict[str, tuple[str | None, datetime]] = {}  # user id → (menu linked, when the role was read)
        self._setting_up: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Set the menus up in the background: the service answers meanwhile (with LINE's current menus)."""
        self._setting_up = asyncio.create_task(self.setup(), name="line-rich-menus")

    async def settled(self) -> None:
        """Wait until the setup started by :meth:`start` is over (done, or given up)."""
        if self._setting_up is not None:
            await asyncio.shield(self._setting_up)

    async def stop(self) -> None:
        """Stop a setup still running (the service is stopping)."""
        if self._setting_up is not None and not self._setting_up.done():
            self._setting_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._setting_up

    async def setup(self) -> None:
        """Make or reuse each role's menu, set the default, link everyone, delete our stale menus; never raises."""
        try:
            async with asyncio.timeout(SETUP_SECONDS):
                await self._setup()
        except Exception as error:  # LINE refused, or is away: the chat works without menus
            log.warning("LINE rich menus not set up: %s: %s", type(error).__name__, error)

    async def _setup(self) -> None:
        existing = {menu.rich_menu_id: menu.name for menu in (await self.api.get_rich_menu_list()).richmenus}
        ids: dict[Role, str] = {}
        for role in MENUS:
            try:
                ids[role] = await self._menu(role, existing)
            except Exception as error:  # this role's people see the default menu meanwhile
                log.warning("LINE rich menu of %s not made: %s: %s", role.value, type(error).__name__, error)
        if DEFAULT_ROLE in ids:
            await self.api.set_default_rich_menu(ids[DEFAULT_ROLE])
        self.ids = ids
        await self._link_everyone()
        for menu_id, name in existing.items():
            if name.startswith(PREFIX) and menu_id not in ids.values():
                try:
                    await self.api.delete_rich_menu(menu_id)
                except Exception as error:
                    log.warning("stale LINE rich menu %s not deleted: %s", name, error)
        log.info("LINE rich menus ready: %s", ", ".join(f"{role.value} {menu}" for role, menu in ids.items()))

    async def _menu(self, role: Role, existing: dict[str, str]) -> str:
        """The id of the role's current menu: an existing one with the same name and its picture, or a new one."""
        body = menu_body(role)
        for menu_id, name in existing.items():
            if name == body["name"] and await self._has_picture(menu_id):
                return menu_id
        image = picture(role)
        assert len(image) <= MAX_RICH_MENU_IMAGE_BYTES
        menu_id = str((await self.api.create_rich_menu(RichMenuRequest.from_dict(body))).rich_menu_id)
        try:
            await self.blob.set_rich_menu_image(menu_id, image, _headers={"Content-Type": "image/png"})
        except Exception:
            await self.api.delete_rich_menu(menu_id)  # no menu without its picture is left behind
            raise
        log.info("LINE rich menu %s made (%s)", body["name"], menu_id)
        return menu_id

    async def _has_picture(self, menu_id: str) -> bool:
        try:
            await self.blob.get_rich_menu_image(menu_id)
        except Exception:  # a menu left without its picture (a start cut short): made again
            return False
        return True

    async def _link_everyone(self) -> None:
        """Link every linked person to their role's menu, 500 to a request."""
        by_menu: dict[str, list[str]] = {}
        now = self.clock()
        for user_id, role in (await roles_of(Platform.LINE)).items():
            menu_id = self.ids.get(role)
            if menu_id is not None:
                by_menu.setdefault(menu_id, []).append(user_id)
        for menu_id, users in by_menu.items():
            for start in range(0, len(users), MAX_BULK_LINK_USERS):
                batch = users[start:start + MAX_BULK_LINK_USERS]
                await self.api.link_rich_menu_id_to_users(
                    RichMenuBulkLinkRequest(rich_menu_id=menu_id, user_ids=batch))
                self._remember(batch, menu_id, now)

    async def follow(self, user_id: str, *, linking: bool = False) -> None:
        """After a turn: link the person to their role's menu if they have just linked (``linking``), were not
        seen yet, or their role was last read long ago and has changed; never raises."""
        if not self.ids:
            return
        now = self.clock()
        given = self._given.get(user_id)
        if given is not None and not linking and now - given[1] < RECHECK:
            return
        try:
            role = (await roles_of(Platform.LINE, [user_id])).get(user_id)
            menu_id = self.ids.get(role) if role is not None else None
            if menu_id is not None and (given is None or given[0] != menu_id):
                await self.api.link_rich_menu_id_to_user(user_id, menu_id)
            elif menu_id is None and given is not None and given[0] is not None:
                await self.api.unlink_rich_menu_id_from_user(user_id)  # no longer linked: the default again
        except Exception as error:
            log.warning("LINE rich menu not linked to %s: %s: %s", user_id, type(error).__name__, error)
            return
        self._remember([user_id], menu_id, now)

    def _remember(self, users: Sequence[str], menu_id: str | None, now: datetime) -> None:
        for user_id in users:
            self._given.pop(user_id, None)
            if len(self._given) >= KNOWN_LIMIT:
                self._given.pop(next(iter(self._given)))
            self._given[user_id] = (menu_id, now)
