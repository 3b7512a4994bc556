"""Secret linter for cassettes: anything in clear that the redactor would replace is a finding.

Usage: ``wyze-toolkit lint [PATH ...]`` (files or directories; default ``captures/``).
Each finding is printed as ``file::interaction N::location: what``. The linter runs the
redactor itself (:class:`wyzeproto.redact.walk.Redactor`, under a throwaway key) over each
interaction and reports every place where it changed something, so "the linter passes" and
"the redactor ran" say the same thing, and an unknown field holding a personal value is
caught exactly as the redactor would catch it. A value is never printed, not even inside a
location: an object key, header name or query name that is itself a secret is shown as its
kind (``<mac>``). A cassette written with redaction off carries a mark and fails on it alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from wyzeproto.cassette.files import find_cassettes, interaction_problem, load_cassette
from wyzeproto.redact.kinds import PLACEHOLDER, kind_of
from wyzeproto.redact.pseudonym import Pseudonymizer
from wyzeproto.redact.walk import Redactor

Finding = tuple[str, str]  # (location, what)

# Set on every interaction a capture or an import writes with redaction off.
UNREDACTED_HEADER = "X-Wyze-Toolkit-Unredacted"
UNREDACTED_WHAT = (
    "recorded with redaction off (X-Wyze-Toolkit-Unredacted): this cassette holds real "
    "values; keep it private, or capture again with redaction on"
)

_LABELS = {
    "email": "email address",
    "mac": "MAC address",
    "mac_colon": "MAC address",
    "mac_dash": "MAC address",
    "ip": "IP address outside the documentation ranges",
    "digits": "long number (an id, a phone number)",
    "uuid": "UUID (an install, key or request id)",
    "hex": "hex id, hash or signature",
    "p2p_id": "p2p id",
    "url": "URL of a personal resource or a signed URL",
    "token:password_hash": "password or password hash",
    "token:access_token": "access token",
    "token:refresh_token": "refresh token",
    "token:cookie": "cookie value",
    "token:value": "personal value under a field not known to be public",
    "token:token": "high-entropy token",
    "coordinate": "coordinates",
    "body": "unreadable body kept in clear",
}


def _redactor() -> Redactor:
    # A fresh one per interaction: the linter must judge each value by itself, never by a
    # placeholder some earlier interaction happened to issue for it.
    return Redactor(Pseudonymizer(b"wyze-toolkit lint: a throwaway key"))


def _kind(new: Any, old: Any) -> str:
    if isinstance(new, float) and new == 0.0:
        return "coordinate"
    if isinstance(new, (int, float)):
        return "digits"
    if isinstance(new, str):
        whole = kind_of(new)
        if whole is None:
            inside = [m.group() for m in PLACEHOLDER.finditer(new)
                      if not isinstance(old, str) or m.group() not in old]
            whole = kind_of(inside[0]) if inside else None
        if whole is not None:
            return whole.partition(":")[0] if whole.startswith(("hex", "mac")) else whole
        if new.startswith("[wyze-toolkit: body withheld"):
            return "body"
    return "token:value"


def _what(new: Any, old: Any) -> str:
    kind = _kind(new, old)
    label = _LABELS.get(kind) or kind.partition(":")[2].replace("_", " ") or kind
    size = f"{len(old)} chars" if isinstance(old, (str, bytes)) else type(old).__name__
    return f"{label} not redacted ({size})"


def _name(location: str, old: str, new: str) -> str:
    if old != new:
        return f"{location}[<{_kind(new, old).partition(':')[0]}>]"
    return f"{location}.{old}" if old.isidentifier() else f"{location}[{json.dumps(old)}]"


def _diff(old: Any, new: Any, location: str) -> Iterator[Finding]:
    if isinstance(old, dict) and isinstance(new, dict):
        for (k_old, v_old), (k_new, v_new) in zip(old.items(), new.items(), strict=False):
            where = _name(location, k_old, k_new)
            if k_old != k_new:
                yield where, f"{_what(k_new, k_old)} in an object key"
            yield from _diff(v_old, v_new, where)
    elif isinstance(old, list) and isinstance(new, list):
        for index, (a, b) in enumerate(zip(old, new, strict=False)):
            yield from _diff(a, b, f"{location}[{index}]")
    elif old != new or type(old) is not type(new):
        if isinstance(old, str) and isinstance(new, str) and old[:1] in "{[":
            inner_old, inner_new = _json(old), _json(new)
            if inner_old is not None and inner_new is not None:
                yield from _diff(inner_old, inner_new, location)
                return
        yield location, _what(new, old)


def _json(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text.lstrip("\ufeff"))
    except ValueError:
        return None


def _body(old: Any, new: Any, location: str) -> Iterator[Finding]:
    if old == new:
        return
    parsed_old, parsed_new = _json(old), _json(new)
    if parsed_old is not None and parsed_new is not None:
        yield from _diff(parsed_old, parsed_new, location + "$")
        return
    if isinstance(old, str) and isinstance(new, str) and "=" in old and " " not in old.strip():
        yield from _pairs(old, new, location)
        return
    yield location, _what(new, old)


def _pairs(old: str, new: str, location: str) -> Iterator[Finding]:
    pairs_old = parse_qsl(old, keep_blank_values=True)
    pairs_new = parse_qsl(new, keep_blank_values=True)
    if len(pairs_old) != len(pairs_new):
        yield location, _what(new, old)
        return
    for (k_old, v_old), (k_new, v_new) in zip(pairs_old, pairs_new, strict=False):
        where = f"{location}[{k_old}]" if k_old == k_new else f"{location}[<{_kind(k_new, k_old)}>]"
        if k_old != k_new:
            yield where, f"{_what(k_new, k_old)} in a parameter name"
        if v_old != v_new:
            yield where, _what(v_new, v_old)


def _uri(old: str, new: str, location: str) -> Iterator[Finding]:
    if old == new:
        return
    a, b = urlsplit(old), urlsplit(new)
    segments = zip(a.path.split("/"), b.path.split("/"), strict=False)
    for index, (s_old, s_new) in enumerate(segments):
        if s_old != s_new:
            yield f"{location}.path[{index}]", _what(s_new, s_old)
    if a.query != b.query:
        yield from _pairs(a.query, b.query, f"{location}.query")
    if a.fragment != b.fragment:
        yield f"{location}.fragment", _what(b.fragment, a.fragment)


def _headers(old: dict[str, list[str]], new: dict[str, list[str]],
             location: str) -> Iterator[Finding]:
    for (n_old, v_old), (n_new, v_new) in zip(old.items(), new.items(), strict=False):
        where = f"{location}.{n_old}" if n_old == n_new else f"{location}.<{_kind(n_new, n_old)}>"
        if n_old != n_new:
            yield where, f"{_what(n_new, n_old)} in a header name"
        if n_old.lower() == "content-length":
            continue  # follows the body: a redacted body has another length
        for a, b in zip(v_old, v_new, strict=False):
            if a != b:
                yield where, _what(b, a)


def shape_problem(interaction: Any) -> str | None:
    """What makes ``interaction`` not a VCR interaction the linter can read, or None (the
    cassette loader's own check: one definition of the shape for every reader)."""
    return interaction_problem(interaction)


def is_unredacted(interaction: dict[str, Any]) -> bool:
    return any(name.lower() == UNREDACTED_HEADER.lower()
               for side in ("request", "response")
               for name in interaction[side]["headers"])


def secret_findings(interaction: dict[str, Any]) -> list[Finding]:
    if is_unredacted(interaction):
        return [("request.headers", UNREDACTED_WHAT)]
    request, response = interaction["request"], interaction["response"]
    redacted = _redactor().interaction(interaction)
    r_req, r_resp = redacted["request"], redacted["response"]
    findings: list[Finding] = []
    findings += _uri(request["uri"], r_req["uri"], "request.uri")
    findings += _headers(request["headers"], r_req["headers"], "request.headers")
    findings += _body(request.get("body"), r_req["body"], "request.body")
    if response["status"].get("message") != r_resp["status"].get("message"):
        findings.append(("response.status.message",
                         _what(r_resp["status"]["message"], response["status"]["message"])))
    findings += _headers(response["headers"], r_resp["headers"], "response.headers")
    findings += _body(response["body"]["string"], r_resp["body"]["string"], "response.body")
    return findings


def check_text(text: str, location: str, key: str = "") -> Iterator[Finding]:
    """Findings for one string under a field name (``key``), as the redactor judges it."""
    new = _redactor().field(key, text) if key else _redactor().text(text)
    if new != text:
        yield location, _what(new, text)


def lint_paths(paths: list[str]) -> tuple[list[str], int]:
    """Return (finding lines, number of interactions checked). Raises CassetteError."""
    lines: list[str] = []
    checked = 0
    for path in find_cassettes(paths):
        cassette = load_cassette(path)
        for index, interaction in enumerate(cassette.interactions):
            checked += 1
            for location, what in dict.fromkeys(secret_findings(interaction)):
                lines.append(f"{path}::interaction {index}::{location}: {what}")
    return lines, checked
