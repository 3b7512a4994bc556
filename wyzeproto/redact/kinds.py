"""The one table of placeholder kinds: how each is made, what it looks like, what it hides.

Every placeholder the redactor can write is one row of :data:`KINDS`: the rule by which the
redactor picks it for a value (``takes``), the generator that writes it (``make``), the
pattern of everything that generator can write (``pattern``) and the real values it may
stand for on replay (``stands_for``). :mod:`pseudonym` writes placeholders from this table,
:func:`is_placeholder` recognises them by it and :mod:`placeholders` tells replay which real
value may take a placeholder's place by it, so the three cannot drift apart again (they once
lived in two tables, and a lower-case MAC got no kind on replay).

A kind is named by its family (``"mac"``, ``"uuid"``...) or, where the family has a
parameter, ``family:parameter``: ``"hex:40"`` (the length), ``"token:access_token"`` (the
field kind the token was found under).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Digest(Protocol):
    """The keyed HMAC the placeholders are made from (:class:`pseudonym.KeyedDigest`)."""

    def __call__(self, label: str, value: str) -> str:
        """(label, value) -> the HMAC as 64 hex digits."""

    def stretch(self, label: str, value: str, length: int,
                form: Callable[[str], str] = str) -> str:
        """At least ``length`` characters of digest chained from (label, value)."""

# Real values, as the redactor sees them and replay accepts them.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
MAC_HEX = re.compile(r"[0-9A-Fa-f]{12}")
MAC_SEP = re.compile(r"[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}")
UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
HEX = re.compile(r"[0-9A-Fa-f]{16,}")
P2P_ID = re.compile(r"[A-Z0-9]{20}")
TOKEN_PREFIX = re.compile(r"([A-Za-z]{2,8}\.)(?=.)")
# Token prefixes (``lvtx.``) are kept only for these: elsewhere a dot may be in the secret.
PREFIXED_TOKEN_KINDS = frozenset({"access_token", "refresh_token"})
# How the cloud's access tokens look (wyze-protocol-facts.md, login response): one found by
# this look alone is given the placeholder its ``access_token`` field gives it, in any order.
ACCESS_TOKEN_LOOK = "lvtx."

_DOC_NETS = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
# A cheap gate before the exact check: this runs on every string a capture sees.
_DOC_IP_PREFIX = re.compile(r"(?:192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|2001:0?db8:)", re.I)


def is_documentation_ip(text: str) -> bool:
    if not _DOC_IP_PREFIX.match(text):
        return False
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(address in net for net in _DOC_NETS if net.version == address.version)


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _same_case(template: str, text: str) -> str:
    return text.lower() if template == template.lower() else text.upper()


def _either_case(hex_pattern: str) -> str:
    """``hex_pattern`` (written with ``X`` for a hex digit) all upper or all lower case,
    as :func:`_same_case` writes it."""
    return f"(?:{hex_pattern.replace('X', '[0-9A-F]')}|{hex_pattern.replace('X', '[0-9a-f]')})"


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Kind:
    family: str
    pattern: str  # regex source matching every placeholder ``make`` can write
    takes: Callable[[str, str], bool]  # (field kind, value): the redactor writes this kind
    make: Callable[[Digest, str, str], str]  # (digest, field kind, value) -> placeholder
    stands_for: Callable[[str, str], bool]  # (parameter, real value): may replay in its place
    reader: str  # how a miss explanation names it; ``{}`` is the parameter
    parameter: Callable[[re.Match[str]], str] | None = None  # for ``family:parameter`` names
    recognise: Callable[[str], bool] | None = None  # instead of ``pattern``: address ranges


def _make_email(digest: Digest, kind: str, value: str) -> str:
    return f"user-{digest('email', value.lower())[:10]}@example.invalid"


def _make_mac(digest: Digest, kind: str, value: str) -> str:
    return _same_case(value, "0000" + digest("mac", value.upper())[:8])


def _separated_mac(family: str, sep: str) -> Kind:
    def make(digest: Digest, kind: str, value: str) -> str:
        # Same digest as the flat form: one MAC gets one placeholder however it is written.
        flat = "0000" + digest("mac", value.replace(sep, "").upper())[:8]
        return _same_case(value, sep.join(flat[i : i + 2] for i in range(0, 12, 2)))

    def shaped(value: str) -> bool:
        match = MAC_SEP.fullmatch(value)
        return bool(match) and match.group(1) == sep  # type: ignore[union-attr]

    return Kind(
        family=family,
        pattern=_either_case(f"00{sep}00(?:{sep}XX){{4}}"),
        takes=lambda kind, value: shaped(value),
        make=make,
        stands_for=lambda parameter, value: shaped(value),
        reader=f"a MAC placeholder (with '{sep}')",
    )


def _make_uuid(digest: Digest, kind: str, value: str) -> str:
    return _same_case(value, "00000000-0000-4000-8000-" + digest(kind, value.lower())[:12])


def _is_digits(value: str) -> bool:
    return len(value) >= 7 and value.isascii() and value.isdigit()


def _make_digits(digest: Digest, kind: str, value: str) -> str:
    # One digest per number whatever field it was found in: a user id as a JSON number,
    # as a string and in a URL path is one placeholder.
    digits = digest.stretch("digits", value, len(value), _decimal)
    head = "999" + digits[: len(value) - 5]
    return head + _check_digits(head)


def _decimal(hex_digits: str) -> str:
    return str(int(hex_digits, 16))


def _check_digits(head: str) -> str:
    # Keyless: anyone can tell a number placeholder from a number, nobody what it stands for.
    return f"{int(hashlib.sha256(head.encode('ascii')).hexdigest()[:8], 16) % 100:02d}"


def is_digits_placeholder(value: str) -> bool:
    """'999', digits, and two check digits over the rest. Real numbers begin with 999 too
    (one in a thousand phone numbers and ids): without the check digits they would be taken for
    placeholders and kept in clear; with them, one in a hundred thousand."""
    return (_is_digits(value) and value.startswith("999")
            and value[-2:] == _check_digits(value[:-2]))


def _make_hex(digest: Digest, kind: str, value: str) -> str:
    d = digest.stretch(kind, value.lower(), len(value))
    return _same_case(value, "0" * 8 + d[: len(value) - 8])


def _make_ip(digest: Digest, kind: str, value: str) -> str:
    d = int(digest("ip", value)[:8], 16)
    if ":" in value:
        return f"2001:db8::{d >> 16:x}:{d & 0xFFFF:x}"
    net = ("192.0.2", "198.51.100", "203.0.113")[d % 3]
    return f"{net}.{(d >> 8) % 254 + 1}"


def _make_p2p_id(digest: Digest, kind: str, value: str) -> str:
    return "ZZZZ" + digest(kind, value)[:16].upper()


def _make_url(digest: Digest, kind: str, value: str) -> str:
    return f"https://redacted.example.invalid/{kind}/{digest(kind, value)[:16]}"


# Free text (a sentence, a nickname with spaces) keeps its shape: every letter becomes x or z
# in its own case, every digit 7 or 9, chosen by the keyed digest; spaces and punctuation stay,
# so the length, the character classes and the word breaks survive for inference and drift.
# A text already made only of those letters and digits carries nothing but its shape, so it is
# its own pseudonym (redaction stays idempotent).
_MASK_CHARS = frozenset("xzXZ79")
# What a masked sentence looks like. Only from the start of a run, and without giving back:
# the plain "[xzXZ79]+(?: [xzXZ79]+)+" tried every start and every length of a long run of
# 'x' with no space after it, so a 50 kB one took 20 seconds to redact.
TEXT_MASK = re.compile(r"(?<![xzXZ79])[xzXZ79]++(?: [xzXZ79]++)+")


def is_masked(text: str) -> bool:
    return all(c in _MASK_CHARS for c in text if c.isalnum())


def make_text(digest: Digest, kind: str, value: str) -> str:
    if is_masked(value):
        return value
    bits = digest.stretch("text", value, len(value))  # the value alone: any field's
    out = []
    for c, bit in zip(value, bits, strict=False):
        odd = int(bit, 16) & 1
        if c.isdigit():
            out.append("9" if odd else "7")
        elif c.isalpha():
            out.append(("Z" if odd else "X") if c.isupper() else ("z" if odd else "x"))
        else:
            out.append(c)
    return "".join(out)


def make_token(digest: Digest, kind: str, value: str) -> str:
    prefix = ""
    match = TOKEN_PREFIX.match(value)
    if match and kind in PREFIXED_TOKEN_KINDS:
        prefix = match.group(1)
    return f"{prefix}REDACTED_{kind}_{digest(kind, value)[:16]}"


# In the order the redactor tries them: the first row that takes a value writes its
# placeholder. The patterns are disjoint, so recognising does not depend on the order.
KINDS: tuple[Kind, ...] = (
    Kind(
        family="email",
        pattern=r"user-[0-9a-f]{10}@example\.invalid",
        takes=lambda kind, value: bool(EMAIL.fullmatch(value)),
        make=_make_email,
        stands_for=lambda parameter, value: bool(EMAIL.fullmatch(value)),
        reader="an email placeholder",
    ),
    Kind(
        family="digits",
        pattern="",
        takes=lambda kind, value: _is_digits(value),
        make=_make_digits,
        stands_for=lambda parameter, value: _is_digits(value),
        reader="a number placeholder",
        recognise=is_digits_placeholder,  # a pattern cannot check the check digits
    ),
    Kind(
        family="mac",
        pattern=_either_case("0000X{8}"),
        takes=lambda kind, value: bool(MAC_HEX.fullmatch(value)),
        make=_make_mac,
        stands_for=lambda parameter, value: bool(MAC_HEX.fullmatch(value)),
        reader="a MAC placeholder",
    ),
    _separated_mac("mac_colon", ":"),
    _separated_mac("mac_dash", "-"),
    Kind(
        family="uuid",
        pattern=_either_case("00000000-0000-4000-8000-X{12}"),
        takes=lambda kind, value: bool(UUID.fullmatch(value)),
        make=_make_uuid,
        stands_for=lambda parameter, value: bool(UUID.fullmatch(value)),
        reader="a UUID placeholder",
    ),
    Kind(
        family="hex",
        pattern=_either_case("0{8}X{8,}"),
        takes=lambda kind, value: bool(HEX.fullmatch(value)),
        make=_make_hex,
        stands_for=lambda parameter, value: (
            str(len(value)) == parameter and bool(HEX.fullmatch(value))
        ),
        reader="a {}-hex placeholder",
        parameter=lambda match: str(len(match.group())),
    ),
    Kind(
        family="ip",
        pattern="",
        takes=lambda kind, value: kind == "ip" or is_ip(value),
        make=_make_ip,
        stands_for=lambda parameter, value: is_ip(value),
        reader="an IP placeholder",
        recognise=is_documentation_ip,  # nothing real lives in the documentation ranges
    ),
    Kind(
        family="p2p_id",
        pattern=r"ZZZZ[0-9A-F]{16}",
        takes=lambda kind, value: kind == "p2p_id" and bool(P2P_ID.fullmatch(value)),
        make=_make_p2p_id,
        stands_for=lambda parameter, value: bool(P2P_ID.fullmatch(value)),
        reader="a p2p_id placeholder",
    ),
    Kind(
        family="url",
        pattern=r"https://redacted\.example\.invalid/[a-z0-9_]+/[0-9a-f]{16}",
        takes=lambda kind, value: _is_url(value),
        make=_make_url,
        stands_for=lambda parameter, value: _is_url(value),
        reader="a signed-URL placeholder",
    ),
    Kind(
        family="text",
        pattern=TEXT_MASK.pattern,
        takes=lambda kind, value: kind == "text",
        make=make_text,
        stands_for=lambda parameter, value: bool(value.strip()),
        reader="a free-text placeholder",
    ),
    Kind(
        family="token",
        pattern=r"(?:[A-Za-z]{2,8}\.)?REDACTED_[a-z0-9_]+_[0-9a-f]{16}",
        takes=lambda kind, value: True,  # opaque: whatever no other row took
        make=make_token,
        stands_for=lambda parameter, value: True,
        reader="a {} placeholder",
        parameter=lambda match: match.group().partition("REDACTED_")[2][:-17],  # -"_<16 hex>"
    ),
)
BY_FAMILY: dict[str, Kind] = {kind.family: kind for kind in KINDS}

# One pass recognises every patterned kind. Naming each row's group costs a third more per
# string, so is_placeholder (every string a capture sees) uses the unnamed form and kind_of
# (memoised by placeholders.py) the named one, where ``lastgroup`` names the row that matched
# (each row's group is the outermost, so it closes last).
PLACEHOLDER = re.compile("|".join(f"(?:{k.pattern})" for k in KINDS if k.pattern))
_NAMED = re.compile("|".join(f"(?P<{k.family}>{k.pattern})" for k in KINDS if k.pattern))
_RECOGNISERS = [(k, k.recognise) for k in KINDS if k.recognise is not None]
_RECOGNISE = [recognise for _, recognise in _RECOGNISERS]


def is_placeholder(value: str) -> bool:
    if PLACEHOLDER.fullmatch(value) is not None:
        return True
    for recognise in _RECOGNISE:  # noqa: SIM110 - any() costs twice this; it runs on every string
        if recognise(value):
            return True
    return False


def kind_of(value: str) -> str | None:
    """The kind of placeholder ``value`` is (``"mac"``, ``"hex:40"``...), or None."""
    match = _NAMED.fullmatch(value)
    if match is not None:
        kind = BY_FAMILY[match.lastgroup]  # type: ignore[index]
        return kind.family if kind.parameter is None else f"{kind.family}:{kind.parameter(match)}"
    for kind, recognise in _RECOGNISERS:
        if recognise(value):
            return kind.family
    return None


def row(kind: str) -> tuple[Kind, str] | None:
    """The table row of a kind name, and its parameter (``""`` if it has none)."""
    family, _, parameter = kind.partition(":")
    found = BY_FAMILY.get(family)
    if found is None or (found.parameter is None) != (not parameter):
        return None
    return found, parameter
