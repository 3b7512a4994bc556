"""The made-up demo accounts of default_state.yaml and request bodies a phone would send.

For demos and tests that drive the stand-in: credentials of the three demo accounts and the
common app API envelope (wyze-protocol-facts.md section 3, Android-style sc/sv of wyze-sdk).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import yaml

from standin.state import DEFAULT_STATE_PATH
from standin.tokens import double_md5, triple_md5
from wyzeproto.envelope import WYZE_SDK

APP_KEY_ANDROID = "RckMFKbsds5p6QY3COEXc2ABwNTYY0q18ziEiSEm"


@dataclass(frozen=True)
class DemoAccount:
    """Credentials of one made-up account in default_state.yaml."""

    email: str
    password: str
    user_id: str
    key_id: str | None = None
    api_key: str | None = None

    @property
    def key_headers(self) -> dict[str, str]:
        """The `keyid` / `apikey` headers of `/api/user/login`."""
        return {"keyid": self.key_id or "", "apikey": self.api_key or ""}

    def auth_body(self, password: str | None = None, **extra: Any) -> dict[str, Any]:
        """`{email, password}` with the triple-MD5 password the auth host expects."""
        return {"email": self.email, "password": triple_md5(password or self.password), **extra}

    def old_login_body(self, password: str | None = None) -> dict[str, Any]:
        """The 2018 `/app/user/login` body with its double-MD5 password."""
        return {"sc": "f5609af3fa9541fd82a486df5fd9965a",
                "sv": "1ee66ee1fe03403b9ded3fe2fa869f2a", "app_ver": "com.hualai___2.0.18",
                "ts": int(time.time() * 1000), "access_token": "",
                "phone_id": str(uuid.uuid4()), "user_name": self.email,
                "password": double_md5(password or self.password)}


PLAIN = DemoAccount("dana.whitfield@example.invalid", "demo-password",
                    "7f3c9e2a1b5d4c8e9a0f6b3d2e1c4a57", "3f6b2a9e-4c1d-4e7a-9b8f-2d5c7e1a0b94",
                    "Xq8vL2nR5tW9yB3kM7pD1fH6jC4gZ0sAaE2uI8oQ5wT3rY7eN9mK1xV6bU4h")
TOTP = DemoAccount("sam.okafor+wyze@example.invalid", "demo-password-totp",
                   "c41e8b7a2f9d4063b5a1e7c2d8f90b34", "8d2e5f1a-7b3c-4a96-b0e4-6c9d1f2a3e58",
                   "Pk3nT8wQ1rY6uE9oA2sD5fG7hJ0lZ4xC3vB8mN1qW6eR2tY9uI5oP7aS0dF4g")
TOTP_SECRET = "DEMODEMODEMODEMO"
TOTP_APP_ID = "6a1f0c9e2b7d4e58a3c1b9f0"
SMS = DemoAccount("priya.raman@example.invalid", "demo-password-sms",
                  "5a9d2c7e1f3b4e8a96c0d2b4f6e8a1c3")
SMS_CODE, EMAIL_CODE = "123456", "654321"


def app_body(path: str, access_token: str = "", **extra: Any) -> dict[str, Any]:
    """The common app API envelope for `path` as wyze-sdk builds it, plus endpoint fields."""
    body = WYZE_SDK.envelope(path, access_token, str(uuid.uuid4()))
    body.setdefault("sv", WYZE_SDK.sv("/app/v2/home_page/get_object_list"))
    return {**body, **extra}


def default_state_dict(**settings: float) -> dict[str, Any]:
    """The parsed default_state.yaml, with settings overridden by keyword (e.g. auth_limit=3)."""
    data: dict[str, Any] = yaml.safe_load(DEFAULT_STATE_PATH.read_text(encoding="utf-8"))
    sections = {"access_ttl_s": "tokens", "refresh_ttl_s": "tokens"}
    for key, value in settings.items():
        section = sections.get(key) or ("lockout" if key.startswith("lockout") else "rate_limits")
        data.setdefault(section, {})[key] = value
    return data
