"""Writes the made-up cassettes of the replay tests (placeholder-shaped values only).

Run ``.venv/bin/python tests/cassettes/replay/make_cassettes.py`` from the repository root
after changing it; the YAML files beside it are its output and are committed.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))

from wyzeproto.cassette.files import write_cassette  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EMAIL = "user-1a2b3c4d5e@example.invalid"
PASSWORD3 = "000000001a2b3c4d5e6f7a8b9c0d1e2f"  # triple MD5, redacted
PASSWORD2 = "00000000aa2b3c4d5e6f7a8b9c0d1e2f"  # double MD5 (2018), redacted
ACCESS = "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"
REFRESH = "lvtx.REDACTED_refresh_token_2b3c4d5e6f7a8b9c"
ACCESS2 = "lvtx.REDACTED_access_token_3c4d5e6f7a8b9c0d"
REFRESH2 = "lvtx.REDACTED_refresh_token_4d5e6f7a8b9c0d1e"
USER_ID = "000000003c4d5e6f7a8b9c0d1e2f3a4b"
PHONE = "00000000-0000-4000-8000-1a2b3c4d5e6f"
KEY_ID = "00000000-0000-4000-8000-aaaabbbbcccc"
API_KEY = "REDACTED_apikey_5e6f7a8b9c0d1e2f"
CAM_MAC, PLUG_MAC = "0000A1B2C3D4", "0000B2C3D4E5"
SDK_ENV = {"sc": "a626948714654991afd3c0dbd7cdb901", "app_name": "com.hualai",
           "app_ver": "com.hualai___2.19.14", "app_version": "2.19.14",
           "phone_system_type": "2", "phone_id": PHONE, "ts": 1700000000000}


def interaction(uri: str, body: Any, answer: Any, status: int = 200,
                headers: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "request": {"method": "POST", "uri": uri,
                    "body": json.dumps(body, separators=(",", ":")),
                    "headers": {"Content-Type": ["application/json"], **(headers or {})}},
        "response": {"status": {"code": status, "message": "OK" if status == 200 else "Bad "
                                "Request"},
                     "headers": {"Content-Type": ["application/json;charset=utf-8"]},
                     "body": {"string": json.dumps(answer, separators=(",", ":"))}},
    }


def envelope(sv: str, **fields: Any) -> dict[str, Any]:
    return {**SDK_ENV, "sv": sv, "access_token": ACCESS, **fields}


def app_answer(data: Any, code: str = "1", msg: str = "SUCCESS") -> dict[str, Any]:
    return {"code": code, "msg": msg, "ts": 1700000000123, "data": data,
            "traceId": "000000009a8b7c6d5e4f3a2b1c0d9e8f"}


DEVICES = [
    {"mac": CAM_MAC, "nickname": "REDACTED_nickname_1a2b3c4d5e6f7a8b",
     "product_model": "WYZE_CAKP2JFUS", "product_type": "Camera", "firmware_ver": "4.36.11.1",
     "hardware_ver": "0.0.0.0", "conn_state": 1, "conn_state_ts": 1700000000000,
     "enr": "REDACTED_enr_1a2b3c4d5e6f7a8b", "parent_device_mac": "", "user_role": 1,
     "push_switch": 1, "device_params": {"p2p_id": "ZZZZ1A2B3C4D5E6F7A8B", "p2p_type": 4,
                                         "ip": "192.0.2.17", "dtls": 1, "power_switch": 1}},
    {"mac": PLUG_MAC, "nickname": "REDACTED_nickname_2b3c4d5e6f7a8b9c",
     "product_model": "WLPP1CFH", "product_type": "Plug", "firmware_ver": "1.2.0.1",
     "hardware_ver": "0.0.0.0", "conn_state": 1, "conn_state_ts": 1700000000000,
     "enr": "", "parent_device_mac": "", "user_role": 1, "push_switch": 1,
     "device_params": {"switch_state": 1, "ip": "192.0.2.18"}},
]
OBJECT_LIST = {"device_list": DEVICES, "device_group_list": [],
               "device_sort_list": [{"device_id": CAM_MAC, "product_model": "WYZE_CAKP2JFUS"}]}
SV_OBJECTS, SV_PROPS = "c417b62d72ee44bf933054bdca183e77", "1df2807c63254e16a06213323fe8dec8"
SV_REFRESH = "d91914dd28b7492ab9dd17f7707d35a3"
API = "https://api.wyzecam.com"
AUTH = "https://auth-prod.api.wyze.com"
TOKENS = {"access_token": ACCESS, "refresh_token": REFRESH, "user_id": USER_ID,
          "mfa_options": None, "mfa_details": None, "sms_session_id": None,
          "email_session_id": None}


def sdk_session() -> list[dict[str, Any]]:
    return [
        interaction(f"{AUTH}/api/user/login",
                    {"nonce": "1700000000000", "email": EMAIL, "password": PASSWORD3}, TOKENS,
                    headers={"keyid": [KEY_ID], "apikey": [API_KEY]}),
        interaction(f"{API}/app/v2/home_page/get_object_list", envelope(SV_OBJECTS),
                    app_answer(OBJECT_LIST)),
        interaction(f"{API}/app/v2/device/get_property_list",
                    envelope(SV_PROPS, device_mac=CAM_MAC, device_model="WYZE_CAKP2JFUS",
                             target_pid_list=[]),
                    app_answer({"property_list": [
                        {"pid": "P3", "value": "1", "ts": 1700000000000},
                        {"pid": "P5", "value": "1", "ts": 1700000000000}]})),
        interaction(f"{API}/app/v2/device/get_property_list",
                    envelope(SV_PROPS, device_mac=PLUG_MAC, device_model="WLPP1CFH",
                             target_pid_list=["P3"]),
                    app_answer({"property_list": [{"pid": "P3", "value": "0",
                                                   "ts": 1700000000000}]})),
        interaction(f"{API}/app/user/refresh_token", envelope(SV_REFRESH, refresh_token=REFRESH),
                    app_answer({"access_token": ACCESS2, "refresh_token": REFRESH2})),
        interaction(f"{API}/app/v2/home_page/get_object_list",
                    {**envelope(SV_OBJECTS), "access_token": ACCESS2},
                    app_answer(OBJECT_LIST)),
    ]


def mfa_session() -> list[dict[str, Any]]:
    challenge = {**TOKENS, "access_token": "", "refresh_token": "",
                 "mfa_options": ["TotpVerificationCode"],
                 "mfa_details": {"totp_apps": [{"app_id": "REDACTED_app_id_6f7a8b9c0d1e2f3a",
                                                "app_name": "REDACTED_app_name_7a8b9c0d1e2f3a4b"}]}}
    return [
        interaction(f"{AUTH}/api/user/login", {"email": EMAIL, "password": PASSWORD3},
                    challenge, headers={"keyid": [KEY_ID], "apikey": [API_KEY]}),
        interaction(f"{AUTH}/user/login",
                    {"email": EMAIL, "password": PASSWORD3, "mfa_type": "TotpVerificationCode",
                     "verification_id": "REDACTED_app_id_6f7a8b9c0d1e2f3a",
                     "verification_code": "123456"}, TOKENS,
                    headers={"X-API-Key": ["WMXHYf79Nr5gIlt3r0r7p9Tcw5bvs6BB4U8O8nGJ"]}),
        interaction(f"{API}/app/v2/home_page/get_object_list", envelope(SV_OBJECTS),
                    app_answer(OBJECT_LIST)),
    ]


def legacy_session() -> list[dict[str, Any]]:
    login = {"sc": "f5609af3fa9541fd82a486df5fd9965a", "sv": "1ee66ee1fe03403b9ded3fe2fa869f2a",
             "app_ver": "com.hualai___2.0.18", "ts": 1525000000000, "access_token": "",
             "phone_id": PHONE, "user_name": EMAIL, "password": PASSWORD2}
    return [
        interaction("https://api.wyzecam.com:8443/app/user/login", login,
                    app_answer({"access_token": ACCESS, "refresh_token": REFRESH}, msg="")),
    ]


def error_session() -> list[dict[str, Any]]:
    return [
        interaction(f"{AUTH}/api/user/login", {"email": EMAIL, "password": PASSWORD3},
                    {"description": "Invalid credentials, please check username, password, "
                     "keyid or apikey", "requestId": "00000000-0000-4000-8000-9f8e7d6c5b4a",
                     "errorCode": 1000}, status=400,
                    headers={"keyid": [KEY_ID], "apikey": [API_KEY]}),
        interaction(f"{API}/app/v2/home_page/get_object_list", envelope(SV_OBJECTS),
                    app_answer({}, code="2001", msg="access token is error")),
    ]


def main() -> None:
    for name, build in (("sdk_session", sdk_session), ("mfa_session", mfa_session),
                        ("legacy_2018_login", legacy_session), ("errors", error_session)):
        write_cassette(os.path.join(HERE, f"{name}.yaml"), build())


if __name__ == "__main__":
    main()
