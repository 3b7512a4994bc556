"""Sessions: a cassette is one recorded session, and a login picks which one answers.

A login is answered from one session, chosen by these rules, in this order:

1. ``credentials``: the session whose recorded login holds the request's credentials once
   redacted with the user's key (the recording the user made, replayed as made; recorded
   order, so a wrong-password attempt that was recorded first is answered first);
2. ``plain login``: for a login without second-factor fields, the first session, in load
   order (paths as given, a folder's files by name), whose login succeeded without a second
   factor;
3. ``second factor``: for the second step of an MFA login, the session that answered the
   challenge last, else the first in load order with such a step recorded;
4. ``first recorded``: otherwise the first session, in load order, with a matching login.

``serve_session`` / ``--session`` pins one session and skips the rules. Every request after
the login is routed by the tokens it carries (:data:`~.index.TOKEN_KINDS`): the session that
issued them answers (then the other cassettes holding the same token placeholder: the same
placeholder is the same real token, so they recorded the same real session, as the reference
cassettes split one endpoint per file do), and a request with no token of any session is a
miss.

Each login that issues tokens starts a *walk*: one client's way through its session. The
answer hands that client fresh tokens of its own (:func:`fresh_token`: shaped like the
recorded placeholders, made up) instead of the recorded ones, so two clients logged in with
the same credentials at once are told apart: each walk has its own bindings and its own use
counts, and a refresh answered in a walk hands out fresh tokens of that walk again. A client
that re-sends the recorded tokens themselves shares the session's one state, as before.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from wyzeproto.match.fields import Path, RequestView, show
from wyzeproto.match.index import Recorded
from wyzeproto.redact.placeholders import accepts, describe, placeholder_kind
from wyzeproto.redact.policy import FIELD_KINDS, normalise
from wyzeproto.redact.pseudonym import Pseudonymizer

CREDENTIAL_KINDS = frozenset({"email", "password_hash"})
# What the second step of an MFA login carries (verification_code is volatile, so dropped).
SECOND_FACTOR_FIELDS = (("json", "mfa_type"), ("json", "verification_id"))


@dataclass
class SessionState:
    """Placeholder bindings, of a session (``login`` None: the state shared by clients that
    re-send the recorded tokens, until the session's next login) or of one walk (the
    ``login``-th login that issued tokens): the first real value seen for a placeholder
    sticks, both ways."""

    bindings: dict[str, str] = field(default_factory=dict)
    bound_to: dict[str, str] = field(default_factory=dict)
    # What the first probe substitutes: bound values that are not placeholders themselves,
    # and a walk's fresh tokens.
    substitutes: dict[str, str] = field(default_factory=dict)
    session: str = ""
    login: int | None = None
    tokens: dict[str, str] = field(default_factory=dict)  # fresh token -> recorded one
    used: dict[int, int] = field(default_factory=dict)  # a walk's use count per recording

    def reset(self) -> None:
        self.bindings.clear()
        self.bound_to.clear()
        self.substitutes.clear()

    def bind(self, placeholder: str, actual: str) -> None:
        self.bindings[placeholder] = actual
        self.bound_to[actual] = placeholder
        if len(actual) >= 7 and placeholder_kind(actual) is None:
            self.substitutes[actual] = placeholder

    def bind_token(self, recorded: str, fresh: str) -> None:
        """``fresh``, handed to this walk's client, stands for the ``recorded`` token."""
        self.bind(recorded, fresh)
        self.tokens[fresh] = recorded
        self.substitutes[fresh] = recorded


def fresh_token(recorded: str, serial: int) -> str:
    """A made-up token for one walk, shaped like the ``recorded`` placeholder (same prefix,
    kind and length): its hex tail is a hash of the recorded token and the ``serial``, so a
    replay hands out the same tokens on every run."""
    head, _, tail = recorded.rpartition("_")
    digest = hashlib.blake2b(f"{serial}:{recorded}".encode(), digest_size=32).hexdigest()
    return f"{head}_{digest[:len(tail)]}"


def reissued(recorded: Recorded, fresh: dict[str, str]) -> Recorded:
    """A copy of ``recorded`` whose answer hands out ``fresh`` tokens (recorded -> fresh)
    instead of the recorded ones; the recording itself is left as it is."""
    response = recorded.interaction["response"]
    text = response["body"].get("string")
    for old, new in fresh.items():
        if isinstance(text, bytes):
            text = text.replace(old.encode(), new.encode())
        elif isinstance(text, str):
            text = text.replace(old, new)
    interaction = {**recorded.interaction,
                   "response": {**response, "body": {**response["body"], "string": text}}}
    return dataclasses.replace(recorded, interaction=interaction, cache={},
                               issued=tuple(fresh.values()))


@dataclass(frozen=True)
class LoginChoice:
    """Which session answered a login, by which rule, and which others could have."""

    request: str
    session: str
    rule: str
    others: tuple[str, ...]

    def message(self) -> str:
        could = ", ".join(self.others) if self.others else "none"
        return (f"{self.request}: login answered from session {self.session} "
                f"(rule: {self.rule}); other sessions that could have: {could}")


def conflicts(rv: RequestView, recorded: Recorded, state: SessionState) -> list[str]:
    """Why ``recorded``'s placeholders cannot take the request's values in this session."""
    problems = []
    for p, kind in recorded.masked.items():
        actual, placeholder = rv.fields[p][1], recorded.view.fields[p][1]
        if actual == placeholder:
            continue
        if not accepts(kind, actual):
            problems.append(f"{show(p)}: the recording holds {describe(kind)}; the "
                            "request's value is not of that kind")
        elif state.bindings.get(placeholder, actual) != actual or \
                state.bound_to.get(actual, placeholder) != placeholder:
            problems.append(f"{show(p)}: the recording's placeholder was bound to another "
                            "value earlier in this session")
    return problems


def redacted_credentials(rv: RequestView, pseudonymizer: Pseudonymizer | None
                         ) -> dict[Path, str]:
    """The request's credential fields as the redactor would have written them: a
    placeholder stands for itself (a client re-sending the recording), a real value needs the
    key; empty when one cannot be redacted (no key)."""
    out = {}
    for path, (_, value) in rv.fields.items():
        kind = FIELD_KINDS.get(normalise(str(path[-1])))
        if kind not in CREDENTIAL_KINDS or not isinstance(value, str) or not value:
            continue
        if placeholder_kind(value) is not None:
            out[path] = value
        elif pseudonymizer is None:
            return {}
        else:
            out[path] = pseudonymizer.pseudonym(kind, value)
    return out


def is_second_factor(rv: RequestView) -> bool:
    return any(p in rv.fields for p in SECOND_FACTOR_FIELDS)


def succeeded_plain(recorded: Recorded) -> bool:
    """A recorded login that issued an access token straight away (no second factor)."""
    status = recorded.interaction["response"]["status"]
    return int(status["code"]) == 200 and any("access_token" in t for t in recorded.issued)


def _first_session(pool: list[Recorded]) -> list[Recorded]:
    first = pool[0].cassette
    return [r for r in pool if r.cassette == first]


def choose_login(rv: RequestView, eligible: list[Recorded], credentials: dict[Path, str],
                 challenged: list[str]) -> tuple[list[Recorded], str]:
    """The recordings of the one session that answers a login (in recorded order), and the
    rule that chose it. ``eligible`` is every recorded login the request matches, in load
    order; ``challenged`` the sessions that answered an MFA challenge, latest last."""
    if credentials:
        same: list[Recorded] = [r for r in eligible if all(
            r.view.fields.get(p, (None, None))[1] == v for p, v in credentials.items())]
        if same:
            return _first_session(same), "credentials (equal to the recorded login's once " \
                                         "redacted with your key)"
    if is_second_factor(rv):
        for session in reversed(challenged):
            pool = [r for r in eligible if r.cassette == session]
            if pool:
                return pool, "second factor (the session that sent the challenge)"
        return _first_session(eligible), "second factor (first in load order)"
    plain = [r for r in eligible if succeeded_plain(r)]
    if plain:
        return _first_session(plain), "plain login (first in load order that succeeded " \
                                      "without a second factor)"
    return _first_session(eligible), "first recorded (first in load order)"


def issued_challenge(recorded: Recorded) -> bool:
    """A recorded login answered with a second-factor challenge (``mfa_options``)."""
    text: Any = recorded.interaction["response"]["body"].get("string") or ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return '"mfa_options":[' in text.replace(" ", "") and not recorded.issued
