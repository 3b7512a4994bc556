"""The redaction placeholders a cassette holds, and which real values each may stand for.

A recording holds ``0000A1B2C3D4`` where the phone sent a MAC, ``lvtx.REDACTED_access_token_
<16 hex>`` where it sent a token, and so on (captures/README.md). When replaying,
a request may carry any value *of the same kind* in that place: a real MAC for a MAC
placeholder, any token for a token placeholder. The kinds are the rows of :mod:`kinds`, the
same table the redactor writes placeholders from; this module is replay's fast view of it.
"""

from __future__ import annotations

from wyzeproto.redact.kinds import kind_of, row

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
        kind = kind_of(value)  # type: ignore[arg-type]
    if len(_KINDS) < 65536:  # values repeat (tokens, MACs); the memo stays bounded
        _KINDS[value] = kind  # type: ignore[index]
    return kind


def accepts(kind: str, value: object) -> bool:
    """Whether ``value`` (real or placeholder) may stand where a ``kind`` placeholder is."""
    if not isinstance(value, str) or not value:
        return False
    own = placeholder_kind(value)
    if own is not None:
        return own == kind
    found = row(kind)
    return found is not None and found[0].stands_for(found[1], value)


def describe(kind: str) -> str:
    """A reader's name for a kind, used in miss explanations (never the value)."""
    found = row(kind)
    if found is None:
        return f"a {kind} placeholder"
    return found[0].reader.format(found[1])
