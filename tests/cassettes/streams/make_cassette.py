"""Writes camera_session.yaml: a MADE-UP session for the stream-info tests, not a recording.

The sequence of docs/streams.md (login, get_user_info, get_object_list, then per camera the
WebRTC signalling host, v4 get-streams for a "lake" camera, mars for a Gwell camera), with
every value in the redaction placeholder forms (captures/README.md) and the shapes of the
reference cassettes (captures/reference/). Cameras: a Cam v3 (TUTK, no WebRTC: 404), an
Outdoor cam behind its base station (parent_*), a Cam v4 (WebRTC/KVS), a Pan v4 (lake) and a
Doorbell Pro (Gwell); a plug that is not a camera. Run from the repository root:
``.venv/bin/python tests/cassettes/streams/make_cassette.py``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))

from wyzeproto.cassette.files import write_cassette  # noqa: E402
from wyzeproto.cassette.interaction import make_interaction  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ACCESS = "lvtx.REDACTED_access_token_1a2b3c4d5e6f7a8b"
REFRESH = "lvtx.REDACTED_refresh_token_2b3c4d5e6f7a8b9c"
PHONE = "00000000-0000-4000-8000-1a2b3c4d5e6f"
V3, OUTDOOR, BASE, V4, PAN4, DOORBELL, PLUG = (
    "0000A1B2C3D4", "0000A1B2C3D5", "0000A1B2C3D6", "0000A1B2C3D7", "0000A1B2C3D8",
    "0000A1B2C3D9", "0000B2C3D4E5")
ENVELOPE = {"sc": "a626948714654991afd3c0dbd7cdb901", "sv": "c417b62d72ee44bf933054bdca183e77",
            "app_name": "com.hualai", "app_ver": "com.hualai___2.19.14",
            "app_version": "2.19.14", "phone_system_type": "2", "phone_id": PHONE,
            "ts": 1700000000000, "access_token": ACCESS}
SIGNED = {"Content-Type": ["application/json"], "access_token": [ACCESS],
          "appid": ["9319141212m2ik"], "signature2": ["REDACTED_signature_1a2b3c4d5e6f7a8b"]}


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def post(uri: str, body: Any, answer: Any, headers: dict[str, list[str]] | None = None,
         ) -> dict[str, Any]:
    return make_interaction(method="POST", uri=uri, body=_json(body),
                            headers=headers or {"Content-Type": ["application/json"]},
                            status=200, message="OK",
                            response_headers={"Content-Type": ["application/json"]},
                            response_body=_json(answer))


def signalling(mac: str, status: int, answer: Any) -> dict[str, Any]:
    return make_interaction(
        method="GET", uri=f"https://webrtc.api.wyze.com/signaling/device/{mac}?use_trickle=true",
        body=None, headers={"authorization": [f"Bearer {ACCESS}"]}, status=status,
        message="OK" if status == 200 else "Not Found",
        response_headers={"Content-Type": ["application/json"]},
        response_body=_json(answer) if answer is not None else "")


def camera(mac: str, model: str, nickname: int, params: dict[str, Any], **extra: Any
           ) -> dict[str, Any]:
    return {"mac": mac, "product_model": model, "product_type": "Camera",
            "nickname": f"REDACTED_nickname_{nickname:016x}", "firmware_ver": "4.36.11.5859",
            "enr": f"REDACTED_enr_{nickname:016x}", "conn_state": 1,
            "parent_device_mac": "", "parent_device_enr": "", **extra,
            "device_params": params}


DEVICES = [
    camera(V3, "WYZE_CAKP2JFUS", 1, {"p2p_id": "ZZZZ1A2B3C4D5E6F7A8B", "p2p_type": 4,
                                     "ip": "192.0.2.17", "dtls": 1, "main_device_dtls": 0}),
    camera(OUTDOOR, "WVOD1", 2, {"p2p_id": "ZZZZ2B3C4D5E6F7A8B9C", "p2p_type": 3,
                                 "ip": "192.0.2.18", "dtls": 0, "main_device_dtls": 1},
           parent_device_mac=BASE, parent_device_enr="REDACTED_enr_00000000000000aa"),
    camera(V4, "HL_CAM4", 3, {"p2p_id": "ZZZZ3C4D5E6F7A8B9C0D", "p2p_type": 4,
                              "ip": "192.0.2.19", "dtls": 1, "main_device_dtls": 0}),
    camera(PAN4, "HL_PAN4", 4, {"p2p_id": "ZZZZ4D5E6F7A8B9C0D1E", "ip": "192.0.2.20"}),
    camera(DOORBELL, "GW_BE1", 5, {"p2p_id": f"GW_BE1_{DOORBELL}", "p2p_type": 0}),
    {"mac": PLUG, "product_model": "WLPP1CFH", "product_type": "Plug",
     "nickname": "REDACTED_nickname_0000000000000006", "device_params": {}},
]
KVS_URL = ("wss%3A%2F%2Fm-1a2b3c4d.kinesisvideo.us-west-2.amazonaws.com%2F%3FX-Amz-ChannelARN"
           "%3Darn%3Aaws%3Akinesisvideo%3Aus-west-2%3A000000000000%3Achannel%2F0000A1B2C3D7"
           "%2F1700000000000%26X-Amz-Credential%3DREDACTED_credential_1a2b3c4d5e6f7a8b"
           "%26X-Amz-Signature%3DREDACTED_signature_1a2b3c4d5e6f7a8b")
INTERACTIONS = [
    post("https://auth-prod.api.wyze.com/api/user/login",
         {"email": "user-1a2b3c4d5e@example.invalid",
          "password": "REDACTED_password_hash_1a2b3c4d5e6f7a8b"},
         {"access_token": ACCESS, "refresh_token": REFRESH,
          "user_id": "000000001a2b3c4d5e6f7a8b9c0d1e2f", "mfa_options": None},
         {"Content-Type": ["application/json"], "Keyid": ["REDACTED_keyid_1a2b3c4d5e6f7a8b"],
          "Apikey": ["REDACTED_apikey_1a2b3c4d5e6f7a8b"]}),
    post("https://api.wyzecam.com/app/user/get_user_info", ENVELOPE,
         {"ts": 1700000000000, "code": "1", "msg": "SUCCESS",
          "data": {"email": "user-1a2b3c4d5e@example.invalid",
                   "open_user_id": "REDACTED_open_user_id_1a2b3c4d5e6f7a8b"}}),
    post("https://api.wyzecam.com/app/v2/home_page/get_object_list", ENVELOPE,
         {"ts": 1700000000000, "code": "1", "msg": "SUCCESS",
          "data": {"device_list": DEVICES, "device_group_list": []}}),
    signalling(V3, 404, None),
    signalling(OUTDOOR, 404, None),
    signalling(V4, 200, {"code": 1, "results": {
        "signalingUrl": KVS_URL, "signalToken": "REDACTED_signal_token_1a2b3c4d5e6f7a8b",
        "servers": [{"url": "stun:stun.kinesisvideo.us-west-2.amazonaws.com:443"},
                    {"urls": "turn:198.51.100.7:443",
                     "username": "REDACTED_turn_user_1a2b3c4d5e6f7a8b",
                     "credential": "REDACTED_turn_credential_1a2b3c4d5e6f7a8b"}]}}),
    post("https://app.wyzecam.com/app/v4/camera/get-streams",
         {"device_list": [{"device_id": PAN4, "device_model": "HL_PAN4", "provider": "lake",
                           "parameters": {"use_trickle": True}}], "nonce": 1700000000000},
         {"code": "1", "msg": "SUCCESS", "data": [{"provider": "lake", "params": {
             "channel": "REDACTED_channel_1a2b3c4d5e6f7a8b", "protocol": 1,
             "encryption_mode": 7, "encryption_key": "REDACTED_key_1a2b3c4d5e6f7a8b",
             "encryption_salt": "REDACTED_salt_1a2b3c4d5e6f7a8b"}}]}, SIGNED),
    post(f"https://wyze-mars-service.wyzecam.com/plugin/mars/v2/regist_gw_user/GW_BE1_{DOORBELL}",
         {"nonce": "1700000000000", "ttl_minutes": 10080, "unique_id": PHONE},
         {"code": 1, "msg": "success", "data": {
             "accessId": "1234567890", "accessToken": "REDACTED_access_token_2b3c4d5e6f7a8b9c"}},
         SIGNED),
]

if __name__ == "__main__":
    write_cassette(os.path.join(HERE, "camera_session.yaml"), INTERACTIONS)
