"""Walks: each replayed login that issues tokens gets a walk of its own through its session.

A walk is a :class:`~wyzeproto.match.sessions.SessionState` with a ``login`` number. What a
walk is answered hands out fresh tokens (shaped like the recorded ones: same prefix, kind and
length, see :func:`~wyzeproto.match.sessions.fresh_token`) instead of the recorded ones, and
each fresh token leads back to its walk, so two clients logged in at once, even with the same
credentials, each walk the session in recorded order with their own bindings and use counts.
"""

from __future__ import annotations

from collections.abc import Container

from wyzeproto.match.index import Recorded
from wyzeproto.match.sessions import SessionState, fresh_token, reissued

# Fresh tokens kept (oldest dropped first): a long-running server must not grow without
# bound; a client whose walk was dropped gets the "not a token any replayed login issued" miss.
WALK_TOKENS_MAX = 65536


class Walks:
    """Every walk started so far, found by the fresh tokens handed out in it. Not
    thread-safe: the matcher calls it under its lock.

    ``recorded_tokens`` are the tokens the cassettes hold: a fresh token is never one of
    them, so a client that re-sends a recorded token is still answered from the session."""

    def __init__(self, recorded_tokens: Container[str]) -> None:
        self.recorded_tokens = recorded_tokens
        # fresh token -> the walk it was handed to; read directly on the matcher's fast lane
        self.by_token: dict[str, SessionState] = {}
        self._serial = 0  # fresh tokens made so far
        self._logins = 0  # walks started so far

    def start(self, session: str) -> SessionState:
        """A new walk through ``session``, for a login being answered."""
        self._logins += 1
        return SessionState(session=session, login=self._logins)

    def reissue(self, chosen: Recorded, walk: SessionState) -> Recorded:
        """``chosen`` handing out the walk's own tokens: the one already standing for a
        recorded token (an answer repeated), else a fresh one, which now leads to the walk."""
        fresh = {}
        for recorded in chosen.issued:
            token = walk.bindings.get(recorded)
            if token is None:
                token = recorded
                while token in self.by_token or token in self.recorded_tokens:
                    self._serial += 1
                    token = fresh_token(recorded, self._serial)
                walk.bind_token(recorded, token)
                self.by_token[token] = walk
                if len(self.by_token) > WALK_TOKENS_MAX:
                    del self.by_token[next(iter(self.by_token))]
            fresh[recorded] = token
        return reissued(chosen, fresh)
