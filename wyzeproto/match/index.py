"""The index of recorded requests: found by a few dict probes, never by a scan.

Each recorded request is reduced to its fields (:mod:`wyzeproto.match.fields`); the fields holding a
redaction placeholder are *masked* (any value of the placeholder's kind may stand there) and
the rest must be equal. Recordings are indexed by ``(method, host, path)`` and the exact set
of fields, and, for requests carrying real values not yet bound to a placeholder, by the set
of masked fields (the "shape", a handful per endpoint), a fingerprint of the other fields and
the placeholder values. A request that echoes what the replay gave it, or real values already
bound, costs a few dict probes whatever the cassette's size; the servers' fast lane costs one,
on a flat key that keeps the body's field order (:func:`wyzeproto.match.fields.json_key`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wyzeproto.cassette.files import Interaction, find_cassettes, load_cassette
from wyzeproto.match.fields import (
    VOLATILE,
    VOLATILE_AND_BUILD,
    Leaf,
    Path,
    RequestView,
    json_key,
    json_object,
    show,
    view,
)
from wyzeproto.redact.placeholders import placeholder_kind

REPEAT_MODES = ("last", "cycle", "none")
# The placeholder kinds that tie requests to the login that issued them.
TOKEN_KINDS = frozenset({"token:access_token", "token:refresh_token"})
_TOKEN_TEXT = re.compile(r"(?:[A-Za-z]{2,8}\.)?REDACTED_(?:access|refresh)_token_[0-9a-f]{16}")


def _response_text(interaction: Interaction) -> str:
    body = (interaction.get("response") or {}).get("body") or {}
    text = body.get("string") if isinstance(body, dict) else None
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return text if isinstance(text, str) else ""
_MASK: Leaf = (None, "mask")


@dataclass(frozen=True)
class MatchOptions:
    strict_client_fields: bool = False
    repeat: str = "last"

    def __post_init__(self) -> None:
        if self.repeat not in REPEAT_MODES:
            raise ValueError(f"repeat={self.repeat!r}: use one of {', '.join(REPEAT_MODES)}")


@dataclass(eq=False)
class Recorded:
    cassette: str
    index: int
    seq: int
    interaction: Interaction
    view: RequestView
    masked: dict[Path, str]  # field -> placeholder kind
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    # The session's tokens (access/refresh placeholders) the request carries, and those its
    # answer issues (a login, a refresh): what ties a client to one session.
    tokens: frozenset[str] = frozenset()
    issued: tuple[str, ...] = ()

    @property
    def session(self) -> str:
        """The session this recording belongs to: its cassette."""
        return self.cassette

    @property
    def where(self) -> str:
        return f"{self.cassette}::interaction {self.index}"


def _fingerprint(fields: dict[Path, Leaf], masked: frozenset[Path]) -> frozenset[Any]:
    if not masked:
        return frozenset(fields.items())
    return frozenset([(p, _MASK if p in masked else leaf) for p, leaf in fields.items()])


# One endpoint's recordings with a JSON object body, keyed by json_key (the fast lane).
Lane = dict[tuple[Any, ...], list[Recorded]]


@dataclass
class _Bucket:
    all: list[Recorded] = field(default_factory=list)
    by_values: dict[tuple[Any, ...], list[Recorded]] = field(default_factory=dict)


class Index:
    """Recorded interactions, looked up without a scan."""

    def __init__(self, options: MatchOptions | None = None) -> None:
        self.options = options or MatchOptions()
        self.size = 0
        self.hosts: set[str] = set()
        self._tables: dict[tuple[str, str | None, str], dict[frozenset[Path], Any]] = {}
        self._by_endpoint: dict[tuple[str, str], list[Recorded]] = {}
        self._exact: dict[tuple[str, str | None, str], dict[frozenset[Any], list[Recorded]]] = {}
        # The same lists as ``_exact``, keyed by :func:`~.fields.json_key` (body order).
        self._ordered: dict[tuple[str, str | None, str], Lane] = {}
        self._sessions: dict[str, list[Recorded]] = {}  # in load order
        self.token_sessions: dict[str, list[str]] = {}  # token placeholder -> sessions

    @classmethod
    def load(cls, paths: list[str], options: MatchOptions | None = None) -> Index:
        """Index every cassette under ``paths``; raises CassetteError/FileNotFoundError."""
        index = cls(options)
        files = find_cassettes(paths)
        if not files:
            raise FileNotFoundError(f"{', '.join(paths)}: no cassettes (*.yaml) found")
        for name in files:
            for number, interaction in enumerate(load_cassette(name).interactions):
                index.add(name, number, interaction)
        return index

    def add(self, cassette: str, number: int, interaction: Interaction) -> Recorded:
        request = interaction["request"]
        rv = view(request["method"], request["uri"], request.get("body"),
                  strict_client_fields=self.options.strict_client_fields)
        masked = {p: k for p, (_, v) in rv.fields.items() if (k := placeholder_kind(v))}
        tokens = frozenset(rv.fields[p][1] for p, k in masked.items() if k in TOKEN_KINDS)
        issued = tuple(dict.fromkeys(_TOKEN_TEXT.findall(_response_text(interaction))))
        recorded = Recorded(cassette, number, self.size, interaction, rv, masked, {}, tokens,
                            issued)
        self.size += 1
        if cassette not in self._sessions:
            self._sessions[cassette] = []
        self._sessions[cassette].append(recorded)
        for token in (*tokens, *issued):
            owners = self.token_sessions.setdefault(token, [])
            if cassette not in owners:
                owners.append(cassette)
        self.hosts.add(rv.host)
        shape = frozenset(masked)
        order = tuple(sorted(shape, key=show))
        key = _fingerprint(rv.fields, shape)
        values = tuple(rv.fields[p][1] for p in order)
        whole = frozenset(rv.fields.items())
        ordered = self._ordered_key(request)
        for host in (rv.host, None):
            exact = self._exact.setdefault((rv.method, host, rv.path), {})
            same = exact.setdefault(whole, [])
            same.append(recorded)
            if ordered is not None:
                self._ordered.setdefault((rv.method, host, rv.path), {})[ordered] = same
            shapes = self._tables.setdefault((rv.method, host, rv.path), {})
            bucket = shapes.setdefault(shape, (order, {}))[1].setdefault(key, _Bucket())
            bucket.all.append(recorded)
            bucket.by_values.setdefault(values, []).append(recorded)
        self._by_endpoint.setdefault((rv.method, rv.path), []).append(recorded)
        return recorded

    def _ordered_key(self, request: dict[str, Any]) -> tuple[Any, ...] | None:
        """The fast lane's key for a recorded request with no query and a JSON object body."""
        body = request.get("body")
        if not body or "?" in request["uri"]:
            return None
        data = json_object(body)
        drop = VOLATILE if self.options.strict_client_fields else VOLATILE_AND_BUILD
        return None if data is None else json_key(data, drop, {})

    def ordered(self, method: str, host: str, path: str) -> Lane | None:
        """One endpoint's recordings by :func:`~wyzeproto.match.fields.json_key` (hosts as in
        :meth:`host_for`); each list is the one the general path's first probe finds."""
        return self._ordered.get((method, host if host in self.hosts else None, path))

    def host_for(self, rv: RequestView) -> str | None:
        """The request's host when it is a recorded one; None (any host) for a local name."""
        return rv.host if rv.host in self.hosts else None

    def candidates(self, rv: RequestView, resolve: Callable[[Any], Any]
                   ) -> tuple[list[Recorded], bool]:
        """Recordings ``rv`` may match, and whether all of them are certain (no placeholder
        check needed). ``resolve`` maps a request value to the placeholder it stands for
        (itself if a placeholder, its binding if bound, else None); when every masked field
        resolves, one more dict probe narrows the list to exactly those placeholders."""
        endpoint = (rv.method, rv.host if rv.host in self.hosts else None, rv.path)
        exact_table = self._exact.get(endpoint)
        if exact_table is None:
            return [], False
        # First probe: the request's fields with bound real values put back as placeholders.
        # A request that echoes what the replay gave it (the usual case) stops here.
        whole = []
        for item in rv.fields.items():
            value = item[1][1]
            if value.__class__ is str and len(value) >= 7:
                placeholder = resolve(value)
                if placeholder is not None and placeholder != value:
                    item = (item[0], (str, placeholder))
            whole.append(item)
        hit = exact_table.get(frozenset(whole))
        if hit is not None:
            return hit, True
        shapes = self._tables[endpoint]
        found: list[Recorded] = []
        certain = True
        fields = rv.fields
        for shape, (order, table) in shapes.items():
            bucket = table.get(_fingerprint(fields, shape))
            if bucket is None:
                continue
            resolved = tuple([resolve(fields[p][1]) for p in order]) if order else ()
            exact = None if None in resolved else bucket.by_values.get(resolved)
            if exact is None:
                certain = False
            found.extend(exact or bucket.all)
        if len(shapes) > 1:
            found.sort(key=lambda r: r.seq)
        return found, certain and bool(found)

    def sessions(self) -> list[str]:
        """The sessions (cassettes) in load order: paths as given, a folder's files by name."""
        return list(self._sessions)

    def session_of(self, name: str) -> str | None:
        """The session called ``name``: its path, its file name, or its name without .yaml."""
        for session in self._sessions:
            base = session.replace("\\", "/").rsplit("/", 1)[-1]
            if name in (session, base, base.removesuffix(".yaml")):
                return session
        return None

    def solo(self, recordings: list[Recorded]) -> bool:
        """Whether ``recordings`` (one fast-lane list) belong to one session whose tokens no
        other session holds: then the fast lane may answer without routing by token."""
        cached = recordings[0].cache.get("solo")
        if cached is None or cached[0] != len(recordings):
            session = recordings[0].cassette
            ok = all(r.cassette == session and all(
                len(self.token_sessions[t]) == 1 for t in r.tokens) for r in recordings)
            cached = recordings[0].cache["solo"] = (len(recordings), ok)
        return bool(cached[1])

    def same_endpoint(self, rv: RequestView, limit: int = 200) -> list[Recorded]:
        return self.at_endpoint(rv.method, rv.path)[:limit]

    def at_endpoint(self, method: str, path: str) -> list[Recorded]:
        return self._by_endpoint.get((method, path), [])

    def recordings(self) -> list[Recorded]:
        return [r for group in self._by_endpoint.values() for r in group]

    def endpoints(self) -> list[str]:
        return [f"{m} {p}" for m, p in self._by_endpoint]
