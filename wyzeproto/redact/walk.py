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

from wyzeproto.cassette import bodies
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
        self._kinds: dict[str, str] = {}  # field name -> kind ("" for none), memoised
        self._known: set[str] = set()  # field names seen in JSON so far
        self._policy: set[str] = set()  # those of them that the policy names
        self._changed = False
        self._texts: dict[str, str] = {}  # free text -> its redaction, memoised

    # -- values ---------------------------------------------------------------------------
    def value(self, kind: str, value: str) -> str:
        if value in PUBLIC_VALUES:
            return value
        return self.p.pseudonym(kind, value)

    def text(self, text: str) -> str:
        """Free text: replace whatever looks like a secret."""
        return detect.scrub_text(text, self.value)

    def field(self, key: str, value: str) -> str:
        """A string under a field name (JSON key, query or form parameter)."""
        kind = self._kind(key)
        return self._string_as(kind, value) if kind else self.string(value)

    def _kind(self, key: str) -> str:
        kind = self._kinds.get(key)
        if kind is None:
            kind = self._kinds[key] = FIELD_KINDS.get(normalise(key), "")
        return kind

    def _string_as(self, kind: str, value: str) -> str:
        if kind == "coordinate":
            return "0.0" if value else value
        return self.value(kind, value)

    def string(self, value: str) -> str:
        """A string with no field name to go by: JSON inside it, or free text."""
        if len(value) < 12 and "@" not in value:
            return value  # too short to hold anything detect.py would recognise
        if value[0] in "{[" and value[-1] in "}]":
            redacted = self.json_text(value)
            if redacted is not None:
                return redacted
        # Short free text recurs across a session (model names, logo URLs, versions), and
        # its redaction depends only on the text and the key: remember it.
        known = self._texts.get(value)
        if known is None:
            known = self.text(value)
            if len(value) <= 512 and len(self._texts) < 50_000:
                self._texts[value] = known
        return known

    # JSON is redacted while it is parsed: json.loads calls _object for every object (inner
    # objects already done), so there is no second walk over the tree.
    # This runs on every body of every flow, hence the exact-type checks.
    def json_text(self, original: str) -> str | None:
        """Redacted JSON text (the original itself when nothing changed); None if not JSON."""
        outer_changed, self._changed = self._changed, False
        try:
            parsed = json.loads(original, object_hook=self._object)
            if type(parsed) is list:
                parsed = self._list("", parsed)
            elif type(parsed) is not dict:
                return None
            changed = self._changed
        except ValueError:
            return None
        finally:
            self._changed = outer_changed
        if not changed:
            return original
        self._changed = True
        compact = ", " not in original and ": " not in original
        return json.dumps(
            parsed,
            separators=(",", ":") if compact else (", ", ": "),
            ensure_ascii=original.isascii(),
        )

    def _object(self, obj: dict[str, Any]) -> dict[str, Any]:
        keys = obj.keys()
        fresh = keys - self._known  # set operations run in C; new field names are rare
        if fresh:
            for key in fresh:
                if self._kind(key):
                    self._policy.add(key)
            self._known |= fresh
        policy = self._policy
        for key in keys & policy:
            value = obj[key]
            kind = self._kinds[key]
            new: Any
            if type(value) is str:
                new = self._string_as(kind, value)
            elif type(value) is list:
                new = self._list(kind, value)
            elif kind == "coordinate" and type(value) in (int, float) and value:
                new = 0.0
            else:
                continue
            if new is not value and new != value:
                obj[key] = new
                self._changed = True
        for key, value in obj.items():  # the rest, by look (values only; no key is added)
            if type(value) is str:
                if (len(value) >= 12 or "@" in value) and key not in policy:
                    new = self.string(value)
                    if new is not value and new != value:
                        obj[key] = new
                        self._changed = True
            elif type(value) is list and key not in policy:
                obj[key] = self._list("", value)
        return obj

    def _list(self, kind: str, items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            if type(item) is str:
                new = self._string_as(kind, item) if kind else self.string(item)
                if new is not item and new != item:
                    self._changed = True
                item = new
            elif type(item) is list:
                item = self._list(kind, item)
            out.append(item)
        return out

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
        if body.lstrip()[:1] in "{[":
            redacted = self.json_text(body)
            if redacted is not None:
                return redacted
        if "x-www-form-urlencoded" in ctype:
            pairs = parse_qsl(body, keep_blank_values=True)
            redacted_pairs = self.pairs(pairs)
            return body if redacted_pairs == pairs else urlencode(redacted_pairs)
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
