"""The Wyze cloud stand-in's HTTP(S) server: `StandIn` runs a Cloud on 127.0.0.1 in a thread.

    s = StandIn.default()            # or StandIn.from_yaml(path) / StandIn(state_dict)
    base_url = s.start(port=0, tls=False)   # 'http://127.0.0.1:54321'
    ...
    s.stop()

With `tls=True` it serves HTTPS with a self-signed certificate it makes (`s.cert_path`).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from standin.calls import Call
from standin.cloud import Cloud
from standin.replies import Reply
from standin.state import (
    DEFAULT_STATE_PATH,
    Clock,
    CloudState,
    load_state,
    load_state_file,
)
from standin.tls import make_self_signed

MAX_BODY = 1 << 20


class _Handler(BaseHTTPRequestHandler):
    """Turns one HTTP request into a Call and writes the Cloud's Reply."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; without TCP_NODELAY a keep-alive client waits
    # out a delayed ACK (~40 ms) on every answer.
    disable_nagle_algorithm = True
    server: _Server
    server_version = "WyzeStandIn/1"

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked); None when it is too large."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
                if sum(map(len, chunks)) > MAX_BODY:
                    return None
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            self.send_error(413, "stand-in: body larger than 1 MiB")
            return
        parts = urlsplit(self.path)
        cloud = self.server.cloud
        host, path = cloud.resolve(self.headers.get("Host", ""), parts.path)
        call = Call(method=self.command, host=host, path=path,
                    query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()}, body=body)
        try:
            reply = cloud.handle(call)
        except Exception as exc:  # a stand-in bug must not kill the connection silently
            self.log_error("%s%s: stand-in error %r", host, path, exc)
            reply = Reply(500, f"stand-in error at {host}{path}: {exc!r}".encode(),
                          {"Content-Type": "text/plain"})
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    cloud: Cloud
    verbose: bool = False


class _Server6(_Server):
    address_family = socket.AF_INET6


class StandIn:
    """A local, stateful stand-in for the Wyze cloud (see the module docstring)."""

    def __init__(self, state: dict[str, Any] | CloudState, source: str = "<state>") -> None:
        cloud_state = state if isinstance(state, CloudState) else load_state(state, source)
        self.cloud = Cloud(cloud_state)
        self.cert_path: Path | None = None
        self.base_url: str | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._tmp: Path | None = None

    @classmethod
    def from_yaml(cls, path: str | Path) -> StandIn:
        """A stand-in seeded from a YAML state file."""
        return cls(load_state_file(path))

    @classmethod
    def default(cls) -> StandIn:
        """A stand-in seeded from the built-in made-up demo state."""
        return cls.from_yaml(DEFAULT_STATE_PATH)

    @property
    def clock(self) -> Clock:
        """The controllable clock; `s.clock.advance(seconds)` expires tokens."""
        return self.cloud.state.clock

    @property
    def state(self) -> CloudState:
        """The live state (accounts, devices, settings)."""
        return self.cloud.state

    # State changes between a client's calls (for tests and the pytest plugin).
    def advance_clock(self, seconds: float) -> float:
        """Move the stand-in's clock forward; returns the new time."""
        return self.clock.advance(seconds)

    def expire_tokens(self) -> int:
        """Every access token issued so far expires now, on every service; a refresh still
        works. Returns how many tokens it expired."""
        with self.cloud.lock:
            return self.cloud.sessions.expire_access_tokens()

    def lock_account(self, email: str, seconds: float | None = None) -> None:
        """The account refuses logins as after too many failures, for `seconds` (default:
        the state's lockout_duration_s). KeyError when there is no such account."""
        with self.cloud.lock:
            account = self.state.account(email)
            if account is None:
                raise KeyError(f"{email}: no such account in the stand-in's state")
            duration = self.state.settings.lockout_duration_s if seconds is None else seconds
            account.locked_until = self.clock.now() + duration

    def set_online(self, mac: str, online: bool) -> None:
        """Take a device offline (3019 on changes, P5 "0", Ford/olive offline) or back."""
        with self.cloud.lock:
            device = self.state.devices.get(mac)
            if device is None:
                raise KeyError(f"{mac}: no such device in the stand-in's state")
            device.online = online
            device.properties["P5"] = "1" if online else "0"

    def start(self, port: int = 0, tls: bool = False, host: str = "127.0.0.1",
              verbose: bool = False) -> str:
        """Serve in a background thread; returns the base URL. Port 0 picks a free port."""
        if self._server is not None:
            raise RuntimeError("stand-in: already started; call stop() first")
        server = (_Server6 if ":" in host else _Server)((host, port), _Handler)
        server.cloud, server.verbose = self.cloud, verbose
        scheme = "http"
        if tls:
            self._tmp = Path(tempfile.mkdtemp(prefix="wyze-standin-"))
            self.cert_path, key_path = make_self_signed(self._tmp)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.cert_path, key_path)
            # The handshake runs in the handler thread, so a silent client cannot stall accept().
            server.socket = context.wrap_socket(server.socket, server_side=True,
                                                do_handshake_on_connect=False)
            scheme = "https"
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="wyze-standin",
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.base_url = f"{scheme}://{shown}:{bound_port}"
        return self.base_url

    def stop(self) -> None:
        """Stop serving, close the socket, join the thread and delete the certificate."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._server = self._thread = self._tmp = None
        self.cert_path = self.base_url = None

    def __enter__(self) -> StandIn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
