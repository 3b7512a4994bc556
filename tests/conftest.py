"""Shared fixtures: a loopback-only network guard, a redaction key, a mitmdump runner."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MITMDUMP = Path(sys.executable).parent / "mitmdump"

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(
    port: int, proc: subprocess.Popen[bytes] | None = None, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


class Mitmdump:
    """A real mitmdump on 127.0.0.1 that never connects anywhere but its mapped upstream."""

    def __init__(self, tmp: Path, args: list[str]) -> None:
        self.port = free_port()
        self.confdir = tmp / "mitmproxy-conf"
        self.log_path = tmp / "mitmdump.log"
        self.args = [
            str(MITMDUMP),
            "--listen-host",
            "127.0.0.1",
            "--listen-port",
            str(self.port),
            "--set",
            f"confdir={self.confdir}",
            "--set",
            "connection_strategy=lazy",
            "--set",
            "upstream_cert=false",
            "--set",
            "ssl_insecure=true",  # the stand-in upstream's self-made certificate
            *args,
        ]
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def ca_cert(self) -> str:
        return str(self.confdir / "mitmproxy-ca-cert.pem")

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Mitmdump:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            self.args, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )
        wait_for_port(self.port, self.proc)
        return self

    def stop(self) -> str:
        """Stop gracefully (SIGINT, so 'done' runs) and return the log."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(2)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def mitmdump_factory(tmp_path: Path) -> Iterator[object]:
    started: list[Mitmdump] = []

    def make(args: list[str]) -> Mitmdump:
        proxy = Mitmdump(tmp_path, args).start()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.stop()
