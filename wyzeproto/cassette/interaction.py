"""One interaction in VCR.py's on-disk shape (cassette format version 1), built in one place.

An interaction is a plain dict, so what we hold in memory is what VCR.py, pytest-recording
and a reviewer's eyes see::

    {"request":  {"method": str, "uri": str, "body": str | bytes | None,
                  "headers": {name: [value, ...]}},
     "response": {"status": {"code": int, "message": str},
                  "headers": {name: [value, ...]}, "body": {"string": str | bytes}}}

Everything that makes one (the capture recorder, the reference cassettes, the replay
runner's rebuilt exchange) calls :func:`make_interaction`, so the shape is written down once.
"""

from __future__ import annotations

from typing import Any

Interaction = dict[str, Any]
Headers = dict[str, list[str]]


def make_interaction(*, method: str, uri: str, body: Any, headers: Headers, status: int,
                     message: str, response_headers: Headers, response_body: Any
                     ) -> Interaction:
    """The interaction for one exchange; bodies as they will be stored (decoded text or bytes,
    None for a request without a body)."""
    return {
        "request": {"method": method, "uri": uri, "body": body, "headers": headers},
        "response": {
            "status": {"code": status, "message": message},
            "headers": response_headers,
            "body": {"string": response_body},
        },
    }
