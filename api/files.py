"""``GET /files/{token}/{name}``: the files the bot sent, for platforms that fetch them by link (LINE).

The token is the secret (32 random bytes); the name is only there so that the link reads well and the
download is named. Files expire after seven days.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from urllib.parse import quote

from aiohttp import web

from api.errors import json_error
from api.keys import CLOCK
from conversations.messages import Attachment
from models.clock import Clock
from models.shared_files import fetch, share

routes = web.RouteTableDef()
SHOWN_INLINE = frozenset({"image/jpeg", "image/png", "application/pdf"})  # what a phone may open in place
DOWNLOADED = frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})  # our exports


@routes.get("/files/{token}/{name}")
async def shared_file(request: web.Request) -> web.Response:
    """The file, or 404 once it expired (or never was)."""
    found = await fetch(request.match_info["token"], request.app[CLOCK]())
    if found is None:
        return json_error(404, "not_found", "no such file, or it expired")
    # Evidence arrives with the type its sender declared: anything but a picture or a PDF is a download, so that
    # an uploaded "text/html" never becomes a page on the service's own address.
    inline = found.mime_type in SHOWN_INLINE
    known = inline or found.mime_type in DOWNLOADED
    return web.Response(body=found.content, content_type=found.mime_type if known else "application/octet-stream",
                        headers={
        "Content-Disposition": f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(found.filename)}",
        "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"})


def publisher(public_url: str, clock: Clock) -> Callable[[Attachment], Awaitable[Attachment]]:
    """Store an attachment and give it the link under ``public_url`` (the service as the internet sees it)."""
    async def publish(attachment: Attachment) -> Attachment:
        token = await share(attachment.filename, attachment.mime_type, attachment.content, clock())
        return replace(attachment, url=f"{public_url}/files/{token}/{quote(attachment.filename)}")

    return publish
