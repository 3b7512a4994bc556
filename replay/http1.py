"""HTTP/1.1 requests off a byte stream, for the replay server: a fast path and h11 for the rest.

The replay server's clients send the same few heads over and over, sized by
``Content-Length``. :func:`read_head` reads those by hand (and remembers them: a head's
meaning is a pure function of its bytes). Anything it does not expect, such as a chunked
body (with or without trailers), ``Expect: 100-continue``, another ``Transfer-Encoding``,
a head ended by bare line feeds, or a malformed or oversized head, is left to h11 through
:class:`SlowRequest`, one request at a time; the bytes after that request go back to the
fast path.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

import h11

MAX_HEAD = 64 * 1024
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
# Heads kept by read_head: bounded in number and size, it is a memo.
_HEADS_MAX, _HEAD_CACHED_MAX = 1024, 2048
_VERSIONS = {b"HTTP/1.1": "1.1", b"HTTP/1.0": "1.0"}


class Head(NamedTuple):
    """A request head as the matcher needs it."""

    method: str
    host: str  # the target's host in absolute form, else the Host header (or "localhost")
    path: str
    query: str
    scheme: str
    length: int  # the body's length
    close: bool  # close the connection after answering


class BadRequest(ValueError):
    """The request cannot be read; ``status`` is the answer (400, 431, 501...)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _head(method: str, target: str, version: str, headers: dict[bytes, bytes],
          length: int) -> Head:
    """Both paths' reading of a request line and its headers (the first of repeated ones
    counts); raises ValueError for a target urlsplit refuses."""
    tokens = {t.strip() for t in headers.get(b"connection", b"").lower().split(b",")}
    close = b"close" in tokens or (version == "1.0" and b"keep-alive" not in tokens)
    if "://" in target:  # absolute form: used as a plain-HTTP proxy
        parts = urlsplit(target)
        return Head(method, parts.netloc, parts.path, parts.query, parts.scheme or "https",
                    length, close)
    host = headers.get(b"host", b"").decode("latin-1") or "localhost"
    path, _, query = target.partition("?")
    return Head(method, host, path, query, "http", length, close)


def parse_head(head: bytes) -> Head | None:
    """The fast path's reading of ``head`` (the bytes before the blank line), or None for a
    head it leaves to h11: a body not sized by one ``Content-Length``, an ``Expect``, a line
    it cannot read."""
    lines = head.split(b"\r\n")
    request_line = lines[0].split(b" ")
    if len(request_line) != 3 or request_line[2] not in _VERSIONS \
            or not request_line[0] or not request_line[1]:
        return None
    headers: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip():
            return None
        name = name.lower()
        if name in headers:
            if name == b"content-length":
                return None
            continue
        headers[name] = value.strip()
    if b"transfer-encoding" in headers or b"expect" in headers:
        return None
    length = headers.get(b"content-length", b"0")
    if not (length.isascii() and length.isdigit()):
        return None
    method, target, version = request_line
    try:
        return _head(method.decode("latin-1"), target.decode("latin-1"), _VERSIONS[version],
                     headers, int(length))
    except ValueError:
        return None


def read_head(head: bytes, memo: dict[bytes, Head]) -> Head | None:
    """:func:`parse_head`, kept in ``memo`` for the next request with the same head."""
    parsed = parse_head(head)
    if parsed is not None and len(memo) < _HEADS_MAX and len(head) <= _HEAD_CACHED_MAX:
        memo[head] = parsed
    return parsed


class SlowRequest:
    """One request read by h11, from its first byte to its last; what follows is :attr:`rest`.

    Feed it bytes until :meth:`read` returns the request. While it returns None, the client
    may be waiting for ``100 Continue`` before it sends the body (:meth:`wants_continue`).
    """

    def __init__(self, data: bytes) -> None:
        self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
        self._h11.receive_data(data)
        self._request: h11.Request | None = None
        self._body: list[bytes] = []
        self._continued = False

    def feed(self, data: bytes) -> None:
        self._h11.receive_data(data)

    def read(self) -> tuple[Head, bytes] | None:
        """The request's head and body once h11 has all of it, else None; raises BadRequest."""
        try:
            while True:
                event = self._h11.next_event()
                if event is h11.NEED_DATA:
                    return None
                if isinstance(event, h11.Request):
                    self._request = event
                elif isinstance(event, h11.Data):
                    self._body.append(bytes(event.data))
                elif isinstance(event, h11.EndOfMessage):
                    break
                else:  # ConnectionClosed or PAUSED: neither comes (no end of file is fed)
                    raise BadRequest(400, f"unexpected {event!r}")
        except h11.RemoteProtocolError as exc:
            raise BadRequest(exc.error_status_hint, str(exc)) from None
        request = self._request
        assert request is not None  # h11 gives the Request before its EndOfMessage
        body = b"".join(self._body)
        headers: dict[bytes, bytes] = {}
        for name, value in request.headers:
            headers.setdefault(bytes(name), bytes(value))
        try:
            head = _head(request.method.decode("latin-1"), request.target.decode("latin-1"),
                         request.http_version.decode("latin-1"), headers, len(body))
        except ValueError as exc:
            raise BadRequest(400, str(exc)) from None
        return head, body

    def wants_continue(self) -> bool:
        """True, once, when the client waits for ``100 Continue`` before sending the body."""
        if self._continued or not self._h11.they_are_waiting_for_100_continue:
            return False
        self._continued = True
        return True

    @property
    def rest(self) -> bytes:
        """What came after the request (the next pipelined ones)."""
        return bytes(self._h11.trailing_data[0])
