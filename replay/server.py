"""A standalone replay server: answers HTTP requests from cassettes, on 127.0.0.1 by default.

For clients that take a base URL (``replay.client.WyzeClient(base_url=...)``, curl)::

    wyze-toolkit serve captures/ --port 8080
    curl -s -H 'Host: api.wyzecam.com' -d '{...}' http://127.0.0.1:8080/app/v2/home_page/get_object_list

The Wyze host a request was meant for comes from an absolute request target (the server can
be used as a plain-HTTP proxy) or the ``Host`` header; a local host name matches any recorded
host. A request that matches nothing gets ``404 Not Recorded`` with a JSON explanation and a
log line; nothing is ever forwarded. Sessions, and the tokens of its own each login gets,
are the matcher's (:mod:`wyzeproto.match.sessions`), as in the serve addon.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

from replay.http1 import CONTINUE, MAX_HEAD, BadRequest, Head, SlowRequest, read_head
from wyzeproto.match.answer import WIRE, miss_answer, recorded_answer, recorded_wire, to_wire
from wyzeproto.match.matcher import Index, Matcher, MatchOptions, Miss, Recorded

log = logging.getLogger("replay.server")


class _Protocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive: the usual requests read by hand (it is the hot path), the
    unusual ones by h11 (:mod:`replay.http1`)."""

    def __init__(self, matcher: Matcher, live: set[asyncio.BaseTransport],
                 heads: dict[bytes, Head]) -> None:
        self.matcher = matcher
        self.live = live
        self.heads = heads
        self.pending = b""
        self.slow: SlowRequest | None = None  # the request h11 is reading, if any
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.live.add(transport)

    def data_received(self, data: bytes) -> None:
        if self.slow is not None:
            self.slow.feed(data)
            if not self._slow_request():
                return
        elif self.pending:
            self.pending += data
        else:
            self.pending = data
        while self.pending and self._one_request():
            pass

    def _close(self) -> None:
        assert self.transport is not None
        self.transport.close()
        self.live.discard(self.transport)
        self.transport = None

    def _fail(self, status: int) -> None:
        assert self.transport is not None
        self.transport.write(f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
                             "Content-Length: 0\r\nConnection: close\r\n\r\n".encode())
        self._close()

    def _one_request(self) -> bool:
        """Answer the request at the start of ``pending``; False until it is all there, or
        when the connection is closed."""
        data = self.pending
        end = data.find(b"\r\n\r\n")
        if end < 0:
            if len(data) > MAX_HEAD or b"\n\n" in data:  # h11 answers 431, or reads bare LFs
                return self._hand_to_h11()
            return False
        head = data[:end]
        try:
            method, host, path, query, scheme, length, close = self.heads[head]
        except KeyError:
            parsed = read_head(head, self.heads)
            if parsed is None:
                return self._hand_to_h11()
            method, host, path, query, scheme, length, close = parsed
        consumed = end + 4 + length
        if len(data) < consumed:
            return False
        self.pending = data[consumed:]
        found = self.matcher.match(method, host, path, query, data[end + 4:consumed], scheme)
        if close or isinstance(found, Miss):
            return self._answer(found, close)
        # A keep-alive hit, the hot path: bytes ReplayServer built up front, on a transport
        # that is open (a closed one has answered its last request). An answer that hands
        # out a walk's fresh tokens is built now.
        try:
            wire = found.cache[WIRE]
        except KeyError:
            wire = recorded_wire(found)
        self.transport.write(wire)  # type: ignore[union-attr]
        return True

    def _hand_to_h11(self) -> bool:
        self.slow = SlowRequest(self.pending)
        self.pending = b""
        return self._slow_request()

    def _slow_request(self) -> bool:
        """Answer the request h11 is reading once it is all there; False until then."""
        slow = self.slow
        assert slow is not None and self.transport is not None
        try:
            request = slow.read()
        except BadRequest as exc:
            peer = self.transport.get_extra_info("peername") or ("?", 0)
            log.warning("%s:%s: unreadable request (%s); answered %d and closed the connection",
                        peer[0], peer[1], exc, exc.status)
            self.slow = None
            self._fail(exc.status)
            return False
        if request is None:
            if slow.wants_continue():
                self.transport.write(CONTINUE)
            return False
        self.slow = None
        self.pending = slow.rest
        (method, host, path, query, scheme, _, close), body = request
        return self._answer(self.matcher.match(method, host, path, query, body, scheme), close)

    def _answer(self, found: Recorded | Miss, close: bool) -> bool:
        """Send the answer; False when that closed the connection."""
        assert self.transport is not None
        if isinstance(found, Miss):
            log.warning("%s", found.message())
            self.transport.write(to_wire(miss_answer(found), close))
        else:
            self.transport.write(to_wire(recorded_answer(found), close) if close
                                 else recorded_wire(found))
        if close:
            self._close()
        return not close

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None:
            self.live.discard(self.transport)
        self.transport = None


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
        self._heads: dict[bytes, Head] = {}

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
def running(paths: list[str], options: MatchOptions | None = None,
            session: str | None = None, key: bytes | None = None) -> Iterator[str]:
    """A replay server over ``paths`` on 127.0.0.1 (a free port) for a ``with`` block."""
    server = ReplayServer(Matcher(Index.load(paths, options), key, session,
                                  on_login=log.info))
    url = server.start_in_thread()
    try:
        yield url
    finally:
        server.stop()


def serve_forever(index: Index, host: str, port: int, label: str,
                  matcher: Matcher | None = None) -> None:
    """Answer from ``index`` (or ``matcher``, made over it) on ``host:port`` until Ctrl-C
    (KeyboardInterrupt propagates)."""
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")

    async def serve() -> None:
        server = ReplayServer(matcher or Matcher(index, on_login=log.info))
        gc.freeze()  # the index is read-only from here on: keep the collector off its objects
        bound = await server.start(host, port)
        log.info("%d interactions from %s on http://%s:%d", index.size, label, host, bound)
        await asyncio.Event().wait()

    asyncio.run(serve())
