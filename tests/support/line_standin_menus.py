"""The rich menu part of the stand-in LINE Messaging API, checked against LINE's rules as they are documented.

Served: ``POST /v2/bot/richmenu`` (create), ``GET /v2/bot/richmenu/list``, ``DELETE /v2/bot/richmenu/{id}``,
``POST`` and ``GET /v2/bot/richmenu/{id}/content`` (the image, on LINE's data host, which the SDK sends here
too), ``POST /v2/bot/user/all/richmenu/{id}`` (the default), ``POST /v2/bot/user/{user}/richmenu/{id}`` (link
one user), ``DELETE /v2/bot/user/{user}/richmenu`` (unlink) and ``POST /v2/bot/richmenu/bulk/link`` (up to 500).
As LINE: a menu without its image cannot be made the default nor linked; an image is uploaded once, PNG or JPEG,
at most 1 MB, of the menu's size; deleting a menu unlinks it from everyone. Faults are injected per kind
(``richmenu.create``, ``richmenu.image`` …) with the stand-in's ``fail``.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from tests.support.line_standin import LineStandin

Json = dict[str, Any]
MAX_IMAGE_BYTES = 1024 * 1024
IMAGE_TYPES = ("image/png", "image/jpeg")
ACTIONS = ("postback", "message", "uri", "datetimepicker", "richmenuswitch")
NO_IMAGE = "Must upload richmenu image before applying it to user"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class RichMenu:
    """One rich menu as LINE keeps it."""

    rich_menu_id: str
    body: Json
    image: bytes | None = None
    image_type: str = ""

    @property
    def name(self) -> str:
        """The menu's name (ours say what and which version)."""
        return str(self.body["name"])

    def area_actions(self) -> dict[str, dict[str, Any]]:
        """Each area's label → its action, as a tap sends it."""
        return {area["action"].get("label", ""): area["action"] for area in self.body["areas"]}


@dataclass
class RichMenus:
    """The channel's rich menus, its default and each user's linked menu."""

    by_id: dict[str, RichMenu] = field(default_factory=dict)
    default: str | None = None
    linked: dict[str, str] = field(default_factory=dict)  # user id → rich menu id

    def named(self, prefix: str) -> list[RichMenu]:
        """The menus whose name starts with ``prefix``, oldest first."""
        return [menu for menu in self.by_id.values() if menu.name.startswith(prefix)]

    def of_user(self, user_id: str) -> RichMenu | None:
        """The menu a user sees: their own, else the default."""
        menu_id = self.linked.get(user_id, self.default)
        return self.by_id.get(menu_id) if menu_id else None


def add_menu_routes(app: web.Application, standin: LineStandin) -> None:
    """Serve the rich menu endpoints of ``standin``."""
    handlers = _Handlers(standin)
    app.router.add_post("/v2/bot/richmenu", handlers.create)
    app.router.add_get("/v2/bot/richmenu/list", handlers.list)
    app.router.add_post("/v2/bot/richmenu/bulk/link", handlers.bulk_link)
    app.router.add_delete("/v2/bot/richmenu/{menu}", handlers.delete)
    app.router.add_post("/v2/bot/richmenu/{menu}/content", handlers.upload)
    app.router.add_get("/v2/bot/richmenu/{menu}/content", handlers.download)
    app.router.add_post("/v2/bot/user/{user}/richmenu/{menu}", handlers.link)
    app.router.add_delete("/v2/bot/user/{user}/richmenu", handlers.unlink)


class _Handlers:
    def __init__(self, standin: LineStandin) -> None:
        self.standin = standin
        self.menus = standin.menus

    async def create(self, request: web.Request) -> web.StreamResponse:
        call, early = await self.standin._begin(request, "richmenu.create")
        if early is not None:
            return early
        problems = menu_problems(call.body)
        if problems:
            return self.standin._error(call, 400, "The request body has errors", problems)
        menu = RichMenu(f"richmenu-{uuid.uuid4().hex}", call.body)
        self.menus.by_id[menu.rich_menu_id] = menu
        return web.json_response({"richMenuId": menu.rich_menu_id})

    async def list(self, request: web.Request) -> web.StreamResponse:
        _, early = await self.standin._begin(request, "richmenu.list")
        if early is not None:
            return early
        return web.json_response({"richmenus": [{"richMenuId": menu.rich_menu_id, **menu.body}
                                                for menu in self.menus.by_id.values()]})

    async def delete(self, request: web.Request) -> web.StreamResponse:
        call, early = await self.standin._begin(request, "richmenu.delete")
        if early is not None:
            return early
        menu_id = request.match_info["menu"]
        if self.menus.by_id.pop(menu_id, None) is None:
            return self.standin._error(call, 404, "Not found")
        if self.menus.default == menu_id:
            self.menus.default = None
        self.menus.linked = {user: linked for user, linked in self.menus.linked.items() if linked != menu_id}
        return web.json_response({})

    async def upload(self, request: web.Request) -> web.StreamResponse:
        call, early = await self.standin._begin(request, "richmenu.image", raw=True)
        if early is not None:
            return early
        menu = self.menus.by_id.get(request.match_info["menu"])
        if menu is None:
            return self.standin._error(call, 404, "Not found")
        if menu.image is not None:
            return self.standin._error(call, 400, "An image has already been uploaded to the richmenu")
        content_type = request.headers.get("Content-Type", "").split(";")[0].strip()
        image: bytes = call.body or b""
        problems = image_problems(image, content_type, menu.body["size"])
        if problems:
            return self.standin._error(call, 400, "Invalid image", problems)
        menu.image, menu.image_type = image, content_type
        return web.json_response({})

    async def download(self, request: web.Request) -> web.StreamResponse:
        call, early = await self.standin._begin(request, "richmenu.download")
        if early is not None:
            return early
        menu = self.menus.by_id.get(request.match_info["menu"])
        if menu is None or menu.image is None:
            return self.standin._error(call, 404, "Not found")
        return web.Response(body=menu.image, content_type=menu.image_type)

    async def link(self, request: web.Request) -> web.StreamResponse:
        user = request.match_info["user"]
        call, early = await self.standin._begin(request, "richmenu.default" if user == "all" else "richmenu.link")
        if early is not None:
            return early
        menu_id = request.match_info["menu"]
        refused = self._unusable(call, menu_id)
        if refused is not None:
            return refused
        if user == "all":
            self.menus.default = menu_id
        elif not user.startswith("U"):
            return self.standin._error(call, 400, "The user ID is invalid")
        else:
            self.menus.linked[user] = menu_id
        return web.json_response({})

    async def unlink(self, request: web.Request) -> web.StreamResponse:
        _, early = await self.standin._begin(request, "richmenu.unlink")
        if early is not None:
            return early
        self.menus.linked.pop(request.match_info["user"], None)
        return web.json_response({})

    async def bulk_link(self, request: web.Request) -> web.StreamResponse:
        call, early = await self.standin._begin(request, "richmenu.bulk_link")
        if early is not None:
            return early
        users = call.body.get("userIds")
        if not isinstance(users, list) or not 1 <= len(users) <= 500:
            return self.standin._error(call, 400, "userIds: 1 to 500 user IDs")
        menu_id = str(call.body.get("richMenuId"))
        refused = self._unusable(call, menu_id)
        if refused is not None:
            return refused
        for user in users:
            self.menus.linked[user] = menu_id
        call.status = 202
        return web.json_response({}, status=202)

    def _unusable(self, call: Any, menu_id: str) -> web.Response | None:
        menu = self.menus.by_id.get(menu_id)
        if menu is None:
            return self.standin._error(call, 404, "Not found")
        if menu.image is None:
            return self.standin._error(call, 400, NO_IMAGE)
        return None


def menu_problems(body: Any) -> list[str]:
    """What LINE would refuse in a rich menu object."""
    if not isinstance(body, dict):
        return ["the body must be a rich menu object"]
    problems: list[str] = []
    size = body.get("size") or {}
    width, height = size.get("width"), size.get("height")
    if not isinstance(width, int) or not isinstance(height, int) or not 800 <= width <= 2500 or height < 250 \
            or width / height < 1.45:
        problems.append("size: width 800 to 2500, height at least 250, width/height at least 1.45")
        width = height = 0
    if not isinstance(body.get("selected"), bool):
        problems.append("selected: a boolean")
    name, bar = body.get("name"), body.get("chatBarText")
    if not isinstance(name, str) or not 1 <= len(name) <= 300:
        problems.append("name: 1 to 300 characters")
    if not isinstance(bar, str) or not 1 <= len(bar) <= 14:
        problems.append("chatBarText: 1 to 14 characters")
    areas = body.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= 20:
        return [*problems, "areas: 1 to 20 areas"]
    for index, area in enumerate(areas):
        bounds, action = area.get("bounds") or {}, area.get("action") or {}
        x, y, w, h = (bounds.get(key) for key in ("x", "y", "width", "height"))
        if not all(isinstance(value, int) and value >= 0 for value in (x, y, w, h)) or not w or not h \
                or x + w > width or y + h > height:
            problems.append(f"areas[{index}].bounds: inside the menu")
        if action.get("type") not in ACTIONS:
            problems.append(f"areas[{index}].action.type: unexpected {action.get('type')!r}")
        label = action.get("label")
        if label is not None and (not isinstance(label, str) or len(label) > 20):
            problems.append(f"areas[{index}].action.label: at most 20 characters")
        if action.get("type") == "message" and (not isinstance(action.get("text"), str)
                                                or not 1 <= len(action["text"]) <= 300):
            problems.append(f"areas[{index}].action.text: 1 to 300 characters")
    return problems


def image_problems(image: bytes, content_type: str, size: Json) -> list[str]:
    """What LINE would refuse in a rich menu image."""
    if content_type not in IMAGE_TYPES:
        return [f"Content-Type: {' or '.join(IMAGE_TYPES)}, not {content_type!r}"]
    if not image or len(image) > MAX_IMAGE_BYTES:
        return [f"the image must be 1 byte to {MAX_IMAGE_BYTES} bytes"]
    if content_type == "image/png":
        if not image.startswith(PNG_SIGNATURE) or len(image) < 24:
            return ["the image is not a PNG"]
        width, height = struct.unpack(">II", image[16:24])
        if (width, height) != (size["width"], size["height"]):
            return [f"the image is {width}x{height}, the menu {size['width']}x{size['height']}"]
    return []
