"""Password hashes, RFC 6238 TOTP codes and made-up identifiers for the Wyze cloud stand-in.

Hashes follow wyze-protocol-facts.md section 2: the 2018 `/app/user/login` takes
md5hex(md5hex(password)); the auth host takes md5hex(md5hex(md5hex(password))). Made-up
identifiers use the placeholder shapes of captures/README.md, so nothing the
stand-in issues can be mistaken for a real secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct

# One definition of the password forms for the client and the stand-in.
from wyzeproto.passwords import double_md5, md5hex, triple_md5

__all__ = ["double_md5", "md5hex", "triple_md5", "totp", "totp_matches"]


def totp(secret_b32: str, at: float, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1) code for a base32 secret at epoch seconds `at`."""
    padded = secret_b32.replace(" ", "").upper()
    padded += "=" * (-len(padded) % 8)
    key = base64.b32decode(padded)
    counter = struct.pack(">Q", int(at // step))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp_matches(secret_b32: str, code: str, at: float, window: int = 1) -> bool:
    """True when `code` is the TOTP code of a step within `window` steps of `at`."""
    return any(
        hmac.compare_digest(totp(secret_b32, at + 30 * drift), code)
        for drift in range(-window, window + 1)
    )


def hex16() -> str:
    """16 random lower-case hex digits (the variable part of every placeholder)."""
    return secrets.token_hex(8)


def opaque(kind: str, prefix: str = "") -> str:
    """An opaque token in placeholder shape, e.g. `lvtx.REDACTED_access_token_<16 hex>`."""
    return f"{prefix}REDACTED_{kind}_{hex16()}"


def real_looking(kind: str, prefix: str = "") -> str:
    """A random token that looks like a real one (for demos that show redaction at work)."""
    return prefix + secrets.token_urlsafe(32)


def hex32() -> str:
    """A 32-hex id in placeholder shape (`00000000` + 24 hex): user ids, request ids, traceId."""
    return "00000000" + secrets.token_hex(12)


def uuid_placeholder() -> str:
    """A UUID in placeholder shape (`00000000-0000-4000-8000-` + 12 hex)."""
    return "00000000-0000-4000-8000-" + secrets.token_hex(6)
