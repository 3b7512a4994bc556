"""Compare a rebuilt or live exchange with its recording, naming fields, never values.

A recorded placeholder is matched by any value of its kind (a live server issues real
tokens); volatile fields, and the per-answer ids ``traceId``/``requestId``, are ignored.
"""

from __future__ import annotations

from typing import Any

from wyzeproto.match.fields import VOLATILE, body_fields, show, view
from wyzeproto.redact.placeholders import accepts, placeholder_kind

ANSWER_VOLATILE = VOLATILE | {"traceId", "requestId", "request_id"}


def _diff(mine: dict[Any, Any], theirs: dict[Any, Any]) -> list[str]:
    out = []
    for p in sorted(set(mine) | set(theirs), key=show):
        if p not in mine:
            out.append(f"{show(p)}: in the recording, missing here")
        elif p not in theirs:
            out.append(f"{show(p)}: not in the recording")
        elif mine[p] != theirs[p]:
            kind = placeholder_kind(theirs[p][1])
            if kind is None or not accepts(kind, mine[p][1]):
                out.append(f"{show(p)}: differs from the recording")
    return out


def request_differences(method: str, uri: str, body: str | bytes | None, host: str | None,
                        recorded: dict[str, Any]) -> list[str]:
    """How a sent request differs from the recorded one (build fields count, volatile not)."""
    mine = view(method, uri, body, host, strict_client_fields=True)
    theirs = view(recorded["method"], recorded["uri"], recorded.get("body"),
                  strict_client_fields=True)
    out = []
    if (mine.method, mine.host, mine.path) != (theirs.method, theirs.host, theirs.path):
        out.append(f"endpoint: sent {mine.line}, recorded {theirs.line}")
    return out + _diff(mine.fields, theirs.fields)


def response_differences(status: int, body: str | bytes | None,
                         recorded: dict[str, Any]) -> list[str]:
    """How an answer differs from the recorded response (status, then body fields)."""
    out = []
    if status != recorded["status"]["code"]:
        out.append(f"status: {status}, recorded {recorded['status']['code']}")
    mine = body_fields(body, ANSWER_VOLATILE)
    theirs = body_fields(recorded["body"].get("string"), ANSWER_VOLATILE)
    return out + _diff(mine, theirs)
