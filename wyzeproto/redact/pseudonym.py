"""Deterministic, keyed pseudonyms that keep the shape the protocol expects.

``pseudonym(kind, value)`` is an HMAC-SHA256 of (kind, value) under a key that lives outside
the repository, rendered in the value's own shape: a MAC stays 12 upper-case hex digits, a
UUID stays a UUID, an email stays an email (at ``example.invalid``), a token keeps a prefix
such as ``lvtx.``. The same secret always gets the same placeholder, nobody without the key
can reverse or brute-force it, and a placeholder maps to itself (redaction is idempotent).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
from pathlib import Path

KEY_ENV = "WYZE_REDACT_KEY"
KEY_FILE_ENV = "WYZE_REDACT_KEY_FILE"

MAC_HEX = re.compile(r"[0-9A-Fa-f]{12}")
MAC_SEP = re.compile(r"[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}")
UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
HEX = re.compile(r"[0-9A-Fa-f]{16,}")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
P2P_ID = re.compile(r"[A-Z0-9]{20}")
TOKEN_PREFIX = re.compile(r"([A-Za-z]{2,8}\.)(?=.)")

PLACEHOLDER = re.compile(
    r"0000[0-9A-F]{8}|0000[0-9a-f]{8}"  # MAC
    r"|00([:-])00\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}"
    r"|00000000-0000-4000-8000-[0-9A-Fa-f]{12}"  # UUID
    r"|0{8}[0-9A-Fa-f]{8,}"  # long hex: hashes, ids
    r"|user-[0-9a-f]{10}@example\.invalid"  # email
    r"|(?:[A-Za-z]{2,8}\.)?REDACTED_[a-z0-9_]+_[0-9a-f]{16}"  # opaque tokens, free text
    r"|ZZZZ[0-9A-F]{16}"  # TUTK p2p_id
    r"|https://redacted\.example\.invalid/[a-z0-9_]+/[0-9a-f]{16}"  # signed URLs
)
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


def is_placeholder(value: str) -> bool:
    return bool(PLACEHOLDER.fullmatch(value)) or is_documentation_ip(value)


def _key_path() -> Path:
    explicit = os.environ.get(KEY_FILE_ENV)
    if explicit:
        return Path(explicit)
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
    return Path(config) / "wyze-toolkit" / "redact.key"


def load_key() -> bytes:
    """The redaction key: ``$WYZE_REDACT_KEY``, else a key file made on first use (0600).

    The file lives in the user's config directory, never in the repository, so placeholders
    are stable across a researcher's sessions but mean nothing to anyone else.
    """
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.encode("utf-8")
    path = _key_path()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(32).encode("ascii")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    return key


def _same_case(template: str, text: str) -> str:
    return text.lower() if template == template.lower() else text.upper()


class Pseudonymizer:
    """Maps (kind, value) to a stable placeholder of the same shape."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("the redaction key is empty")
        self._key = key
        self._cache: dict[tuple[str, str], str] = {}

    def digest(self, kind: str, value: str) -> str:
        mac = hmac.new(
            self._key, f"{kind}\x00{value}".encode("utf-8", "surrogatepass"), hashlib.sha256
        )
        return mac.hexdigest()

    def pseudonym(self, kind: str, value: str) -> str:
        cached = self._cache.get((kind, value))
        if cached is None:
            cached = value if not value or is_placeholder(value) else self._shape(kind, value)
            if len(self._cache) < 100_000:
                self._cache[(kind, value)] = cached
        return cached

    def _shape(self, kind: str, value: str) -> str:
        # The digest depends on the value's shape class, not on the field it was found in,
        # so the same MAC under 'mac' and under 'device_mac' gets the same placeholder.
        if kind == "password_hash":
            # Not shape-preserving on purpose: a 32-hex placeholder next to "password" reads
            # as a leaked hash to every reviewer and scanner; the schemas accept this form.
            return f"REDACTED_password_hash_{self.digest(kind, value)[:16]}"
        if EMAIL.fullmatch(value):
            return f"user-{self.digest('email', value.lower())[:10]}@example.invalid"
        if MAC_HEX.fullmatch(value):
            return _same_case(value, "0000" + self.digest("mac", value.upper())[:8])
        if MAC_SEP.fullmatch(value):
            sep = value[2]
            flat = "0000" + self.digest("mac", value.replace(sep, "").upper())[:8]
            return _same_case(value, sep.join(flat[i : i + 2] for i in range(0, 12, 2)))
        if UUID.fullmatch(value):
            d = self.digest(kind, value.lower())
            return _same_case(value, "00000000-0000-4000-8000-" + d[:12])
        if HEX.fullmatch(value):
            d = self.digest(kind, value.lower())
            while len(d) < len(value):
                d += self.digest(kind, d)
            return _same_case(value, "0" * 8 + d[: len(value) - 8])
        if kind == "ip" or _looks_like_ip(value):
            return self._ip(value)
        if kind == "p2p_id" and P2P_ID.fullmatch(value):
            return "ZZZZ" + self.digest(kind, value)[:16].upper()
        if value.startswith(("http://", "https://")):
            return f"https://redacted.example.invalid/{kind}/{self.digest(kind, value)[:16]}"
        prefix = ""
        match = TOKEN_PREFIX.match(value)
        if match and kind in ("access_token", "refresh_token"):
            prefix = match.group(1)
        return f"{prefix}REDACTED_{kind}_{self.digest(kind, value)[:16]}"

    def _ip(self, value: str) -> str:
        d = int(self.digest("ip", value)[:8], 16)
        if ":" in value:
            return f"2001:db8::{d >> 16:x}:{d & 0xFFFF:x}"
        net = ("192.0.2", "198.51.100", "203.0.113")[d % 3]
        return f"{net}.{(d >> 8) % 254 + 1}"


def _looks_like_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
