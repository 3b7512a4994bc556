"""Redact one interaction everywhere a value can hide, before anything touches disk.

Headers, URL paths and queries, form bodies, JSON bodies at any depth and JSON inside JSON
strings are walked; values are replaced by :class:`Pseudonymizer` placeholders chosen by the
policy (field names) or by their look (:mod:`detect`). The input is never modified: a new
interaction is returned. Bodies are rewritten only when something changed, keeping the
original JSON formatting style, and ``Content-Length`` is fixed afterwards.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from wyzeproto import bodies
from wyzeproto.constants import PUBLIC_VALUES
from wyzeproto.redact import detect
from wyzeproto.redact.policy import (
    COOKIE_HEADERS,
    FIELD_KINDS,
    HEADER_KINDS,
    KEPT_HEADER_VALUES,
    normalise,
)
from wyzeproto.redact.pseudonym import Pseudonymizer

Interaction = dict[str, Any]


class Redactor:
    def __init__(self, pseudonymizer: Pseudonymizer) -> None:
        self.p = pseudonymizer

    # -- values ---------------------------------------------------------------------------
    def value(self, kind: str, value: str) -> str:
        if value in PUBLIC_VALUES:
            return value
        return self.p.pseudonym(kind, value)

    def text(self, text: str) -> str:
        """Free text: replace whatever looks like a secret."""
        return detect.scrub_text(text, self.value)

    def field(self, key: str, value: Any) -> Any:
        kind = FIELD_KINDS.get(normalise(key))
        if kind is None:
            return self.json_value(value)
        if isinstance(value, str):
            return self.value(kind, value) if kind != "coordinate" else "0.0"
        if kind == "coordinate" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return 0.0 if value else value
        if isinstance(value, list):
            return [self.field(key, item) for item in value]
        return self.json_value(value)

    def json_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.field(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json_value(item) for item in value]
        if isinstance(value, str):
            return self.string(value)
        return value

    def string(self, value: str) -> str:
        if value[:1] in "{[" and value[-1:] in "}]":
            try:
                inner = json.loads(value)
            except ValueError:
                pass
            else:
                if isinstance(inner, (dict, list)):
                    return self.json_text(value, inner)
        return self.text(value)

    def json_text(self, original: str, parsed: Any) -> str:
        redacted = self.json_value(parsed)
        if redacted == parsed:
            return original
        compact = (
            ("," in original or ":" in original) and ", " not in original and ": " not in original
        )
        return json.dumps(
            redacted,
            separators=(",", ":") if compact else (", ", ": "),
            ensure_ascii=original.isascii(),
        )

    # -- places ---------------------------------------------------------------------------
    def pairs(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(k, self.field(k, v) if k else self.text(v)) for k, v in pairs]

    def uri(self, uri: str) -> str:
        parts = urlsplit(uri)
        # Segment by segment: '/' is a token character in base64, but a path is not a token.
        path = "/".join(self.text(segment) for segment in parts.path.split("/"))
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            redacted = self.pairs(pairs)
            if redacted != pairs:
                query = urlencode(redacted, quote_via=quote, safe="")
        fragment = self.text(parts.fragment)
        if (path, query, fragment) == (parts.path, parts.query, parts.fragment):
            return uri
        return urlunsplit((parts.scheme, parts.netloc, path, query, fragment))

    def header(self, name: str, value: str) -> str:
        key = normalise(name)
        if value in KEPT_HEADER_VALUES.get(key, ()):
            return value
        if key in COOKIE_HEADERS:
            return self.cookie(value, set_cookie=key == "setcookie")
        kind = HEADER_KINDS.get(key)
        if kind is None:
            if key == normalise("x-api-key"):
                kind = "api_key"
            else:
                return self.text(value)
        scheme, sep, rest = value.partition(" ")
        if sep and scheme.isalpha() and rest:  # "Bearer <token>", "Basic <...>"
            return f"{scheme} {self.value(kind, rest.strip())}"
        if kind == "ip" and "," in value:
            return ", ".join(self.value("ip", v.strip()) for v in value.split(","))
        return self.value(kind, value)

    def cookie(self, value: str, set_cookie: bool) -> str:
        parts = value.split(";")
        limit = 1 if set_cookie else len(parts)  # Set-Cookie attributes follow the pair
        out = []
        for index, part in enumerate(parts):
            name, eq, cookie_value = part.partition("=")
            if index < limit and eq and cookie_value.strip():
                out.append(f"{name}={self.value('cookie', cookie_value.strip())}")
            else:
                out.append(part)
        return ";".join(out)

    def headers(self, headers: dict[str, list[str]]) -> dict[str, list[str]]:
        return {name: [self.header(name, v) for v in values] for name, values in headers.items()}

    def body(self, body: Any, headers: dict[str, list[str]]) -> Any:
        if body is None or body == "" or body == b"":
            return body
        if isinstance(body, bytes):
            return self.binary(body)
        ctype = (bodies.header(headers, "content-type") or "").lower()
        stripped = body.strip()
        if stripped[:1] in "{[":
            try:
                parsed = json.loads(body)
            except ValueError:
                pass
            else:
                return self.json_text(body, parsed)
        if "x-www-form-urlencoded" in ctype:
            pairs = parse_qsl(body, keep_blank_values=True)
            redacted = self.pairs(pairs)
            return body if redacted == pairs else urlencode(redacted)
        return self.text(body)

    def binary(self, data: bytes) -> bytes:
        # Binary formats cannot be walked; secrets with a recognisable look are still
        # replaced (fail closed: a shifted length is better than a leaked token).
        text = data.decode("latin-1")
        redacted = self.text(text)
        return data if redacted == text else redacted.encode("latin-1", "replace")

    def interaction(self, interaction: Interaction) -> Interaction:
        request = interaction["request"]
        response = interaction["response"]
        req_headers = self.headers(request["headers"])
        req_body = self.body(request.get("body"), request["headers"])
        bodies.fix_content_length(req_headers, req_body)
        resp_headers = self.headers(response["headers"])
        resp_body = self.body(response["body"]["string"], response["headers"])
        bodies.fix_content_length(resp_headers, resp_body)
        out = {
            "request": {
                "method": request["method"],
                "uri": self.uri(request["uri"]),
                "body": req_body,
                "headers": req_headers,
            },
            "response": {
                "status": dict(response["status"]),
                "headers": resp_headers,
                "body": {"string": resp_body},
            },
        }
        return out
