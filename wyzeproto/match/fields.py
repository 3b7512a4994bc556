"""A request seen as the matcher sees it: method, host, path and a flat map of fields.

Query parameters and form fields become ``param.<name>``; a JSON body becomes
``json.<path>`` leaves (``json.device_list[0].mac``). Headers are never fields. The
volatile fields (:data:`VOLATILE`, new on every call) are dropped at any depth, and so are
the client-build fields (:data:`CLIENT_BUILD`) unless strict, so that what remains is what
the request *asks*, not who asks it or when.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from wyzeproto.hosts import normalize_host as normalize_host  # the matcher's import

# The volatile fields: a value new on every call, so they never decide a match or count as
# a difference. This is the one list; the docs point here (tests/test_readme.py checks).
VOLATILE = frozenset({
    "ts",  # the client's clock
    "nonce",
    "requestid",
    "signature2",  # an HMAC over the body, so it changes with ts
    "sign", "timestamp",  # Ford: an MD5 over the parameters, and the client's clock
    "ReqID",  # Ford: the id of each answer
    "transactionId",  # devicemgmt: a client-made id per call (wyzeapy payload_factory)
    "phone_id", "phoneid",  # a fresh uuid4 per call in some clients
    "verification_code",  # a one-time MFA code (TOTP changes every 30 s) never repeats
})
CLIENT_BUILD = frozenset({"sc", "sv", "app_ver", "app_version", "app_name",
                          "phone_system_type"})
VOLATILE_AND_BUILD = VOLATILE | CLIENT_BUILD

Path = tuple[str | int, ...]
Leaf = tuple[Any, Any]  # (type, value): keeps JSON true apart from 1 and "1"
_EMPTY_DICT: Leaf = (dict, "{}")
_EMPTY_LIST: Leaf = (list, "[]")


class RequestView(NamedTuple):
    method: str
    host: str
    path: str
    fields: dict[Path, Leaf]

    @property
    def line(self) -> str:
        return f"{self.method} {self.host}{self.path}"


def _flatten(node: Any, path: Path, drop: frozenset[str], out: dict[Path, Leaf]) -> None:
    # Iterating by hand (no generators, no helper per leaf): this runs on every request.
    items = node.items() if node.__class__ is dict else enumerate(node)
    for key, value in items:
        if key in drop:
            continue
        cls = value.__class__
        if cls is dict or cls is list:
            if value:
                _flatten(value, (*path, key), drop, out)
            else:
                out[(*path, key)] = _EMPTY_DICT if cls is dict else _EMPTY_LIST
        else:
            out[(*path, key)] = (cls, value)


# The C scanner, without json.loads' per-call checks.
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json(text: str) -> Any:
    data, end = _scan(text, 0)
    if end != len(text) and text[end:].strip():
        raise ValueError("extra data after the JSON value")
    return data


def body_fields(body: str | bytes | None, drop: frozenset[str]) -> dict[Path, Leaf]:
    """Flatten a body: JSON into ``json`` leaves, a form into ``param`` leaves, else raw."""
    if not body:
        return {}
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if text[:1] not in ("{", "["):
        text = text.strip()
    if text[:1] in ("{", "["):
        try:
            data = _json(text)
        except (ValueError, StopIteration):
            return {("raw",): (str, text)}
        out: dict[Path, Leaf] = {}
        if data.__class__ is dict:  # the usual flat envelope, without a call per field
            for key, value in data.items():
                if key in drop:
                    continue
                cls = value.__class__
                if cls is dict or cls is list:
                    if value:
                        _flatten(value, ("json", key), drop, out)
                    else:
                        out[("json", key)] = _EMPTY_DICT if cls is dict else _EMPTY_LIST
                else:
                    out[("json", key)] = (cls, value)
        elif data:
            _flatten(data, ("json",), drop, out)
        elif data == []:
            out[("json",)] = _EMPTY_LIST
        return out
    pairs = parse_qsl(text, keep_blank_values=True)
    if pairs and "=" in text and " " not in text:
        return {("param", k): (str, v) for k, v in pairs if k not in drop}
    return {("raw",): (str, text)}


def json_key(data: dict[str, Any], drop: frozenset[str], substitutes: dict[str, str]
             ) -> tuple[Any, ...] | None:
    """The servers' fast lane: a JSON object of scalars and lists of scalars as one flat,
    hashable tuple ``(name, value, name, value...)`` in body order, without ``drop``, and with
    strings found in ``substitutes`` (real values bound to a placeholder) replaced by it. Equal
    keys mean equal :func:`body_fields` (a string stands bare, any other scalar as its
    ``(type, value)`` leaf, a list as ``(list, entries)``); a different key order only makes
    another key. None for any other body: the general path handles it."""
    out: list[Any] = []
    # One loop, no call per field (``out.append`` spelled out: CPython specialises that form):
    # this runs on every request the standalone server answers.
    for name, value in data.items():
        if name in drop:
            continue
        out.append(name)
        cls = value.__class__
        if cls is str:
            out.append(substitutes.get(value, value) if substitutes else value)
        elif cls is list:
            if not value:
                out.append(_EMPTY_LIST)
                continue
            entries: list[Any] = []
            for entry in value:
                cls = entry.__class__
                if cls is str:
                    entries.append(substitutes.get(entry, entry) if substitutes else entry)
                elif cls is dict or cls is list:
                    return None
                else:
                    entries.append((cls, entry))
            out.append((list, tuple(entries)))
        elif cls is dict:
            if value:
                return None
            out.append(_EMPTY_DICT)
        else:
            out.append((cls, value))
    return tuple(out)


def json_object(body: str | bytes) -> dict[str, Any] | None:
    """``body`` parsed when it is a JSON object (first byte ``{``), else None."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if text[:1] != "{":
        return None
    try:
        data = _json(text)
    except (ValueError, StopIteration):
        return None
    return data if isinstance(data, dict) else None


def view_parts(method: str, host: str, path: str, query: str, body: str | bytes | None,
               scheme: str = "https", strict_client_fields: bool = False) -> RequestView:
    """The matcher's view of a request given in parts (no URL to build or split)."""
    drop = VOLATILE if strict_client_fields else VOLATILE_AND_BUILD
    fields = body_fields(body, drop)
    if query:
        for key, value in parse_qsl(query, keep_blank_values=True):
            if key not in drop:
                fields[("param", key)] = (str, value)
    return RequestView(method.upper(), normalize_host(host, scheme), path or "/", fields)


def view(method: str, uri: str, body: str | bytes | None, host: str | None = None,
         strict_client_fields: bool = False) -> RequestView:
    """Build the matcher's view of one request. ``host`` overrides the URI's host."""
    parts = urlsplit(uri)
    return view_parts(method, host or parts.netloc, parts.path, parts.query, body,
                      parts.scheme or "https", strict_client_fields)


def show(path: Path) -> str:
    """``("json", "device_list", 0, "mac")`` -> ``json.device_list[0].mac``."""
    out = str(path[0])
    for part in path[1:]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
