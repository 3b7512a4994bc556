"""Protocol-aware matching: one replay session over an :class:`~wyzeproto.match.index.Index`.

A :class:`Matcher` adds what a session needs to the index: placeholder bindings (the first
real value seen for a placeholder sticks, both ways, until the next login), and a use count
per recording so identical requests replay in recorded order, then repeat the last
(``repeat="last"``), start over (``"cycle"``) or miss (``"none"``). A miss explains itself,
naming the closest recording and the fields that differ, never their values.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass
from typing import Any

from wyzeproto.match.fields import (
    VOLATILE,
    VOLATILE_AND_BUILD,
    RequestView,
    json_key,
    json_object,
    normalize_host,
    show,
    view,
    view_parts,
)
from wyzeproto.match.index import REPEAT_MODES, Index, Lane, MatchOptions, Recorded
from wyzeproto.redact.placeholders import accepts, describe, known_kinds, placeholder_kind

_KNOWN = known_kinds()
_UNSEEN: Any = object()

__all__ = ["REPEAT_MODES", "Index", "MatchOptions", "Matcher", "Miss", "Recorded"]

def _is_login(path: str) -> bool:
    return path.endswith("/user/login")


@dataclass(frozen=True)
class Miss:
    request: str
    closest: Recorded | None
    differences: tuple[str, ...]

    def message(self) -> str:
        if self.closest is None:
            return f"{self.request}: no recorded answer, and the cassettes hold nothing close"
        return (f"{self.request}: no recorded answer; closest is {self.closest.where} "
                f"({self.closest.view.line}): {'; '.join(self.differences)}. "
                "Record this request, or check the client sends what the recording did.")

    def to_json(self) -> dict[str, Any]:
        closest = None if self.closest is None else {
            "where": self.closest.where, "request": self.closest.view.line}
        return {"error": "replay miss", "request": self.request, "closest": closest,
                "differences": list(self.differences),
                "hint": "the replay server answers only recorded requests and never "
                        "forwards; record this request or fix the client"}


class Matcher:
    """An index plus one replay session's state (bindings and use counts). Thread-safe."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.bindings: dict[str, str] = {}
        self._bound_to: dict[str, str] = {}
        # What the first probe substitutes: bound values that are not placeholders themselves
        # (a placeholder stands for itself) and are long enough to be one.
        self._substitutes: dict[str, str] = {}
        self._drop = VOLATILE if index.options.strict_client_fields else VOLATILE_AND_BUILD
        self._used: dict[int, int] = {}
        self._lock = threading.Lock()

    def match(self, method: str, uri: str, body: str | bytes | None,
              host: str | None = None) -> Recorded | Miss:
        rv = view(method, uri, body, host, self.index.options.strict_client_fields)
        with self._lock:
            return self.match_view(rv)

    def match_parts(self, method: str, host: str, path: str, query: str,
                    body: str | bytes | None, scheme: str = "http") -> Recorded | Miss:
        """Like :meth:`match` for a server that already holds the request in parts."""
        lane = self.lane(method, host, path, query, scheme)
        if lane is not None and body:
            chosen = self.match_lane(lane, body)
            if chosen is not None:
                return chosen
        return self.match_general(method, host, path, query, body, scheme)

    def match_general(self, method: str, host: str, path: str, query: str,
                      body: str | bytes | None, scheme: str = "http") -> Recorded | Miss:
        """:meth:`match_parts` without the fast lane (for a caller that tried it already)."""
        rv = view_parts(method, host, path, query, body, scheme,
                        self.index.options.strict_client_fields)
        with self._lock:
            return self.match_view(rv)

    def lane(self, method: str, host: str, path: str, query: str, scheme: str = "http"
             ) -> Lane | None:
        """The fast lane to one endpoint, or None where requests take the general path (a
        query, a login, nothing recorded with a JSON object body). It depends on these
        arguments and the read-only index only, so a server may keep it per request head."""
        if query or _is_login(path):
            return None
        return self.index.ordered(method.upper(), normalize_host(host, scheme), path or "/")

    def match_lane(self, lane: Lane, body: str | bytes) -> Recorded | None:
        """A hit of the fast lane, or None: then :meth:`match_general` decides and explains.

        A flat JSON body, in recorded key order, whose placeholders are the recorded ones or
        values already bound to them, needs one dict probe and no field-by-field checks: the
        servers' hot path. Its hits are those of the general path's first probe."""
        data = json_object(body)
        if data is None:
            return None
        with self._lock:
            key = json_key(data, self._drop, self._substitutes)
            hit = None if key is None else lane.get(key)
            return None if hit is None else self._choose(hit)

    def _choose(self, eligible: list[Recorded]) -> Recorded | None:
        """The first unused recording, else per ``repeat``; None when used up (``none``)."""
        used = self._used
        for chosen in eligible:
            if chosen.seq not in used:
                break
        else:
            repeat = self.index.options.repeat
            if repeat == "none":
                return None
            if repeat == "cycle":
                for r in eligible:
                    used.pop(r.seq, None)
                chosen = eligible[0]
            else:
                chosen = eligible[-1]
        used[chosen.seq] = used.get(chosen.seq, 0) + 1
        return chosen

    def match_view(self, rv: RequestView) -> Recorded | Miss:
        candidates, certain = self.index.candidates(rv, self._resolve)
        if candidates and _is_login(rv.path):
            self.bindings.clear()
            self._bound_to.clear()
            self._substitutes.clear()
        eligible = candidates if certain else [
            r for r in candidates if not self._conflicts(rv, r)]
        if not eligible:
            return self.explain(rv)
        chosen = self._choose(eligible)
        if chosen is None:
            return Miss(rv.line, eligible[-1], (
                f"all {len(eligible)} recorded answers were served (repeat=none)",))
        if certain:  # every placeholder was the recorded one or already bound to this value
            return chosen
        fields, theirs = rv.fields, chosen.view.fields
        for p in chosen.masked:
            actual, recorded = fields[p][1], theirs[p][1]
            if actual != recorded:
                self.bindings[recorded] = actual
                self._bound_to[actual] = recorded
                if len(actual) >= 7 and placeholder_kind(actual) is None:
                    self._substitutes[actual] = recorded
        return chosen

    def _resolve(self, value: Any) -> Any:
        """The placeholder ``value`` stands for: itself if it is one, its binding if bound."""
        kind = _KNOWN.get(value, _UNSEEN) if value.__class__ is str else None
        if kind is _UNSEEN:
            kind = placeholder_kind(value)
        if kind is not None:
            return value
        return self._bound_to.get(value) if value.__class__ is str else None

    def _conflicts(self, rv: RequestView, recorded: Recorded) -> list[str]:
        problems = []
        for p, kind in recorded.masked.items():
            actual, placeholder = rv.fields[p][1], recorded.view.fields[p][1]
            if actual == placeholder:
                continue
            if not accepts(kind, actual):
                problems.append(f"{show(p)}: the recording holds {describe(kind)}; the "
                                "request's value is not of that kind")
            elif self.bindings.get(placeholder, actual) != actual or \
                    self._bound_to.get(actual, placeholder) != placeholder:
                problems.append(f"{show(p)}: the recording's placeholder was bound to another "
                                "value earlier in this session")
        return problems

    def _differences(self, rv: RequestView, recorded: Recorded) -> list[str]:
        out = []
        if self.index.host_for(rv) and rv.host != recorded.view.host:
            out.append(f"host: the request went to {rv.host}, the recording to "
                       f"{recorded.view.host}")
        mine, theirs = rv.fields, recorded.view.fields
        for p in sorted(set(mine) | set(theirs), key=show):
            if p not in mine:
                out.append(f"{show(p)}: in the recording, missing from the request")
            elif p not in theirs:
                out.append(f"{show(p)}: in the request, not in the recording")
            elif p not in recorded.masked and mine[p] != theirs[p]:
                out.append(f"{show(p)}: differs from the recording")
        return out + self._conflicts_tolerant(rv, recorded)

    def _conflicts_tolerant(self, rv: RequestView, recorded: Recorded) -> list[str]:
        if any(p not in rv.fields for p in recorded.masked):
            return []
        return self._conflicts(rv, recorded)

    def explain(self, rv: RequestView) -> Miss:
        """The closest recording to a request that matched nothing, and how it differs."""
        pool = self.index.same_endpoint(rv)
        if pool:
            scored = [(len(d), r.seq, r, d) for r in pool if (d := self._differences(rv, r))]
            if scored:
                _, _, best, diffs = min(scored, key=lambda t: (t[0], t[1]))
                return Miss(rv.line, best, tuple(diffs))
        names = self.index.endpoints()
        near = difflib.get_close_matches(f"{rv.method} {rv.path}", names, n=1, cutoff=0.0)
        if not near:
            return Miss(rv.line, None, ())
        method, _, path = near[0].partition(" ")
        best = self.index.at_endpoint(method, path)[0]
        return Miss(rv.line, best, (f"path: nothing recorded for {rv.method} {rv.path}; the "
                                    f"nearest recorded endpoint is {near[0]}",))
