"""The redaction placeholders a cassette holds, and which real values each may stand for.

A recording holds ``0000A1B2C3D4`` where the phone sent a MAC, ``lvtx.REDACTED_access_token_
<16 hex>`` where it sent a token, and so on (captures/README.md). When replaying,
a request may carry any value *of the same kind* in that place: a real MAC for a MAC
placeholder, any token for a token placeholder.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from wyzeproto.redact.pseudonym import is_documentation_ip

_PLACEHOLDERS: list[tuple[str, re.Pattern[str]]] = [
    ("mac", re.compile(r"0000[0-9A-F]{8}")),
    ("uuid", re.compile(r"00000000-0000-4000-8000-[0-9a-f]{12}")),
    ("hex32", re.compile(r"00000000[0-9a-f]{24}")),
    ("email", re.compile(r"user-[0-9a-f]{10}@example\.invalid")),
    ("p2p_id", re.compile(r"ZZZZ[0-9A-F]{16}")),
    ("url", re.compile(r"https://redacted\.example\.invalid/[A-Za-z0-9_.-]+/[0-9a-f]{16}")),
]
_TOKEN = re.compile(r".*REDACTED_([A-Za-z0-9_]+?)_[0-9a-f]{16}")


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


_is_doc_ip = is_documentation_ip


_REAL: dict[str, Callable[[str], object]] = {
    "mac": re.compile(r"[0-9A-Fa-f]{12}").fullmatch,
    "uuid": re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}").fullmatch,
    "hex32": re.compile(r"[0-9a-fA-F]{32}").fullmatch,
    "email": re.compile(r"[^@\s]+@[^@\s]+").fullmatch,
    "p2p_id": re.compile(r"[0-9A-Z]{20}").fullmatch,
    "url": re.compile(r"https?://\S+").fullmatch,
    "ip": _is_ip,
}


_KINDS: dict[str, str | None] = {}


def known_kinds() -> dict[str, str | None]:
    """The memo behind :func:`placeholder_kind` (value -> kind or None), for hot loops that
    look values up directly; a value missing from it has not been classified yet."""
    return _KINDS


def placeholder_kind(value: object) -> str | None:
    """The kind of placeholder ``value`` is (``"mac"``, ``"token:access_token"``...), or None."""
    if value.__class__ is not str or len(value) < 7:  # type: ignore[arg-type]
        return None
    try:
        return _KINDS[value]  # type: ignore[index]
    except KeyError:
        kind = _classify(value)  # type: ignore[arg-type]
    if len(_KINDS) < 65536:  # values repeat (tokens, MACs); the memo stays bounded
        _KINDS[value] = kind  # type: ignore[index]
    return kind


def _classify(value: str) -> str | None:
    token = _TOKEN.fullmatch(value)
    if token:
        return f"token:{token.group(1)}"
    for kind, pattern in _PLACEHOLDERS:
        if pattern.fullmatch(value):
            return kind
    if _is_doc_ip(value):
        return "ip"
    return None


def accepts(kind: str, value: object) -> bool:
    """Whether ``value`` (real or placeholder) may stand where a ``kind`` placeholder is."""
    if not isinstance(value, str) or not value:
        return False
    own = placeholder_kind(value)
    if own is not None:
        return own == kind
    if kind.startswith("token:"):
        return True  # opaque: any non-empty string
    check = _REAL.get(kind)
    return bool(check and check(value))


def describe(kind: str) -> str:
    """A reader's name for a kind, used in miss explanations (never the value)."""
    if kind.startswith("token:"):
        return f"a {kind[6:]} placeholder"
    return {"mac": "a MAC placeholder", "uuid": "a UUID placeholder",
            "hex32": "a 32-hex placeholder", "email": "an email placeholder",
            "p2p_id": "a p2p_id placeholder", "url": "a signed-URL placeholder",
            "ip": "an IP placeholder"}.get(kind, f"a {kind} placeholder")
