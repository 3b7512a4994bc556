"""The answer to a request no recording matches: the closest recording and how it differs.

A miss names fields and the closest recording, never a value, so it can be logged and sent
to the client as it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wyzeproto.match.fields import RequestView, show
from wyzeproto.match.index import Index, Recorded
from wyzeproto.match.sessions import SessionState, conflicts


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



def differences(index: Index, rv: RequestView, recorded: Recorded, state: SessionState
                ) -> list[str]:
    """How a request differs from one recording, field by field (names, never values)."""
    out = []
    if index.host_for(rv) and rv.host != recorded.view.host:
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
    if all(p in rv.fields for p in recorded.masked):
        out += conflicts(rv, recorded, state)
    return out


def explain(index: Index, rv: RequestView, differences: Callable[[Recorded], list[str]]
            ) -> Miss:
    """The closest recording of the same endpoint (fewest ``differences``, then the first
    recorded), else of the nearest recorded endpoint."""
    pool = index.same_endpoint(rv)
    if pool:
        scored = [(len(d), r.seq, r, d) for r in pool if (d := differences(r))]
        if scored:
            _, _, best, diffs = min(scored, key=lambda t: (t[0], t[1]))
            return Miss(rv.line, best, tuple(diffs))
    names = index.endpoints()
    near = difflib.get_close_matches(f"{rv.method} {rv.path}", names, n=1, cutoff=0.0)
    if not near:
        return Miss(rv.line, None, ())
    method, _, path = near[0].partition(" ")
    best = index.at_endpoint(method, path)[0]
    return Miss(rv.line, best, (f"path: nothing recorded for {rv.method} {rv.path}; the "
                                f"nearest recorded endpoint is {near[0]}",))
