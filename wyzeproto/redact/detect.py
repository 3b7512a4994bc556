"""Recognising secrets by their look: shared by the redactor and the secret linter.

The redactor uses these to catch what no field name announced (a token in an unknown header,
an email in free text); the linter uses the same :func:`spans` to fail a cassette that still
holds one. Keeping both on one definition means "the linter passes" and "the redactor ran"
say the same thing.

URLs are read piece by piece (path segments, query names and values), because '/' is a
token character in base64 but a URL path is not a token; a URL whose query carries a
signature is one secret as a whole.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator

from wyzeproto.constants import PUBLIC_VALUES
from wyzeproto.redact.kinds import ACCESS_TOKEN_LOOK, EMAIL, PLACEHOLDER, UUID, is_placeholder

_RUN = r"[A-Za-z0-9+/=_\-]{20,}"
_MAC = (
    r"(?<![0-9A-Za-z])(?:[0-9A-F]{12}|[0-9a-f]{12}|[0-9A-Fa-f]{2}(?P<sep>[:-])"
    r"(?:[0-9A-Fa-f]{2}(?P=sep)){4}"
    r"[0-9A-Fa-f]{2})(?![0-9A-Za-z])"
)
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"(?<![0-9.]){_OCTET}(?:\.{_OCTET}){{3}}(?![0-9.])"
# A number long enough to be an id or a phone number (epoch times are told apart below).
_DIGITS = r"(?<![0-9A-Za-z.])[0-9]{7,}(?![0-9A-Za-z.])"
# One pass over free text: an email, a MAC, an IPv4 address, a long number, or a run of token
# characters (tried in order).
_UUID = rf"(?<![0-9A-Za-z]){UUID.pattern}(?![0-9A-Za-z])"
_PLAIN = re.compile(
    rf"(?P<email>{EMAIL.pattern})|(?P<uuid>{_UUID})|(?P<mac>{_MAC})|(?P<ip>{_IPV4})"
    rf"|(?P<digits>{_DIGITS})|(?P<run>{_RUN})"
)
# Without the email branch: trying it at every position of text that has no '@' is most of
# the cost of scanning a URL, and it cannot match there.
_PLAIN_NO_EMAIL = re.compile(
    rf"(?P<uuid>{_UUID})|(?P<mac>{_MAC})|(?P<ip>{_IPV4})|(?P<digits>{_DIGITS})|(?P<run>{_RUN})"
)
# Inside a run of token characters that is not a token ('X-Device-<id>', 'JA_RO2_<MAC>').
_INNER = re.compile(rf"(?P<mac>{_MAC})|(?P<ip>{_IPV4})|(?P<digits>{_DIGITS})")
_INNER_SEPARATORS = re.compile(r"[_\-+/=]")
_UUID_RE = re.compile(_UUID)
_CANDIDATE = re.compile(rf"://|@|{_MAC}|[0-9]\.[0-9]|[0-9]{{7}}|{_RUN}")
_EPOCH = re.compile(r"1[0-9]{9}|1[0-9]{12}")
_KEPT_IPS = frozenset({"127.0.0.1", "0.0.0.0", "255.255.255.255", "255.255.255.0"})
URL = re.compile(r"https?://[^\s\"'<>]+")
_URL_PIECE = re.compile(r"[^/?&=#;]+")
_SIGNED_QUERY = re.compile(
    r"[?&](?:X-Amz-Signature|X-Amz-Credential|Signature|Key-Pair-Id|Policy|sig|token|"
    r"access_token|auth|Expires)=",
    re.IGNORECASE,
)
_HEXISH = re.compile(r"[0-9a-fA-F-]+")
_CLASS_RUNS = re.compile(r"[0-9]+|[A-Za-z]+")
_BEFORE_PREFIX = re.compile(r"[A-Za-z0-9.]")  # 'xlvtx.' or 'a.lvtx.' is no token prefix
_HAS_DIGIT = re.compile(r"[0-9]")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_PLACEHOLDER_INSIDE = re.compile(r"REDACTED_[a-z0-9_]+_[0-9a-f]{16}")

WHAT = {
    "email": "email address outside example.invalid",
    "mac": "MAC address not redacted",
    "token": "high-entropy token not redacted",
    "signed_url": "signed URL not redacted",
    "ip": "IP address outside the documentation ranges",
    "digits": "long number (an id or a phone number) not redacted",
    "uuid": "UUID not redacted",
}


def entropy(text: str) -> float:
    n = len(text)
    return math.log2(n) - sum(c * math.log2(c) for c in Counter(text).values()) / n


def is_high_entropy_token(run: str) -> bool:
    """A run that looks like a key, token, hash or signature rather than words."""
    if run in PUBLIC_VALUES or is_placeholder(run) or _PLACEHOLDER_INSIDE.search(run):
        return False
    if not _HAS_DIGIT.search(run) or not _HAS_LETTER.search(run):
        return False
    if "___" in run:  # app_ver style 'com.hualai.WyzeCam___2.18.43' pieces
        return False
    pieces = _INNER_SEPARATORS.split(run)
    if len(pieces) > 1 and any(is_placeholder(piece) for piece in pieces):
        # 'X-Device-<placeholder>': what was redacted inside it must not make it a token
        return any(len(p) >= 20 and is_high_entropy_token(p) for p in pieces
                   if not is_placeholder(p))
    if _id_like(run):
        return True
    threshold = 3.0 if _HEXISH.fullmatch(run) else 3.5
    return entropy(run) >= threshold


def _id_like(run: str) -> bool:
    """An id whose letters repeat too much for the entropy test: 12 or more letters and
    digits, hex ('000123478B0A0000000000569CDE') or switching between letters and digits four
    times or more ('a7Kd93Lq0ZpX'); 'deviceModel12' and 'WYZEC1JFUS' are not."""
    if len(run) < 12 or not run.isascii() or not run.isalnum():
        return False
    return _HEXISH.fullmatch(run) is not None or len(_CLASS_RUNS.findall(run)) >= 4


def _in_placeholder(text: str, start: int, end: int) -> bool:
    for found in _PLACEHOLDER_INSIDE.finditer(text, max(0, start - 64), min(len(text), end + 1)):
        if found.start() <= start and end <= found.end():
            return True
    return False


def is_signed_url(url: str) -> bool:
    return not is_placeholder(url) and bool(_SIGNED_QUERY.search(url))


def _plain_spans(
    text: str, start: int, end: int, ips: bool = True
) -> Iterator[tuple[str, int, int]]:
    if end - start < 7 and "@" not in text[start:end]:
        return  # shorter than an address, a long number or an email with a domain
    pattern = _PLAIN if "@" in text[start:end] else _PLAIN_NO_EMAIL
    for match in pattern.finditer(text, start, end):
        kind, value = match.lastgroup, match.group()
        if kind == "email":
            if not value.lower().endswith("@example.invalid"):
                yield "email", match.start(), match.end()
        elif kind == "mac" or kind == "uuid":
            if not PLACEHOLDER.fullmatch(value):
                yield kind, match.start(), match.end()
        elif kind == "ip":
            if ips and value not in _KEPT_IPS and not is_placeholder(value):
                yield "ip", match.start(), match.end()
        elif kind == "digits":
            if (not _EPOCH.fullmatch(value) and not is_placeholder(value)
                    and not _in_placeholder(text, match.start(), match.end())):
                # (a placeholder's digest can be all decimal digits: 'REDACTED_token_80852...')
                yield "digits", match.start(), match.end()
        elif is_high_entropy_token(value):
            # 'lvtx.<run>' is one token: the prefix goes with it, so that the value found
            # here is the one its access_token field holds (one value, one placeholder).
            at = match.start() - len(ACCESS_TOKEN_LOOK)
            whole = at >= start and text.startswith(ACCESS_TOKEN_LOOK, at) and (
                at == 0 or not _BEFORE_PREFIX.match(text, at - 1))
            yield "token", at if whole else match.start(), match.end()
        elif _INNER_SEPARATORS.search(value):
            yield from _inner_spans(text, match.start(), match.end(), ips)


def _inner_spans(text: str, start: int, end: int, ips: bool) -> Iterator[tuple[str, int, int]]:
    # A UUID spans separators ('X-Device-<uuid>'): found first, the gaps judged as below.
    pos = start
    for match in _UUID_RE.finditer(text, start, end):
        yield from _piece_spans(text, pos, match.start(), ips)
        if not PLACEHOLDER.fullmatch(match.group()):  # a placeholder stays whole
            yield "uuid", match.start(), match.end()
        pos = match.end()
    yield from _piece_spans(text, pos, end, ips)


def _piece_spans(text: str, start: int, end: int, ips: bool) -> Iterator[tuple[str, int, int]]:
    # The pieces between separators, each judged alone (a token in them is the whole run's).
    for piece in re.finditer(r"[^_\-+/=]+", text[start:end]):
        a, b = start + piece.start(), start + piece.end()
        for match in _INNER.finditer(text, a, b):
            kind, value = match.lastgroup, match.group()
            if kind == "mac" and not PLACEHOLDER.fullmatch(value):
                yield "mac", match.start(), match.end()
            elif kind == "ip" and ips and value not in _KEPT_IPS and not is_placeholder(value):
                yield "ip", match.start(), match.end()
            elif (kind == "digits" and not _EPOCH.fullmatch(value)
                  and not is_placeholder(value)
                  and not _in_placeholder(text, match.start(), match.end())):
                yield "digits", match.start(), match.end()


def spans(text: str, ips: bool = True) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of every secret-looking piece of ``text``, in order.

    ``ips=False`` where the text is a version (``appversion: 3.1.6.1`` is not an address).
    """
    if "://" not in text:
        yield from _plain_spans(text, 0, len(text), ips)
        return
    pos = 0
    for url in URL.finditer(text):
        yield from _plain_spans(text, pos, url.start(), ips)
        if is_signed_url(url.group()):
            yield "signed_url", url.start(), url.end()
        elif not is_placeholder(url.group()):
            for piece in _URL_PIECE.finditer(text, url.start(), url.end()):
                yield from _plain_spans(text, piece.start(), piece.end(), ips)
        pos = url.end()
    yield from _plain_spans(text, pos, len(text), ips)


def scrub_text(text: str, replace: Callable[[str, str], str], ips: bool = True) -> str:
    """Replace every detectable secret in free text via ``replace(kind, value)``."""
    if len(text) < 7 and "@" not in text:  # too short for an address, a number or a token
        return text
    if not _CANDIDATE.search(text) or is_placeholder(text):  # one scan for the common case
        return text
    out: list[str] = []
    pos = 0
    for kind, start, end in spans(text, ips):
        out.append(text[pos:start])
        out.append(replace(kind, text[start:end]))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)
