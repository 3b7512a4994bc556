"""Recognising secrets by their look: shared by the redactor and the secret linter.

The redactor uses these to catch what no field name announced (a token in an unknown header,
an email in free text); the linter uses the same definitions to fail a cassette that still
holds one. Keeping both on one definition means "the linter passes" and "the redactor ran"
say the same thing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator

from wyzeproto.constants import PUBLIC_VALUES
from wyzeproto.redact.pseudonym import EMAIL, PLACEHOLDER, is_placeholder

# Runs of token characters; '.' splits (hostnames, versions), so 'lvtx.<secret>' yields the
# secret part on its own.
TOKEN_RUN = re.compile(r"[A-Za-z0-9+/=_\-]{20,}")
MAC_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9A-F]{12}|[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2})"
    r"(?![0-9A-Za-z])"
)
EMAIL_IN_TEXT = re.compile(EMAIL.pattern)
SIGNED_URL = re.compile(r"https?://[^\s\"'<>]+")
_SIGNED_QUERY = re.compile(
    r"[?&](?:X-Amz-Signature|X-Amz-Credential|Signature|Key-Pair-Id|Policy|sig|token|"
    r"access_token|auth|Expires)=",
    re.IGNORECASE,
)
_HEXISH = re.compile(r"[0-9a-fA-F-]+")
_PLACEHOLDER_INSIDE = re.compile(r"REDACTED_[a-z0-9_]+_[0-9a-f]{16}")


def entropy(text: str) -> float:
    counts = Counter(text)
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def is_high_entropy_token(run: str) -> bool:
    """A run that looks like a key, token, hash or signature rather than words."""
    if run in PUBLIC_VALUES or is_placeholder(run) or _PLACEHOLDER_INSIDE.search(run):
        return False
    if run.isdigit() or not any(c.isdigit() for c in run) or not any(c.isalpha() for c in run):
        return False
    if "___" in run:  # app_ver style 'com.hualai.WyzeCam___2.18.43' pieces
        return False
    threshold = 3.0 if _HEXISH.fullmatch(run) else 3.5
    return entropy(run) >= threshold


def high_entropy_runs(text: str) -> Iterator[re.Match[str]]:
    for match in TOKEN_RUN.finditer(text):
        if is_high_entropy_token(match.group()):
            yield match


def is_signed_url(url: str) -> bool:
    return not is_placeholder(url) and bool(_SIGNED_QUERY.search(url))


def emails(text: str) -> Iterator[re.Match[str]]:
    for match in EMAIL_IN_TEXT.finditer(text):
        if not match.group().lower().endswith("@example.invalid"):
            yield match


def macs(text: str) -> Iterator[re.Match[str]]:
    for match in MAC_IN_TEXT.finditer(text):
        if not PLACEHOLDER.fullmatch(match.group()):
            yield match


def scrub_text(text: str, replace: Callable[[str, str], str]) -> str:
    """Replace every detectable secret in free text via ``replace(kind, value)``."""
    if is_placeholder(text):
        return text
    if "://" in text:
        text = SIGNED_URL.sub(
            lambda m: replace("signed_url", m.group()) if is_signed_url(m.group()) else m.group(),
            text,
        )
    if "@" in text:
        text = EMAIL_IN_TEXT.sub(
            lambda m: (
                m.group()
                if m.group().lower().endswith("@example.invalid")
                else replace("email", m.group())
            ),
            text,
        )
    text = MAC_IN_TEXT.sub(
        lambda m: m.group() if PLACEHOLDER.fullmatch(m.group()) else replace("mac", m.group()),
        text,
    )
    return TOKEN_RUN.sub(
        lambda m: replace("token", m.group()) if is_high_entropy_token(m.group()) else m.group(),
        text,
    )
