"""Protocol-aware matching: the replay's sessions over an :class:`~wyzeproto.match.index.Index`.

A :class:`Matcher` adds what replay needs to the index: which session (cassette) answers a
login and which the requests carrying its tokens (:mod:`wyzeproto.match.sessions`),
fresh tokens per login so that each client walks its session on its own
(:mod:`wyzeproto.match.walks`), placeholder
bindings per walk (the first real value seen for a placeholder sticks, both ways), and use
counts per walk so identical requests replay in recorded order, then repeat the last
(``repeat="last"``), start over (``"cycle"``) or miss (``"none"``). A miss explains itself
(:mod:`wyzeproto.match.miss`), naming the closest recording and the fields that differ,
never their values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
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
from wyzeproto.match.index import (
    REPEAT_MODES,
    TOKEN_KINDS,
    Index,
    Lane,
    MatchOptions,
    Recorded,
)
from wyzeproto.match.miss import Miss, differences, explain
from wyzeproto.match.sessions import (
    LoginChoice,
    SessionState,
    choose_login,
    conflicts,
    issued_challenge,
    redacted_credentials,
)
from wyzeproto.match.walks import Walks
from wyzeproto.redact.placeholders import known_kinds, placeholder_kind
from wyzeproto.redact.pseudonym import Pseudonymizer

_KNOWN = known_kinds()
_UNSEEN: Any = object()
_LANES_MAX = 4096

__all__ = ["REPEAT_MODES", "Index", "MatchOptions", "Matcher", "Miss", "Recorded"]

def _is_login(path: str) -> bool:
    return path.endswith("/user/login")


def _name(session: str) -> str:
    return session.replace("\\", "/").rsplit("/", 1)[-1]


def _placeholder_only(value: Any) -> Any:
    return value if placeholder_kind(value) is not None else None


class Matcher:
    """An index plus the replay's state: one :class:`~.sessions.SessionState` per session
    (cassette) and one per walk (a login that issued tokens, found by the fresh tokens
    handed out), and use counts. Thread-safe.

    ``key`` (the user's redaction key) lets a login pick the session recorded with the same
    credentials; ``session`` pins one session for every login; ``on_login`` receives one
    line per login saying which session answered it and which others could have."""

    def __init__(self, index: Index, key: bytes | None = None, session: str | None = None,
                 on_login: Callable[[str], None] | None = None) -> None:
        self.index = index
        self.pinned: str | None = None
        if session:
            self.pinned = index.session_of(session)
            if self.pinned is None:
                names = ", ".join(s.rsplit("/", 1)[-1] for s in index.sessions()) or "none"
                raise ValueError(f"session {session!r} is not one of the cassettes loaded "
                                 f"(sessions: {names})")
        self._pseudonymizer = Pseudonymizer(key) if key else None
        self.on_login = on_login
        self._states: dict[str, SessionState] = {}
        self._last: SessionState = SessionState()
        self._issued: dict[str, str] = {}  # token -> the session whose answer issued it
        self._walk_book = Walks(index.token_sessions)
        self._walks = self._walk_book.by_token  # the same dict: the fast lane probes it
        self._challenged: list[str] = []
        # The fast lane probes with the substitutes of the one session that has any.
        self._fast_owner: str | None = None
        self._fast_subs: dict[str, str] = {}
        self._drop = VOLATILE if index.options.strict_client_fields else VOLATILE_AND_BUILD
        self._used: dict[int, int] = {}
        self._lock = threading.Lock()
        # path -> host -> method -> scheme -> lane: dicts of strings, whose hashes are cached,
        # cost less per request than hashing a tuple of the four.
        self._lanes: dict[str, dict[str, dict[str, dict[str, Lane | None]]]] = {}
        self._lanes_kept = 0

    @property
    def bindings(self) -> dict[str, str]:
        """The placeholder bindings of the walk or session that answered last."""
        return self._last.bindings

    def state(self, session: str) -> SessionState:
        state = self._states.get(session)
        if state is None:
            state = self._states[session] = SessionState(session=session)
        return state

    def match(self, method: str, host: str, path: str, query: str, body: str | bytes | None,
              scheme: str = "https") -> Recorded | Miss:
        """The recording that answers a request given in parts (``host`` as sent, with any
        port; ``path`` without the query), or a :class:`Miss` that explains why none does.

        A flat JSON body, in recorded key order, whose placeholders are the recorded ones or
        values already bound to them, takes the fast lane: one dict probe and no field-by-field
        checks (the servers' hot path), when the recordings it finds belong to one session
        whose tokens no other session holds. Everything else, and every fast-lane miss, takes
        the general path, which routes by session, decides and explains; both choose the same
        recording."""
        if body and not query:
            try:
                lane = self._lanes[path][host][method][scheme]
            except KeyError:
                lane = self._lane(method, host, path, scheme)
            # The fast lane's probe, inline (a call would cost as much as the rest of this
            # method). Its hits are those of the general path's first probe.
            if lane is not None and (data := json_object(body)) is not None:
                with self._lock:
                    walk = None
                    if self._walks:  # a client carrying its walk's fresh tokens
                        token = data.get("access_token") or data.get("refresh_token")
                        walk = self._walks.get(token) if token.__class__ is str else None
                    if walk is not None:
                        hit, chosen = None, self._walk_lane(lane, data, walk)
                    else:
                        key = json_key(data, self._drop, self._fast_subs)
                        hit, chosen = None if key is None else lane.get(key), None
                    if hit is not None and self.index.solo(hit):
                        session = hit[0].cassette
                        # Literal placeholders are safe for any session; substitutes only
                        # for the session they were bound in.
                        if ((not self._fast_subs or self._fast_owner == session) and
                                self.pinned in (None, session)):
                            chosen = self._choose(hit, self._used)
                            if chosen is not None:
                                chosen = self._answered(chosen, self.state(session))
                if chosen is not None:
                    return chosen
        return self._match_general(method, host, path, query, body, scheme)

    def _walk_lane(self, lane: Lane, data: dict[str, Any], walk: SessionState
                   ) -> Recorded | None:
        """The fast lane for a client carrying its walk's fresh tokens (under the lock): the
        walk's substitutes put the recorded tokens back; None sends it the general way."""
        key = json_key(data, self._drop, walk.substitutes)
        hit = None if key is None else lane.get(key)
        if hit is None or hit[0].cassette != walk.session or not self.index.solo(hit):
            return None
        chosen = self._choose(hit, walk.used)
        return None if chosen is None else self._answered(chosen, walk)

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

    def _choose(self, eligible: list[Recorded], used: dict[int, int]) -> Recorded | None:
        """The first recording not in ``used``, else per ``repeat``; None when used up
        (``none``)."""
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

    def _answered(self, chosen: Recorded, state: SessionState) -> Recorded:
        """Bookkeeping after an answer: the tokens it issued now lead to its session; in a
        walk, what is answered hands out fresh tokens of that walk instead."""
        self._last = state
        for token in chosen.issued:
            self._issued[token] = chosen.cassette
        if chosen.issued and state.login is not None:
            return self._walk_book.reissue(chosen, state)
        return chosen

    def _route(self, rv: RequestView) -> list[tuple[str, SessionState]] | None:
        """The sessions whose tokens the request carries, in the order they answer, each with
        the state that answers: a walk's fresh token leads to that walk; a recorded token to
        the session whose login issued it, then every other that holds it, in load order;
        None when it carries none."""
        found: list[str] | None = None
        owners = self.index.token_sessions
        for _, value in rv.fields.values():
            if value.__class__ is not str or len(value) < 7:
                continue
            walk = self._walks.get(value)
            if walk is not None:
                held = owners.get(walk.tokens[value], ())
                return [(walk.session, walk),
                        *[(s, walk) for s in held if s != walk.session]]
            for state_session, state in self._states.items():
                if value in state.bound_to:  # a real token bound in that session
                    return [(state_session, state)]
            issuer = self._issued.get(value)
            if issuer is not None:
                # The same token placeholder means the same real token (placeholders are
                # keyed), so other cassettes holding it recorded the same real session: they
                # answer what the issuing one lacks.
                return [(s, self.state(s)) for s in
                        [issuer, *[s for s in owners.get(value, ()) if s != issuer]]]
            if found is None and value in owners:
                found = owners[value]
        return None if found is None else [(s, self.state(s)) for s in found]

    def _match_view(self, rv: RequestView) -> Recorded | Miss:
        if _is_login(rv.path):
            return self._login(rv)
        route = self._route(rv)
        if self.pinned is not None:
            pinned = self.pinned
            route = [(pinned, self.state(pinned))] if route is None else [
                (s, state) for s, state in route if s == pinned]
        sessions: list[tuple[str | None, SessionState | None]] = \
            list(route) if route is not None else [(None, None)]
        tokened: Recorded | None = None
        for session, routed in sessions:
            state = routed if routed is not None else SessionState()
            candidates, certain = self.index.candidates(rv, self._resolver(state))
            if session is None:
                tokened = next((c for c in candidates if c.tokens), tokened)
                candidates = [c for c in candidates if not c.tokens]
            else:
                candidates = [c for c in candidates if c.cassette == session]
            eligible = candidates if certain else [
                r for r in candidates if not self._conflicts(rv, r, routed)]
            if eligible:
                return self._answer(rv, eligible, certain, routed)
        if route is None and tokened is not None:
            token = next(show(p) for p, k in tokened.masked.items() if k in TOKEN_KINDS)
            return Miss(rv.line, tokened, (
                f"{token}: not a token any replayed login issued (a client that skipped the "
                "login?); log in through the replay first and send the token it answers",))
        if route == [] and self.pinned is not None:
            return Miss(rv.line, None, (f"the request carries a token of another session; "
                                        f"only {self.pinned} answers (pinned)",))
        return self._explain(rv, route[0][1] if route else None)

    def _login(self, rv: RequestView) -> Recorded | Miss:
        """A login: pick the session (:func:`~.sessions.choose_login`), start it afresh."""
        candidates, _ = self.index.candidates(rv, _placeholder_only)
        if self.pinned is not None:
            candidates = [c for c in candidates if c.cassette == self.pinned]
        fresh = SessionState()
        eligible = [r for r in candidates if not self._conflicts(rv, r, fresh)]
        if not eligible:
            return self._explain(rv)
        if self.pinned is not None:
            pool, rule = eligible, "pinned (serve_session / --session)"
        else:
            credentials = redacted_credentials(rv, self._pseudonymizer)
            pool, rule = choose_login(rv, eligible, credentials, self._challenged)
        session = pool[0].cassette
        state = self.state(session)
        state.reset()
        if self._fast_owner == session:
            self._fast_owner, self._fast_subs = None, {}
        walk = self._walk_book.start(session)
        chosen = self._answer(rv, pool, False, walk, self._used)
        if isinstance(chosen, Recorded):
            if issued_challenge(chosen):
                self._challenged.append(session)
            if self.on_login is not None:
                others = tuple(dict.fromkeys(
                    _name(r.cassette) for r in eligible if r.cassette != session))
                self.on_login(LoginChoice(rv.line, _name(session), rule, others).message())
        return chosen

    def _answer(self, rv: RequestView, eligible: list[Recorded], certain: bool,
                state: SessionState | None, used: dict[int, int] | None = None
                ) -> Recorded | Miss:
        """Answer from ``eligible`` in ``state`` (a walk, counted in its own uses unless
        ``used`` is given; None: the chosen recording's session)."""
        if used is None:
            used = state.used if state is not None and state.login is not None else self._used
        chosen = self._choose(eligible, used)
        if chosen is None:
            return Miss(rv.line, eligible[-1], (
                f"all {len(eligible)} recorded answers were served (repeat=none)",))
        if state is None:
            state = self.state(chosen.cassette)
        if not certain:  # bind what is not the recorded placeholder or already bound to it
            fields, theirs = rv.fields, chosen.view.fields
            for p in chosen.masked:
                actual, recorded = fields[p][1], theirs[p][1]
                if actual != recorded:
                    state.bind(recorded, actual)
            if state.substitutes and state.login is None:
                self._fast_subs_from(chosen.cassette, state)
        return self._answered(chosen, state)

    def _fast_subs_from(self, session: str, state: SessionState) -> None:
        """The fast lane substitutes for one session only: with bound values in several, it
        probes with none (literal placeholders only) and the general path does the rest."""
        if self._fast_owner in (None, session) and not any(
                s.substitutes for name, s in self._states.items() if name != session):
            self._fast_owner, self._fast_subs = session, state.substitutes
        else:
            self._fast_owner, self._fast_subs = "", {}

    def _resolver(self, state: SessionState) -> Callable[[Any], Any]:
        tokens = state.tokens

        def resolve(value: Any) -> Any:
            """The placeholder ``value`` stands for: itself if one (the recorded token if it
            is a fresh token of the walk), its binding if bound."""
            kind = _KNOWN.get(value, _UNSEEN) if value.__class__ is str else None
            if kind is _UNSEEN:
                kind = placeholder_kind(value)
            if kind is not None:
                return tokens.get(value, value) if tokens else value
            return state.bound_to.get(value) if value.__class__ is str else None
        return resolve

    def _conflicts(self, rv: RequestView, recorded: Recorded,
                   state: SessionState | None = None) -> list[str]:
        return conflicts(rv, recorded, state or self.state(recorded.cassette))

    def _explain(self, rv: RequestView, state: SessionState | None = None) -> Miss:
        """The closest recording to a request that matched nothing, and how it differs (in
        ``state``, else each recording's session)."""
        return explain(self.index, rv, lambda r: differences(
            self.index, rv, r, state or self.state(r.cassette)))
