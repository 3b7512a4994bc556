"""Password hashes, RFC 6238 TOTP codes and made-up identifiers for the Wyze cloud stand-in.

Hashes follow wyze-protocol-facts.md section 2: the 2018 `/app/user/login` takes
md5hex(md5hex(password)); the auth host takes md5hex(md5hex(md5hex(password))). Identifiers
are random and shaped like the cloud's own (url-safe tokens behind `lvtx.`, 32-hex trace
ids, RFC 4122 request ids), never like the placeholders of captures/README.md: a stand-in
that hands out placeholder-shaped values would hide redaction bugs from every capture test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import uuid
from typing import Any

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


def account_double_md5(account: Any) -> str:
    """The double MD5 an account's password logs in with (after a change, the one sent)."""
    changed = getattr(account, "password_double_md5", None)
    return changed if changed is not None else double_md5(account.password)


def account_triple_md5(account: Any) -> str:
    """The auth host's triple MD5 of an account's current password."""
    return md5hex(account_double_md5(account))


def hex16() -> str:
    """16 random lower-case hex digits (CloudFront ids and other short opaque ids)."""
    return secrets.token_hex(8)


def opaque(kind: str, prefix: str = "") -> str:
    """A random opaque token as the cloud issues one (`kind` only documents the call site)."""
    return prefix + secrets.token_urlsafe(32)


def real_looking(kind: str, prefix: str = "") -> str:
    """The same as `opaque`: every token the stand-in issues looks real."""
    return opaque(kind, prefix)


def hex32() -> str:
    """32 random lower-case hex digits: user ids, request ids, `traceId`."""
    return secrets.token_hex(16)


def request_uuid() -> str:
    """A random RFC 4122 version-4 UUID, as the auth host's `requestId`."""
    return str(uuid.uuid4())
