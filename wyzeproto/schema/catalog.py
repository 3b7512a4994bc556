"""The endpoint catalog (``schemas/catalog.yaml``): which request goes to which endpoint.

An endpoint is a method, host patterns and a path; it names its request schema and its
outcomes. An outcome (success, or a documented error) is matched on the HTTP status and on
top-level JSON fields of the response, and names the schema its body must follow, or
``empty`` (no body) or ``unchecked`` (no public source shows the body).

    catalog = load_catalog()
    endpoint = catalog.match("POST", "https://api.wyzecam.com/app/v2/home_page/get_object_list")
    outcome = endpoint.outcome_for(200, {"code": "2001", ...})   # -> access_token_expired
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from wyzeproto import resources
from wyzeproto.cassette import yaml_text
from wyzeproto.hosts import url_host
from wyzeproto.schema.store import BASE_URI, SchemaError, SchemaStore, load_store

EMPTY = "empty"
UNCHECKED = "unchecked"
BODY_KINDS = ("json", "json-or-form", "none")
_MISSING = object()
_SLASHES = re.compile(r"/{2,}")
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "null": (type(None),),
    "boolean": (bool,), "integer": (int,), "number": (int, float),
}


class CatalogError(SchemaError):
    """The catalog cannot be used. ``str()`` starts with the file (and entry) at fault."""


def _field_matches(body: dict[str, Any], name: str, condition: Any) -> bool:
    value = body.get(name, _MISSING)
    if isinstance(condition, dict):
        if "in" in condition and value not in condition["in"]:
            return False
        if "present" in condition and (value is not _MISSING) != condition["present"]:
            return False
        if "type" in condition:
            kinds = _JSON_TYPES[condition["type"]]
            if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
                return False
        return True
    if value is _MISSING or isinstance(value, bool) != isinstance(condition, bool):
        return False
    return bool(value == condition and type(value) is type(condition))


@dataclass(frozen=True)
class Outcome:
    name: str
    summary: str
    status: tuple[int, ...]
    fields: dict[str, Any]
    response: str  # a schema reference, EMPTY or UNCHECKED

    def matches(self, status: int, body_json: Any) -> bool:
        if self.status and status not in self.status:
            return False
        if not self.fields:
            return True
        if not isinstance(body_json, dict):
            return False
        for name, condition in self.fields.items():
            if not _field_matches(body_json, name, condition):
                return False
        return True


@dataclass(frozen=True)
class Header:
    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class Endpoint:
    id: str
    method: str
    hosts: tuple[str, ...]
    path: str
    generation: str
    summary: str
    sources: tuple[str, ...]
    request: str  # a schema reference, EMPTY or UNCHECKED
    request_body: str
    outcomes: tuple[Outcome, ...]
    fallback: str | None  # the generation's envelope, to explain an undocumented outcome
    request_headers: tuple[Header, ...] = ()
    request_query: str | None = None  # a schema for the query string (an object of strings)

    def outcome_for(self, status: int, body_json: Any) -> Outcome | None:
        """The first documented outcome for this status and body, or None."""
        for outcome in self.outcomes:
            if outcome.matches(status, body_json):
                return outcome
        return None

    def reachable(self) -> list[Outcome]:
        """The outcomes, minus any that an earlier one with the same condition hides."""
        out: list[Outcome] = []
        for outcome in self.outcomes:
            if not any(o.status == outcome.status and o.fields == outcome.fields for o in out):
                out.append(outcome)
        return out

    @property
    def url(self) -> str:
        return f"https://{self.hosts[0]}{self.path}"


@functools.lru_cache(maxsize=1024)
def _path_regex(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", path)
    return re.compile(
        "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"
    )


def _host_matches(pattern: str, host: str, port: int | None) -> tuple[bool, int]:
    """(matches, specificity): a pattern with a port beats one without, literal beats glob."""
    name, _, want_port = pattern.partition(":")
    if want_port and int(want_port) != port:
        return False, 0
    if not fnmatch.fnmatchcase(host, name.lower()):
        return False, 0
    return True, (2 if want_port else 0) + (0 if any(c in name for c in "*?[") else 1)


@dataclass
class Catalog:
    path: str
    endpoints: list[Endpoint]
    store: SchemaStore
    generations: dict[str, dict[str, Any]]
    _matches: dict[tuple[str, str], Endpoint | None] = field(default_factory=dict)
    _index: tuple[dict[tuple[str, str], list[Endpoint]],
                  dict[str, list[tuple[str, Endpoint]]]] | None = None

    def match(self, method: str, uri: str) -> Endpoint | None:
        """The endpoint a request goes to (query string ignored), or None if undocumented."""
        key = (method, uri.partition("?")[0])
        if key not in self._matches:
            if len(self._matches) > 100_000:
                self._matches.clear()
            self._matches[key] = self._match(method, key[1])
        return self._matches[key]

    def _candidates(self, method: str, path: str) -> list[Endpoint]:
        """Endpoints with this method whose path fits: a dict lookup for literal paths, a
        scan only over the few templated ones ('{mac}'), so the cost does not grow with the
        catalog."""
        if self._index is None:
            literal: dict[tuple[str, str], list[Endpoint]] = {}
            templated: dict[str, list[tuple[str, Endpoint]]] = {}
            for endpoint in self.endpoints:
                if "{" in endpoint.path:
                    prefix = endpoint.path.partition("{")[0]
                    templated.setdefault(endpoint.method, []).append((prefix, endpoint))
                else:
                    literal.setdefault((endpoint.method, endpoint.path), []).append(endpoint)
            self._index = (literal, templated)
        literal, templated = self._index
        found = list(literal.get((method, path), ()))
        found += [e for prefix, e in templated.get(method, ())
                  if path.startswith(prefix) and _path_regex(e.path).match(path)]
        return found

    def _match(self, method: str, uri: str) -> Endpoint | None:
        try:
            parts = urlsplit(uri)
            host, port = url_host(uri)
        except ValueError:
            return None
        best: tuple[int, Endpoint] | None = None
        # wyzeapy's wall switch calls ".../wyzecam.com//plugin/sirius/..." and the cloud
        # answers it (services/wall_switch_service.py): repeated slashes name the same path.
        path = _SLASHES.sub("/", parts.path or "/")
        for endpoint in self._candidates(method.upper(), path):
            for pattern in endpoint.hosts:
                ok, score = _host_matches(pattern, host, port)
                if ok and (best is None or score > best[0]):
                    best = (score, endpoint)
        return best[1] if best else None

    def by_id(self, endpoint_id: str) -> Endpoint:
        for endpoint in self.endpoints:
            if endpoint.id == endpoint_id:
                return endpoint
        raise KeyError(endpoint_id)


def _outcome(raw: Any, where: str) -> Outcome:
    if not isinstance(raw, dict) or "name" not in raw or "response" not in raw:
        raise CatalogError(f"{where}: an outcome needs 'name' and 'response'")
    when = raw.get("when") or {}
    status = when.get("status", [])
    statuses = tuple(status) if isinstance(status, list) else (int(status),)
    fields = when.get("fields") or {}
    for name, condition in fields.items():
        if isinstance(condition, dict) and not set(condition) <= {"in", "present", "type"}:
            raise CatalogError(f"{where}: field {name!r}: use in, present or type")
        if isinstance(condition, dict) and condition.get("type", "object") not in _JSON_TYPES:
            raise CatalogError(f"{where}: field {name!r}: unknown type {condition['type']!r}")
    return Outcome(raw["name"], raw.get("summary", ""), statuses, dict(fields), raw["response"])


def _endpoint(raw: Any, index: int, sets: dict[str, Any], gens: dict[str, Any]) -> Endpoint:
    where = f"endpoint {index}"
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: not a mapping")
    for key in ("id", "method", "hosts", "path", "generation", "request", "outcomes"):
        if key not in raw:
            raise CatalogError(f"{where} ({raw.get('id', '?')}): missing {key!r}")
    where = f"endpoint {raw['id']}"
    if raw["generation"] not in gens:
        raise CatalogError(f"{where}: unknown generation {raw['generation']!r}")
    body = raw.get("request_body", "json")
    if body not in BODY_KINDS:
        raise CatalogError(f"{where}: request_body must be one of {', '.join(BODY_KINDS)}")
    outcomes: list[Outcome] = []
    for item in raw["outcomes"]:
        if isinstance(item, dict) and "include" in item:
            if item["include"] not in sets:
                raise CatalogError(f"{where}: unknown outcome set {item['include']!r}")
            outcomes.extend(_outcome(o, f"{where}, set {item['include']}")
                            for o in sets[item["include"]])
        else:
            outcomes.append(_outcome(item, f"{where}, outcome"))
    return Endpoint(
        id=raw["id"], method=raw["method"].upper(), hosts=tuple(raw["hosts"]),
        path=raw["path"], generation=raw["generation"], summary=raw.get("summary", ""),
        sources=tuple(raw.get("sources", [])), request=raw["request"], request_body=body,
        outcomes=tuple(outcomes), fallback=gens[raw["generation"]].get("fallback"),
        request_headers=tuple(
            Header(name, bool(spec.get("required")), spec.get("description", ""))
            for name, spec in (raw.get("request_headers") or {}).items()),
        request_query=raw.get("request_query"),
    )


def load_catalog(schemas_dir: str | os.PathLike[str] | None = None) -> Catalog:
    """Load ``<schemas_dir>/catalog.yaml`` and its schemas; check every reference resolves.

    Without a folder, the toolkit's own schemas (a checkout's or the installed package's).
    """
    root = Path(schemas_dir) if schemas_dir is not None else resources.schemas_dir()
    path = root / "catalog.yaml"
    try:
        raw = yaml_text.load(path.read_bytes())
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the catalog: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: broken YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("endpoints"), list):
        raise CatalogError(f"{path}: needs a list of 'endpoints'")
    if raw.get("base_uri", BASE_URI) != BASE_URI:
        raise CatalogError(f"{path}: base_uri must be {BASE_URI!r}, the prefix of every $id")
    gens = raw.get("generations") or {}
    sets = raw.get("outcome_sets") or {}
    try:
        endpoints = [_endpoint(e, i, sets, gens) for i, e in enumerate(raw["endpoints"])]
    except CatalogError as exc:
        raise CatalogError(f"{path}: {exc}") from None
    store = load_store(root)
    seen: set[str] = set()
    for endpoint in endpoints:
        if endpoint.id in seen:
            raise CatalogError(f"{path}: endpoint {endpoint.id}: duplicate id")
        seen.add(endpoint.id)
        refs = [endpoint.request, *(o.response for o in endpoint.outcomes)]
        refs += [endpoint.request_query] if endpoint.request_query else []
        refs += [endpoint.fallback] if endpoint.fallback else []
        for ref in refs:
            if ref not in (EMPTY, UNCHECKED):
                try:
                    store.resolve(ref)
                except SchemaError as exc:
                    raise CatalogError(f"{path}: endpoint {endpoint.id}: {exc}") from None
    return Catalog(str(path), endpoints, store, gens)
