"""Cassette diff: what changed between two captures, endpoint by endpoint and field by field.

    changes = compare(summarise(["captures/app-3.0"], catalog),
                      summarise(["captures/app-3.1"], catalog))

Each capture is reduced to its structure: per endpoint, the JSON paths of both bodies (array
indexes as ``[*]``) with the JSON types seen at each, the outcomes (HTTP status and error
code) and the header names. Values never enter it, so a placeholder equal in kind, a new
``ts`` or ``requestid``, a token issued by a live re-run are no differences; volatile fields
(``match.fields.VOLATILE``) and per-connection headers are left out entirely.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from wyzeproto.cassette.files import find_cassettes, load_cassette
from wyzeproto.match.fields import VOLATILE
from wyzeproto.schema.catalog import Catalog
from wyzeproto.schema.check import NOT_JSON, parse_json
from wyzeproto.schema.infer_folder import template

# Headers that change with every connection or response, not with the protocol.
VOLATILE_HEADERS = frozenset({
    "date", "content-length", "connection", "keep-alive", "x-request-id", "x-amzn-requestid",
    "x-amzn-trace-id", "x-amz-cf-id", "x-amz-cf-pop", "via", "age", "etag", "set-cookie",
    "x-ratelimit-remaining", "x-ratelimit-reset-by", "transfer-encoding", "x-cache"})
_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
               (list, "array"), (dict, "object"))


def _type(value: Any) -> str:
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return "null"


def _paths(node: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    yield path, _type(node)
    if isinstance(node, dict):
        for key, value in node.items():
            if key in VOLATILE:
                continue
            step = f".{key}" if key.isidentifier() else f"[{key!r}]"
            yield from _paths(value, path + step)
    elif isinstance(node, list):
        for item in node:
            yield from _paths(item, path + "[*]")


@dataclass
class EndpointSummary:
    fields: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (side, path)
    outcomes: set[str] = field(default_factory=set)
    headers: set[tuple[str, str]] = field(default_factory=set)  # (side, lower-case name)
    count: int = 0


def _outcome(status: Any, body: Any) -> str:
    if isinstance(body, dict):
        for name in ("code", "errorCode"):
            if name in body and not isinstance(body[name], dict | list):
                return f"HTTP {status} {name} {body[name]!r}"
    return f"HTTP {status}"


def summarise(paths: list[str], catalog: Catalog) -> dict[str, EndpointSummary]:
    """Endpoint (catalog id, or ``METHOD host/path``) -> its structure in these captures."""
    out: dict[str, EndpointSummary] = {}
    for name in find_cassettes(paths):
        for interaction in load_cassette(name).interactions:
            request, response = interaction["request"], interaction["response"]
            method = str(request["method"]).upper()
            known = catalog.match(method, request["uri"])
            if known is not None:
                key = known.id
            else:
                parts = urlsplit(request["uri"])
                key = f"{method} {parts.hostname}{template(parts.path or '/')}"
            summary = out.setdefault(key, EndpointSummary())
            summary.count += 1
            response_body, _ = parse_json(response["body"]["string"])
            for side, raw, headers in (("request", request.get("body"), request["headers"]),
                                       ("response", None, response["headers"])):
                body = parse_json(raw)[0] if side == "request" else response_body
                if body is not NOT_JSON:
                    for path, kind in _paths(body):
                        summary.fields.setdefault((side, path), set()).add(kind)
                summary.headers.update((side, str(h).lower()) for h in headers or {}
                                       if str(h).lower() not in VOLATILE_HEADERS)
            summary.outcomes.add(_outcome(response["status"]["code"],
                                          None if response_body is NOT_JSON else response_body))
    return out


@dataclass(frozen=True)
class Change:
    kind: str  # endpoint_added, endpoint_gone, field_added, field_gone, type_changed,
    #           outcome_added, outcome_gone, header_added, header_gone
    endpoint: str
    side: str  # request, response, or "" for an endpoint or an outcome
    path: str  # a JSON path, a header name, an outcome, or ""
    before: str = ""
    after: str = ""

    @property
    def where(self) -> str:
        return "::".join(part for part in (self.endpoint, self.side, self.path) if part)

    @property
    def message(self) -> str:
        what = self.kind.replace("_", " ")
        if self.kind == "type_changed":
            return f"{what}: {self.before} -> {self.after}"
        return what

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "endpoint": self.endpoint, "side": self.side,
                "path": self.path, "before": self.before, "after": self.after}


def compare(old: dict[str, EndpointSummary], new: dict[str, EndpointSummary]) -> list[Change]:
    """Every difference of structure, endpoints sorted, in a stable order."""
    changes: list[Change] = []
    for endpoint in sorted(old.keys() | new.keys()):
        a, b = old.get(endpoint), new.get(endpoint)
        if a is None or b is None:
            changes.append(Change("endpoint_added" if a is None else "endpoint_gone", endpoint,
                                  "", "", after=f"{(b or a).count} interaction(s)"))  # type: ignore[union-attr]
            continue
        for side, path in sorted(a.fields.keys() | b.fields.keys()):
            before, after = a.fields.get((side, path)), b.fields.get((side, path))
            if before is None or after is None:
                parent = path[:-3] if path.endswith("[*]") else path.rsplit(".", 1)[0]
                if path != "$" and (side, parent) not in (a.fields if before is None
                                                          else b.fields):
                    continue  # the parent is already reported as added or gone
                changes.append(Change("field_added" if before is None else "field_gone",
                                      endpoint, side, path,
                                      " or ".join(sorted(before or ())),
                                      " or ".join(sorted(after or ()))))
            elif before != after:
                changes.append(Change("type_changed", endpoint, side, path,
                                      " or ".join(sorted(before)), " or ".join(sorted(after))))
        for outcome in sorted(a.outcomes ^ b.outcomes):
            changes.append(Change("outcome_added" if outcome in b.outcomes else "outcome_gone",
                                  endpoint, "", outcome))
        for side, name in sorted(a.headers ^ b.headers):
            changes.append(Change("header_added" if (side, name) in b.headers else
                                  "header_gone", endpoint, side, name))
    return changes
