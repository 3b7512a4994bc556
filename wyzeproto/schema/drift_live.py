"""Drift of one interaction, as a capture sees it: what the catalog and the schemas do not say.

    findings = drift_of(catalog, interaction)   # the redacted copy, never the live flow
    log = DriftLog(); new = log.add(index, findings)   # only the first sighting is new

Five kinds of finding, each keyed by endpoint, side and JSON path (indexes as ``[*]``):

- ``endpoint``: a request the catalog does not know;
- ``status``: an HTTP status no outcome of the endpoint lists;
- ``outcome``: a documented status with a body no outcome matches (a new error code);
- ``field``: a field no schema names (the ``wyze-toolkit drift`` rule, :mod:`drift`);
- ``type``: a value of another JSON type than the schema says; other schema failures
  (an enum, a pattern, a required field) are ``invalid``, named by the keyword.

``expected`` and ``seen`` hold JSON types, placeholder kinds, keywords and outcome names,
never a value: the one exception is an error code, which is the protocol's own vocabulary.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wyzeproto.redact.json_memo import Redacted
from wyzeproto.redact.kinds import kind_of
from wyzeproto.redact.walk import ParsedBody
from wyzeproto.schema.catalog import EMPTY, UNCHECKED, Catalog, Endpoint
from wyzeproto.schema.check import NOT_JSON, parse_json
from wyzeproto.schema.drift import undocumented

KINDS = ("endpoint", "status", "outcome", "field", "type", "invalid")
_INDEX = re.compile(r"\[\d+\]")
_CODE_FIELDS = ("code", "errorCode", "error_code")



@dataclass(frozen=True)
class Drift:
    """One thing the documentation does not say, described by types and kinds only."""

    kind: str  # one of KINDS
    endpoint: str  # the catalog id, or "METHOD host/path" for an unknown endpoint
    side: str  # "request" or "response"
    path: str  # "$.data.device_list[*].mac", "$" for the whole body
    expected: str
    seen: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.kind, self.endpoint, self.side, self.path

    def line(self) -> str:
        what = {"endpoint": "endpoint not in the catalog",
                "status": "HTTP status no outcome lists",
                "outcome": "response no documented outcome matches",
                "field": "field no schema names",
                "type": "type differs from the schema",
                "invalid": "value breaks the schema"}[self.kind]
        return (f"{self.endpoint}::{self.side}::{self.path}: {what} "
                f"(expected {self.expected}, seen {self.seen})")


def value_kind(value: Any) -> str:
    """The JSON type of a value, with the placeholder kind of a redacted string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        kind = kind_of(value)
        return f"string ({kind} placeholder)" if kind else "string"
    return "array" if isinstance(value, list) else "object"


def _path(steps: list[Any]) -> str:
    out = "$"
    for step in steps:
        if isinstance(step, int):
            out += "[*]"
        else:
            out += f".{step}" if step.isidentifier() else f"[{step!r}]"
    return out


def _error_code(body: Any) -> str | None:
    if isinstance(body, dict):
        for name in _CODE_FIELDS:
            if name in body and isinstance(body[name], str | int) and \
                    not isinstance(body[name], bool):
                return f"{name} {body[name]!r}"
    return None


_SHAPE_NUMBERS: dict[Any, int] = {}  # the shape of a Redacted -> its number, see _shape
_SHAPE_COUNT = itertools.count()


def _shape(node: Any) -> Any:
    """A JSON value without its values: keys, nesting and scalar types (hashable)."""
    kind = type(node)
    if kind is Redacted:
        # An object the redactor memoised recurs in flow after flow, never changed: its
        # shape is worked out once and kept on it, as a number that stands for it (a
        # body's shape is then hashed without walking the objects inside it again).
        shape = node.shape
        if shape is None:
            full = tuple([(key, _shape(value)) for key, value in node.items()])
            shape = _SHAPE_NUMBERS.get(full)
            if shape is None:
                if len(_SHAPE_NUMBERS) > 10_000:
                    _SHAPE_NUMBERS.clear()  # a shape numbered again only misses the cache
                shape = _SHAPE_NUMBERS[full] = next(_SHAPE_COUNT)
            node.shape = shape
        return shape
    if kind is dict:
        return tuple([(key, _shape(value)) for key, value in node.items()])
    if kind is list:
        return (list, *[_shape(item) for item in node])
    return kind


def _body_drift(catalog: Catalog, endpoint: str, side: str, ref: str, instance: Any,
                cache: dict[Any, list[Drift]] | None = None) -> list[Drift]:
    validator = catalog.store.fast(ref)
    if validator.is_valid(instance):
        # Which fields a schema names depends on the body's keys, nesting and types, not its
        # values (but for a oneOf told apart by a value, where the first one seen stands):
        # a body shaped like one already seen has the same findings, which keeps a long
        # capture's cost to one walk of each body.
        key = (ref, _shape(instance))
        if cache is not None and key in cache:
            return cache[key]
        found = [Drift("field", endpoint, side, _INDEX.sub("[*]", path), "no such field",
                       value_kind(_lookup(instance, path)))
                 for path in undocumented(catalog.store, ref, instance)]
        if cache is not None:
            if len(cache) > 10_000:
                cache.clear()
            cache[key] = found
        return found
    # A failing body is explained by python-jsonschema, whose best match descends into the
    # oneOf branch that nearly fitted (jsonschema-rs stops at "oneOf failed"). That costs
    # milliseconds, so it runs once per set of failures jsonschema-rs sees (where and which
    # keyword): a schema that every flow of a capture breaks the same way stays cheap.
    failures = (ref, tuple((_path(list(e.instance_path)), e.kind.name)
                           for e in validator.iter_errors(instance)))
    if cache is not None and failures in cache:
        return cache[failures]
    errors = catalog.store.explain(ref, instance)
    found = []
    for error in errors[:1] + [e for e in errors[1:] if e.validator == "type"]:
        steps = list(error.absolute_path)
        seen = value_kind(error.instance)
        if error.validator == "type":
            wanted = error.validator_value
            wanted = " or ".join(sorted(wanted)) if isinstance(wanted, list) else str(wanted)
            found.append(Drift("type", endpoint, side, _path(steps), wanted, seen))
        else:
            found.append(Drift("invalid", endpoint, side, _path(steps),
                               f"{error.validator} of the schema", seen))
    if cache is not None:
        cache[failures] = found
    return found


def _lookup(instance: Any, path: str) -> Any:
    """The value at a drift path (``$.a.b[0]['x-y']``), for its type; None if not found."""
    node = instance
    for name, quoted, index in re.findall(r"\.([^.\[]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]",
                                          path[1:]):
        try:
            node = node[int(index)] if index else node[name or quoted]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _unknown(method: str, uri: str) -> str:
    parts = urlsplit(uri)
    return f"{method} {parts.netloc}{parts.path}"


def _documented_statuses(endpoint: Endpoint) -> set[int]:
    return {status for outcome in endpoint.outcomes for status in outcome.status}


class DriftChecker:
    """Checks interactions one by one against a catalog, remembering body shapes seen."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._shapes: dict[Any, list[Drift]] = {}

    def compile(self) -> None:
        """Compile every validator now (at start-up), not on the first flow of each endpoint."""
        for endpoint in self.catalog.endpoints:
            for ref in (endpoint.request, *(o.response for o in endpoint.outcomes)):
                if ref not in (EMPTY, UNCHECKED):
                    self.catalog.store.fast(ref)

    def check(self, interaction: Any, parsed: tuple[ParsedBody, ParsedBody] = (None, None)
              ) -> list[Drift]:
        """Everything in one (redacted) interaction that the catalog and schemas do not say.

        ``parsed``: its request and response bodies as already parsed (``(value,)``, from
        :meth:`Redactor.interaction_json`), or None for a body to parse here.
        """
        catalog = self.catalog
        request, response = interaction["request"], interaction["response"]
        method, uri = request["method"], request["uri"]
        endpoint = catalog.match(method, uri)
        if endpoint is None:
            return [Drift("endpoint", _unknown(method, uri), "request", "$",
                          "an endpoint of the catalog", "an unknown endpoint")]
        found: list[Drift] = []
        if endpoint.request not in (EMPTY, UNCHECKED):
            body = parsed[0][0] if parsed[0] is not None else parse_json(request.get("body"))[0]
            if body is not NOT_JSON:
                found += _body_drift(catalog, endpoint.id, "request", endpoint.request, body,
                                     self._shapes)
        status = response["status"]["code"]
        body = (parsed[1][0] if parsed[1] is not None
                else parse_json(response["body"]["string"])[0])
        body_json = None if body is NOT_JSON else body
        outcome = endpoint.outcome_for(status, body_json)
        if outcome is None:
            statuses = _documented_statuses(endpoint)
            names = ", ".join(o.name for o in endpoint.reachable()) or "none"
            code = _error_code(body_json)
            seen = f"HTTP {status}" + (f" with {code}" if code else "")
            if statuses and status not in statuses:
                found.append(Drift("status", endpoint.id, "response", "$",
                                   "HTTP " + " or ".join(map(str, sorted(statuses))), seen))
            else:
                found.append(Drift("outcome", endpoint.id, "response", "$", names, seen))
        elif outcome.response not in (EMPTY, UNCHECKED) and body is not NOT_JSON:
            found += _body_drift(catalog, endpoint.id, "response", outcome.response, body,
                                 self._shapes)
        return found


def drift_of(catalog: Catalog, interaction: Any) -> list[Drift]:
    """Everything in one (redacted) interaction that the catalog and schemas do not say."""
    return DriftChecker(catalog).check(interaction)


@dataclass
class Sighting:
    drift: Drift
    first: int
    last: int
    count: int = 1

    def as_json(self) -> dict[str, Any]:
        d = self.drift
        return {"kind": d.kind, "endpoint": d.endpoint, "side": d.side, "path": d.path,
                "expected": d.expected, "seen": d.seen, "first_interaction": self.first,
                "last_interaction": self.last, "count": self.count}


class DriftLog:
    """Distinct findings of one session with first and last interaction index."""

    def __init__(self) -> None:
        self.sightings: dict[tuple[str, str, str, str], Sighting] = {}
        self.checked = 0

    def add(self, index: int, found: list[Drift]) -> list[Drift]:
        """Record the findings of interaction ``index``; returns those not seen before."""
        self.checked += 1
        new = []
        for drift in found:
            sighting = self.sightings.get(drift.key)
            if sighting is None:
                self.sightings[drift.key] = Sighting(drift, index, index)
                new.append(drift)
            elif sighting.last != index:
                sighting.last = index
                sighting.count += 1
        return new

    def summary(self) -> str:
        if not self.sightings:
            return f"{self.checked} interaction(s) checked, nothing undocumented"
        by_kind: dict[str, int] = {}
        for key in self.sightings:
            by_kind[key[0]] = by_kind.get(key[0], 0) + 1
        parts = ", ".join(f"{by_kind[k]} {k}" for k in KINDS if k in by_kind)
        return (f"{len(self.sightings)} distinct finding(s) in {self.checked} interaction(s) "
                f"({parts})")

    def as_json(self, cassette: str) -> dict[str, Any]:
        return {"cassette": cassette, "interactions_checked": self.checked,
                "findings": [s.as_json() for s in self.sightings.values()]}
