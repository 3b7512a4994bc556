"""Recorded responses as bytes on the wire, and the explicit answer to a miss.

Bodies are stored decoded, so the ``Content-Encoding``, ``Transfer-Encoding`` and
``Content-Length`` of the recording are dropped and ``Content-Length`` is set to what is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from wyzeproto.cassette.bodies import charset, header
from wyzeproto.match.matcher import Miss, Recorded

_HOP = frozenset({"content-encoding", "transfer-encoding", "content-length", "connection",
                  "keep-alive"})
MISS_STATUS = 404
MISS_REASON = "Not Recorded"


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


def recorded_answer(recorded: Recorded) -> Answer:
    """The recorded response of ``recorded`` (built once, then cached on it)."""
    cached = recorded.cache.get("answer")
    if cached is not None:
        return cached
    response = recorded.interaction["response"]
    headers = response.get("headers") or {}
    body = response["body"].get("string")
    if body is None:
        data = b""
    elif isinstance(body, bytes):
        data = body
    else:
        data = body.encode(charset(header(headers, "content-type")), "replace")
    kept = tuple((k, v) for k, values in headers.items() if k.lower() not in _HOP
                 for v in values)
    status = response["status"]
    answer = Answer(int(status["code"]), str(status.get("message") or ""),
                    (*kept, ("Content-Length", str(len(data)))), data)
    recorded.cache["answer"] = answer
    return answer


def to_wire(answer: Answer, close: bool = False) -> bytes:
    """The HTTP/1.1 bytes of ``answer``; ``close`` adds ``Connection: close``."""
    head = [f"HTTP/1.1 {answer.status} {answer.reason}"]
    head.extend(f"{k}: {v}" for k, v in answer.headers)
    if close:
        head.append("Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + answer.body


WIRE = "wire"  # the key of recorded_wire's bytes in Recorded.cache


def recorded_wire(recorded: Recorded) -> bytes:
    """The keep-alive bytes of ``recorded``'s answer (built once, then cached on it as
    ``recorded.cache[WIRE]``): what a server sends for a hit, nothing serialised per request."""
    wire = recorded.cache.get(WIRE)
    if wire is None:
        wire = recorded.cache[WIRE] = to_wire(recorded_answer(recorded))
    return wire


def miss_answer(miss: Miss) -> Answer:
    """``404 Not Recorded`` with a JSON body naming the closest recording (no values)."""
    data = json.dumps(miss.to_json(), indent=1).encode("utf-8")
    return Answer(MISS_STATUS, MISS_REASON, (
        ("Content-Type", "application/json"), ("X-Replay", "miss"),
        ("Content-Length", str(len(data)))), data)
