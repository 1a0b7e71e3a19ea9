"""The network guard lets tests reach loopback and nothing else."""

from __future__ import annotations

import asyncio
import socket

import pytest

from tests.net_guard import NonLoopbackConnectionError

pytestmark = pytest.mark.process  # sockets, and a loopback server


@pytest.mark.net_guard_selftest
@pytest.mark.parametrize("address", [("10.255.255.1", 80), ("8.8.8.8", 53), ("2001:4860:4860::8888", 53, 0, 0)])
def test_connecting_beyond_loopback_is_refused(address: tuple[object, ...]) -> None:
    family = socket.AF_INET6 if ":" in str(address[0]) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock, pytest.raises(NonLoopbackConnectionError):
        sock.connect(address)


@pytest.mark.net_guard_selftest
def test_looking_up_a_public_name_is_refused() -> None:
    with pytest.raises(NonLoopbackConnectionError):
        socket.getaddrinfo("api.telegram.org", 443)


@pytest.mark.net_guard_selftest
async def test_asyncio_connections_beyond_loopback_are_refused() -> None:
    with pytest.raises(NonLoopbackConnectionError):
        await asyncio.open_connection("192.0.2.1", 443)


async def test_loopback_connections_work() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"pong")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        reader, writer = await asyncio.open_connection("localhost", port)
        assert await reader.read() == b"pong"
        writer.close()
