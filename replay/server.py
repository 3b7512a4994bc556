"""A standalone replay server: answers HTTP requests from cassettes, on 127.0.0.1 by default.

For clients that take a base URL (``replay.client.WyzeClient(base_url=...)``, curl)::

    python -m replay.server --captures captures/ --port 8080
    curl -s -H 'Host: api.wyzecam.com' -d '{...}' http://127.0.0.1:8080/app/v2/home_page/get_object_list

The Wyze host a request was meant for comes from an absolute request target (the server can
be used as a plain-HTTP proxy) or the ``Host`` header; a local host name matches any recorded
host. A request that matches nothing gets ``404 Not Recorded`` with a JSON explanation and a
log line; nothing is ever forwarded.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple
from urllib.parse import urlsplit

from wyzeproto.cassette.files import CassetteError
from wyzeproto.exitcodes import ExitStatus
from wyzeproto.match.answer import miss_answer, recorded_answer, recorded_wire, to_wire
from wyzeproto.match.index import Lane
from wyzeproto.match.matcher import REPEAT_MODES, Index, Matcher, MatchOptions, Miss, Recorded

log = logging.getLogger("replay.server")
_MAX_HEAD = 64 * 1024


class _Head(NamedTuple):
    """A request head as the matcher needs it, with the fast lane for its target."""

    method: str
    host: str  # the target's host in absolute form, else the Host header (or "localhost")
    path: str
    query: str
    scheme: str
    length: int  # Content-Length; -1 for a chunked body
    close: bool  # close the connection after answering
    lane: Lane | None


# Clients repeat the same head (only the body changes), so each server keeps parsed heads:
# parsing and routing are pure functions of the bytes. Bounded in number and size: a memo.
_HEADS_MAX, _HEAD_CACHED_MAX = 1024, 2048


def _parse_head(head: bytes, matcher: Matcher) -> _Head:
    """The request line and the headers replay needs; raises ValueError when malformed."""
    lines = head.split(b"\r\n")
    method, target, version = lines[0].decode("latin-1").split(" ", 2)
    found: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        name = name.lower()
        if colon and name not in found:  # the first of repeated headers counts
            found[name] = value.strip()
    connection = found.get(b"connection", b"").lower()
    close = connection == b"close" or (version == "HTTP/1.0" and connection != b"keep-alive")
    chunked = b"chunked" in found.get(b"transfer-encoding", b"").lower()
    length = -1 if chunked else int(found.get(b"content-length") or 0)
    if length < 0 and not chunked:
        raise ValueError("negative Content-Length")
    if "://" in target:  # absolute form: used as a plain-HTTP proxy
        parts = urlsplit(target)
        host, path, query, scheme = parts.netloc, parts.path, parts.query, parts.scheme
    else:
        host = found.get(b"host", b"localhost").decode("latin-1") or "localhost"
        path, _, query = target.partition("?")
        scheme = "http"
    scheme = scheme or "https"
    return _Head(method, host, path, query, scheme, length, close,
                 matcher.lane(method, host, path, query, scheme))


class _Protocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive; only the headers replay needs are parsed (it is the hot path)."""

    def __init__(self, matcher: Matcher, live: set[asyncio.BaseTransport],
                 heads: dict[bytes, _Head]) -> None:
        self.matcher = matcher
        self.live = live
        self.heads = heads
        self.pending = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.live.add(transport)

    def data_received(self, data: bytes) -> None:
        self.pending = self.pending + data if self.pending else data
        while self.transport is not None and self.pending and self._one_request():
            pass

    def _close(self) -> None:
        assert self.transport is not None
        self.transport.close()
        self.live.discard(self.transport)
        self.transport = None

    def _fail(self, status: int, reason: str) -> None:
        assert self.transport is not None
        self.transport.write(f"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\n"
                             "Connection: close\r\n\r\n".encode())
        self._close()

    def _one_request(self) -> bool:
        data = self.pending
        end = data.find(b"\r\n\r\n")
        if end < 0:
            if len(data) > _MAX_HEAD:
                self._fail(431, "Request Header Fields Too Large")
            return False
        head = data[:end]
        start = end + 4
        try:
            parsed = self.heads.get(head)
            if parsed is None:
                parsed = _parse_head(head, self.matcher)
                if len(self.heads) < _HEADS_MAX and end <= _HEAD_CACHED_MAX:
                    self.heads[head] = parsed
            method, host, path, query, scheme, length, close, lane = parsed
            if length < 0:
                chunked = _dechunk(data, start)
                if chunked is None:
                    return False
                body, consumed = chunked
            else:
                consumed = start + length
                if len(data) < consumed:
                    return False
                body = data[start:consumed]
        except ValueError:
            self._fail(400, "Bad Request")
            return False
        self.pending = data[consumed:]
        found: Recorded | Miss | None = None
        if lane is not None and body:
            found = self.matcher.match_lane(lane, body)
        if found is None:
            found = self.matcher.match_general(method, host, path, query, body or None, scheme)
        assert self.transport is not None
        if isinstance(found, Miss):
            log.warning("%s", found.message())
            self.transport.write(to_wire(miss_answer(found), close))
        elif close:
            self.transport.write(to_wire(recorded_answer(found), close))
        else:  # a keep-alive hit, the hot path
            self.transport.write(recorded_wire(found))
        if close:
            self._close()
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None:
            self.live.discard(self.transport)
        self.transport = None


def _dechunk(buffer: bytes, start: int) -> tuple[bytes, int] | None:
    body = bytearray()
    pos = start
    while True:
        eol = buffer.find(b"\r\n", pos)
        if eol < 0:
            return None
        size = int(bytes(buffer[pos:eol]).split(b";")[0] or b"0", 16)
        pos = eol + 2
        if size == 0:
            trailer_end = buffer.find(b"\r\n", pos)
            return (bytes(body), trailer_end + 2) if trailer_end >= 0 else None
        if len(buffer) < pos + size + 2:
            return None
        body += buffer[pos:pos + size]
        pos += size + 2


class ReplayServer:
    """The server object: ``start()`` inside a loop, or ``start_in_thread()`` for tests."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        for recorded in matcher.index.recordings():  # answers are built once, up front
            recorded_wire(recorded)
        self._server: asyncio.base_events.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._live: set[asyncio.BaseTransport] = set()
        self._heads: dict[bytes, _Head] = {}

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _Protocol(self.matcher, self._live,
                                                                  self._heads),
                                                host, port)
        return int(self._server.sockets[0].getsockname()[1])

    def start_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve from a daemon thread that owns its event loop; returns the base URL."""
        ready: list[int] = []
        started = threading.Event()

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            try:
                ready.append(loop.run_until_complete(self.start(host, port)))
            finally:
                started.set()
            loop.run_forever()
            loop.run_until_complete(self._close())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="replay-server", daemon=True)
        self._thread.start()
        started.wait()
        if not ready:
            raise OSError(f"{host}:{port}: the replay server did not start")
        return f"http://{host}:{ready[0]}"

    async def _close(self) -> None:
        """Stop listening and close every open connection (keep-alive ones included)."""
        if self._server is not None:
            self._server.close()
        for transport in list(self._live):
            transport.close()
        self._live.clear()
        await asyncio.sleep(0)
        if self._server is not None:
            await self._server.wait_closed()

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        if self._thread:
            self._thread.join(timeout=5)
        self._loop = None


@contextmanager
def running(paths: list[str], options: MatchOptions | None = None) -> Iterator[str]:
    """A replay server over ``paths`` on 127.0.0.1 (a free port) for a ``with`` block."""
    server = ReplayServer(Matcher(Index.load(paths, options)))
    url = server.start_in_thread()
    try:
        yield url
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replay.server", description=__doc__
                                     .splitlines()[0])
    parser.add_argument("--captures", action="append", required=True,
                        help="cassette file or directory (repeatable)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1; anything else exposes the "
                             "recordings to the network)")
    parser.add_argument("--repeat", choices=REPEAT_MODES, default="last",
                        help="after the recorded answers to a request are used up")
    parser.add_argument("--strict-client-fields", action="store_true",
                        help="make sc/sv/app_ver/app_version/app_name/phone_system_type decide")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        index = Index.load(args.captures, MatchOptions(args.strict_client_fields, args.repeat))
    except (CassetteError, FileNotFoundError) as exc:
        print(f"{exc}\nGive --captures a cassette or a directory of cassettes.", file=sys.stderr)
        return ExitStatus.UNUSABLE
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        log.warning("%s: listening beyond loopback, as asked with --host", args.host)

    async def serve() -> None:
        server = ReplayServer(Matcher(index))
        gc.freeze()  # the index is read-only from here on: keep the collector off its objects
        port = await server.start(args.host, args.port)
        log.info("%d interactions from %s on http://%s:%d", index.size,
                 ", ".join(args.captures), args.host, port)
        await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        return ExitStatus.INTERRUPTED
    return ExitStatus.OK


if __name__ == "__main__":
    sys.exit(main())
