"""A LINE Messaging API call sent as a JSON dict through line-bot-sdk's own client, without its pydantic models.

The SDK's typed methods (``reply_message``, ``push_message``, ``multicast``) build a request model from our
dict, validate the arguments, turn the model back into the same dict, and read LINE's answer into a response
model we never look at: about half the CPU of a reply (2.7 → 1.4 ms in a microbenchmark). The messages are
already LINE's JSON (:mod:`bot.line_render`, whose tests check that the SDK's models take them unchanged), so
they go as they are through :meth:`AsyncApiClient.call_api` — still the SDK's bearer auth, default headers,
aiohttp REST client and :class:`~linebot.v3.messaging.ApiException` (with LINE's status, headers and body) for
any answer outside 2xx, which is all :mod:`bot.line_delivery` relies on.
"""

from __future__ import annotations

from typing import Any

from linebot.v3.messaging import AsyncMessagingApi

REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"
MULTICAST_PATH = "/v2/bot/message/multicast"
RETRY_KEY_HEADER = "X-Line-Retry-Key"
JSON = "application/json"
BEARER = ["Bearer"]  # the SDK's name for the channel access token in its auth settings


class LineJson:
    """POSTs JSON bodies to the Messaging API through the client of an SDK ``AsyncMessagingApi``: its
    configured host (else LINE's, as the SDK's methods use), its token and its connection pool."""

    def __init__(self, api: AsyncMessagingApi) -> None:
        self.client = api.api_client
        self.host = str(api.line_base_path)  # used only when the client's configuration names no host

    async def post(self, path: str, body: dict[str, Any], *, retry_key: str | None = None,
                   request_timeout: float | None = None) -> None:
        """Send ``body`` to ``path``; LINE's answer body is not read into a model (we use none of it).

        Raises:
            ApiException: LINE answered outside 2xx (its status, headers and body, as the SDK reports them).
            aiohttp.ClientError, TimeoutError: LINE could not be reached in time.
        """
        headers = {"Accept": JSON, "Content-Type": JSON}
        if retry_key:
            headers[RETRY_KEY_HEADER] = retry_key
        await self.client.call_api(path, "POST", None, None, headers, body=body, post_params=[], files={},
                                   response_types_map={}, auth_settings=BEARER, _return_http_data_only=True,
                                   collection_formats={}, _request_timeout=request_timeout, _host=self.host)
