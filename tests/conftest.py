"""Shared fixtures: a loopback-only network guard, a redaction key, a mitmdump runner."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from wyzeproto.match.vcr_matcher import pytest_recording_configure  # noqa: F401 - registers wyze_body
from wyzeproto.mitmdump import Mitmdump, free_port, wait_for_port  # noqa: F401 - re-exported

# A fixed, obviously fake key, so placeholders in golden files are stable.
os.environ.setdefault("WYZE_REDACT_KEY", "test-key-not-secret")

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_loopback(sock: socket.socket, address: object) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    host = address[0] if isinstance(address, tuple) else address
    try:
        loopback = ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise ConnectionRefusedError(f"test guard: refused a connection to {host!r} (not loopback)")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check_loopback(self, address)
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check_loopback(self, address)
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may open a connection outside 127.0.0.1 / ::1."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture
def mitmdump_factory(tmp_path: Path) -> Iterator[object]:
    """Start real mitmdumps (own CA in tmp_path, log in tmp_path/mitmdump.log)."""
    started: list[Mitmdump] = []

    def make(args: list[str]) -> Mitmdump:
        proxy = Mitmdump(tmp_path / "mitmproxy-conf", args, tmp_path / "mitmdump.log").start()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.stop()


@pytest.fixture
def standin() -> Iterator[object]:
    """The stand-in cloud with its default made-up state, on 127.0.0.1."""
    from standin import StandIn
    from standin.scenarios import default_state_dict

    cloud = StandIn(default_state_dict(auth_limit=1000))
    cloud.start()
    yield cloud
    cloud.stop()
