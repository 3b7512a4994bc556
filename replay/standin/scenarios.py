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

from replay.standin.hashing import double_md5, triple_md5
from replay.standin.state import DEFAULT_STATE_PATH

APP_KEY_ANDROID = "RckMFKbsds5p6QY3COEXc2ABwNTYY0q18ziEiSEm"
SC = "a626948714654991afd3c0dbd7cdb901"
SV = {
    "/app/v2/home_page/get_object_list": "c417b62d72ee44bf933054bdca183e77",
    "/app/user/refresh_token": "d91914dd28b7492ab9dd17f7707d35a3",
    "/app/user/get_user_info": "6e054e04b7144c90af3b1281b6533492",
    "/app/user/logout": "759245b61abd49128585e95f30e61add",
    "/app/v2/device/get_device_Info": "81d1abc794ba45a39fdd21233d621e84",
    "/app/v2/device/get_property_list": "1df2807c63254e16a06213323fe8dec8",
    "/app/v2/device_list/get_property_list": "be9e90755d3445d0a4a583c8314972b6",
    "/app/v2/device/set_property": "44b6d5640c4d4978baba65c8ab9a6d6e",
    "/app/v2/device/set_property_list": "a8290b86080a481982b97045b8710611",
    "/app/v2/auto/run_action": "011a6b42d80a4f32b4cc24bb721c9c96",
}


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


PLAIN = DemoAccount("user-00000000a1@example.invalid", "demo-password",
                    "00000000000000000000000000a1a1a1", "00000000-0000-4000-8000-0000000000a1",
                    "REDACTED_apikey_00000000000000a1")
TOTP = DemoAccount("user-00000000b2@example.invalid", "demo-password-totp",
                   "00000000000000000000000000b2b2b2", "00000000-0000-4000-8000-0000000000b2",
                   "REDACTED_apikey_00000000000000b2")
TOTP_SECRET = "DEMODEMODEMODEMO"
TOTP_APP_ID = "REDACTED_totp_app_id_00000000000000b2"
SMS = DemoAccount("user-00000000c3@example.invalid", "demo-password-sms",
                  "00000000000000000000000000c3c3c3")
SMS_CODE, EMAIL_CODE = "123456", "654321"


def app_body(path: str, access_token: str = "", **extra: Any) -> dict[str, Any]:
    """The common app API envelope for `path`, plus endpoint fields."""
    return {"sc": SC, "sv": SV.get(path, SV["/app/v2/home_page/get_object_list"]),
            "app_name": "com.hualai", "app_ver": "com.hualai___2.19.14",
            "app_version": "2.19.14", "phone_id": str(uuid.uuid4()), "phone_system_type": "2",
            "ts": int(time.time() * 1000), "access_token": access_token, **extra}


def default_state_dict(**settings: float) -> dict[str, Any]:
    """The parsed default_state.yaml, with settings overridden by keyword (e.g. auth_limit=3)."""
    data: dict[str, Any] = yaml.safe_load(DEFAULT_STATE_PATH.read_text(encoding="utf-8"))
    sections = {"access_ttl_s": "tokens", "refresh_ttl_s": "tokens"}
    for key, value in settings.items():
        section = sections.get(key) or ("lockout" if key.startswith("lockout") else "rate_limits")
        data.setdefault(section, {})[key] = value
    return data
