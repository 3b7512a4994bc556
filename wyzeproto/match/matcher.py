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
    view_parts,
)
from wyzeproto.match.index import REPEAT_MODES, Index, Lane, MatchOptions, Recorded
from wyzeproto.redact.placeholders import accepts, describe, known_kinds, placeholder_kind

_KNOWN = known_kinds()
_UNSEEN: Any = object()
_LANES_MAX = 4096

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
        # path -> host -> method -> scheme -> lane: dicts of strings, whose hashes are cached,
        # cost less per request than hashing a tuple of the four.
        self._lanes: dict[str, dict[str, dict[str, dict[str, Lane | None]]]] = {}
        self._lanes_kept = 0

    def match(self, method: str, host: str, path: str, query: str, body: str | bytes | None,
              scheme: str = "https") -> Recorded | Miss:
        """The recording that answers a request given in parts (``host`` as sent, with any
        port; ``path`` without the query), or a :class:`Miss` that explains why none does.

        A flat JSON body, in recorded key order, whose placeholders are the recorded ones or
        values already bound to them, takes the fast lane: one dict probe and no field-by-field
        checks (the servers' hot path). Everything else, and every fast-lane miss, takes the
        general path, which decides and explains; both choose the same recording."""
        if body and not query:
            try:
                lane = self._lanes[path][host][method][scheme]
            except KeyError:
                lane = self._lane(method, host, path, scheme)
            # The fast lane's probe, inline (a call would cost as much as the rest of this
            # method). Its hits are those of the general path's first probe.
            if lane is not None and (data := json_object(body)) is not None:
                with self._lock:
                    key = json_key(data, self._drop, self._substitutes)
                    hit = None if key is None else lane.get(key)
                    chosen = None if hit is None else self._choose(hit)
                if chosen is not None:
                    return chosen
        return self._match_general(method, host, path, query, body, scheme)

    def _match_general(self, method: str, host: str, path: str, query: str,
                       body: str | bytes | None, scheme: str) -> Recorded | Miss:
        rv = view_parts(method, host, path, query, body, scheme,
                        self.index.options.strict_client_fields)
        with self._lock:
            return self._match_view(rv)

    def _lane(self, method: str, host: str, path: str, scheme: str) -> Lane | None:
        """The fast lane to one endpoint, or None where requests take the general path (a
        login, nothing recorded with a JSON object body); remembered, as it is a pure
        function of its arguments and the read-only index."""
        lane = None if _is_login(path) else self.index.ordered(
            method.upper(), normalize_host(host, scheme), path or "/")
        if self._lanes_kept < _LANES_MAX:  # bounded: the host is whatever the client sent
            self._lanes_kept += 1
            self._lanes.setdefault(path, {}).setdefault(host, {}).setdefault(method, {})[
                scheme] = lane
        return lane

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

    def _match_view(self, rv: RequestView) -> Recorded | Miss:
        candidates, certain = self.index.candidates(rv, self._resolve)
        if candidates and _is_login(rv.path):
            self.bindings.clear()
            self._bound_to.clear()
            self._substitutes.clear()
        eligible = candidates if certain else [
            r for r in candidates if not self._conflicts(rv, r)]
        if not eligible:
            return self._explain(rv)
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

    def _explain(self, rv: RequestView) -> Miss:
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
