"""A pytest plugin that forbids connections to anything but loopback, for every test.

Loaded with ``-p tests.net_guard`` (see pyproject.toml). A blocked attempt raises
:class:`NonLoopbackConnectionError` at once, and is also recorded, so that a test whose code swallowed
the error still fails.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

ALLOWED_NAMES = {"localhost", "localhost.localdomain", ""}
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
violations: list[str] = []


class NonLoopbackConnectionError(OSError):
    """A test tried to reach beyond 127.0.0.1/::1."""


def _is_loopback(host: object, *, allow_unspecified: bool = False) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host.lower() in ALLOWED_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return address.is_loopback or (allow_unspecified and address.is_unspecified)


def _refuse(what: str) -> None:
    violations.append(what)
    raise NonLoopbackConnectionError(f"tests may only reach loopback, not {what}")


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        _refuse(repr(address))


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback(host, allow_unspecified=True):
        _refuse(f"name lookup of {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    """Install the guard before any test module is imported."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo


def pytest_unconfigure(config: pytest.Config) -> None:
    """Put the real functions back."""
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _real_getaddrinfo


@pytest.fixture(autouse=True)
def _no_escape(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test if it tried to leave loopback, even if its code caught the error."""
    before = len(violations)
    yield
    if request.node.get_closest_marker("net_guard_selftest"):
        del violations[before:]
        return
    escaped = violations[before:]
    if escaped:
        del violations[before:]
        pytest.fail(f"test tried to leave loopback: {', '.join(escaped)}")
