"""One incoming request to the Wyze cloud stand-in, independent of the HTTP server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Call:
    """Method, resolved Wyze host, path, query, lower-cased headers and raw body."""

    method: str
    host: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        return self.headers.get(name.lower())

    def json_body(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None when it is not one."""
        try:
            value = json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None
        return value if isinstance(value, dict) else None

    def params(self) -> dict[str, str]:
        """Query parameters merged with a form or JSON body (sendSmsCode accepts all three)."""
        merged = dict(self.query)
        body = self.json_body()
        if body is not None:
            merged.update({k: str(v) for k, v in body.items() if isinstance(v, str | int)})
        elif self.body:
            merged.update(parse_qsl(self.body.decode("utf-8", "replace")))
        return merged
