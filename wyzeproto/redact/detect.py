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
from wyzeproto.redact.kinds import EMAIL, PLACEHOLDER, is_placeholder

_RUN = r"[A-Za-z0-9+/=_\-]{20,}"
_MAC = (
    r"(?<![0-9A-Za-z])(?:[0-9A-F]{12}|[0-9A-Fa-f]{2}(?P<sep>[:-])(?:[0-9A-Fa-f]{2}(?P=sep)){4}"
    r"[0-9A-Fa-f]{2})(?![0-9A-Za-z])"
)
# One pass over free text: an email, a MAC, or a run of token characters (tried in order).
_PLAIN = re.compile(rf"(?P<email>{EMAIL.pattern})|(?P<mac>{_MAC})|(?P<run>{_RUN})")
# Without the email branch: trying it at every position of text that has no '@' is most of
# the cost of scanning a URL, and it cannot match there.
_PLAIN_NO_EMAIL = re.compile(rf"(?P<mac>{_MAC})|(?P<run>{_RUN})")
_CANDIDATE = re.compile(rf"://|@|{_MAC}|{_RUN}")
URL = re.compile(r"https?://[^\s\"'<>]+")
_URL_PIECE = re.compile(r"[^/?&=#;]+")
_SIGNED_QUERY = re.compile(
    r"[?&](?:X-Amz-Signature|X-Amz-Credential|Signature|Key-Pair-Id|Policy|sig|token|"
    r"access_token|auth|Expires)=",
    re.IGNORECASE,
)
_HEXISH = re.compile(r"[0-9a-fA-F-]+")
_HAS_DIGIT = re.compile(r"[0-9]")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_PLACEHOLDER_INSIDE = re.compile(r"REDACTED_[a-z0-9_]+_[0-9a-f]{16}")

WHAT = {
    "email": "email address outside example.invalid",
    "mac": "MAC address not redacted",
    "token": "high-entropy token not redacted",
    "signed_url": "signed URL not redacted",
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
    threshold = 3.0 if _HEXISH.fullmatch(run) else 3.5
    return entropy(run) >= threshold


def is_signed_url(url: str) -> bool:
    return not is_placeholder(url) and bool(_SIGNED_QUERY.search(url))


def _plain_spans(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    if end - start < 12 and "@" not in text[start:end]:
        return  # shorter than a MAC, a token run or an email with a domain
    pattern = _PLAIN if "@" in text[start:end] else _PLAIN_NO_EMAIL
    for match in pattern.finditer(text, start, end):
        kind, value = match.lastgroup, match.group()
        if kind == "email":
            if not value.lower().endswith("@example.invalid"):
                yield "email", match.start(), match.end()
        elif kind == "mac":
            if not PLACEHOLDER.fullmatch(value):
                yield "mac", match.start(), match.end()
        elif is_high_entropy_token(value):
            yield "token", match.start(), match.end()


def spans(text: str) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of every secret-looking piece of ``text``, in order."""
    if "://" not in text:
        yield from _plain_spans(text, 0, len(text))
        return
    pos = 0
    for url in URL.finditer(text):
        yield from _plain_spans(text, pos, url.start())
        if is_signed_url(url.group()):
            yield "signed_url", url.start(), url.end()
        elif not is_placeholder(url.group()):
            for piece in _URL_PIECE.finditer(text, url.start(), url.end()):
                yield from _plain_spans(text, piece.start(), piece.end())
        pos = url.end()
    yield from _plain_spans(text, pos, len(text))


def scrub_text(text: str, replace: Callable[[str, str], str]) -> str:
    """Replace every detectable secret in free text via ``replace(kind, value)``."""
    if len(text) < 12 and "@" not in text:  # too short for a MAC, token or URL: most strings
        return text
    if not _CANDIDATE.search(text) or is_placeholder(text):  # one scan for the common case
        return text
    out: list[str] = []
    pos = 0
    for kind, start, end in spans(text):
        out.append(text[pos:start])
        out.append(replace(kind, text[start:end]))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)
