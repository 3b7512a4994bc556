"""Password hashes the Wyze logins expect: lowercase hex MD5 applied two or three times.

The 2018 ``/app/user/login`` takes ``md5(md5(password))``; every login on the auth host
(``/api/user/login``, ``/user/login``, ``/v2/user/login``) takes ``md5(md5(md5(password)))``
(protocol facts 2a and 2b).
"""

from __future__ import annotations

import hashlib


def md5hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def repeated_md5(password: str, times: int) -> str:
    value = password
    for _ in range(times):
        value = md5hex(value)
    return value


def double_md5(password: str) -> str:
    """The 2018 app login's password field."""
    return repeated_md5(password, 2)


def triple_md5(password: str) -> str:
    """The auth host's password field."""
    return repeated_md5(password, 3)
