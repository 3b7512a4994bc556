"""What a client connects a camera with, from the stand-in: TUTK, WebRTC, Gwell, and v4 signing."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

import requests

from standin import StandIn
from standin.scenarios import PLAIN, app_body
from wyzeproto import signing
from wyzeproto.redact import is_placeholder

PORCH, OFFLINE, OUTDOOR, BASE = "2CAA8E4F1D07", "2CAA8E0C7731", "2CAA8E71D3A8", "2CAA8E6B0F94"
FLOODLIGHT, OG = "D03F27C45E19", "GW_GC1_7C78B2E41D09"


def login(s: StandIn) -> str:
    r = requests.post(f"{s.base_url}/api/user/login", json=PLAIN.auth_body(), timeout=5,
                      headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers})
    return str(r.json()["access_token"])


def app(s: StandIn, path: str, token: str, host: str = "api.wyzecam.com",
        **extra: Any) -> dict[str, Any]:
    r = requests.post(f"{s.base_url}/{host}{path}", json=app_body(path, token, **extra),
                      timeout=5)
    return dict(r.json())


def v4(s: StandIn, path: str, token: str, body: dict[str, Any], app_id: str = signing.WEB_APP_ID,
       tamper: bool = False) -> dict[str, Any]:
    raw = json.dumps({**body, "nonce": str(int(s.clock.now() * 1000))}).encode()
    headers = {"appid": app_id, "access_token": token, "Content-Type": "application/json",
               "signature2": signing.signature2(token, raw, signing.SECRETS_BY_APP_ID[app_id])}
    if tamper:
        raw = raw.replace(b"webrtc", b"lake")
    r = requests.post(f"{s.base_url}/app.wyzecam.com{path}", data=raw, headers=headers, timeout=5)
    return dict(r.json())


def test_a_camera_behind_a_base_station_names_its_parent_and_the_parents_key(
        standin: StandIn) -> None:
    devices = app(standin, "/app/v2/home_page/get_object_list", login(standin))["data"]
    by_mac = {d["mac"]: d for d in devices["device_list"]}
    outdoor = by_mac[OUTDOOR]
    assert outdoor["parent_device_mac"] == BASE
    assert outdoor["parent_device_enr"] == by_mac[BASE]["enr"] != ""
    assert by_mac[PORCH]["parent_device_mac"] == ""
    assert by_mac[OG]["device_params"]["p2p_id"] == OG  # Gwell: GW_<model>_<mac>


def test_get_iotc_info_gives_a_tutk_cameras_keys_and_3019_for_an_offline_one(
        standin: StandIn) -> None:
    token = login(standin)
    info = app(standin, "/app/v2/device/get_iotc_info", token, device_mac=OUTDOOR)["data"]
    assert re.fullmatch(r"[A-Z0-9]{20}", info["p2p_id"]) and info["parent_device_mac"] == BASE
    assert not is_placeholder(info["p2p_id"]) and not is_placeholder(info["enr"])
    offline = app(standin, "/app/v2/device/get_iotc_info", token, device_mac=OFFLINE)
    assert offline["code"] == "3019"


def test_webrtc_signalling_answers_a_webrtc_camera_and_404_for_a_tutk_one(
        standin: StandIn) -> None:
    token = login(standin)
    url = f"{standin.base_url}/webrtc.api.wyze.com/signaling/device/"
    auth = {"authorization": signing.bearer(token)}
    r = requests.get(url + FLOODLIGHT, params={"use_trickle": "true"}, headers=auth, timeout=5)
    results = r.json()["results"]
    signalling = unquote(results["signalingUrl"])
    assert signalling.startswith("wss://") and "X-Amz-Signature=" in signalling
    assert FLOODLIGHT in signalling and results["signalToken"]
    assert [s.get("url", s.get("urls", ""))[:5] for s in results["servers"]] == \
        ["stun:", "turn:", "turns"]
    assert requests.get(url + PORCH, headers=auth, timeout=5).status_code == 404
    assert requests.get(url + FLOODLIGHT, headers={"authorization": "Bearer x"},
                        timeout=5).status_code == 401


def test_get_streams_is_signed_and_reports_the_cameras_power(standin: StandIn) -> None:
    token = login(standin)
    ask = {"device_list": [{"device_id": FLOODLIGHT, "device_model": "LD_CFP",
                            "provider": "webrtc", "parameters": {"use_trickle": True}}]}
    answer = v4(standin, "/app/v4/camera/get-streams", token, ask)
    assert answer["code"] == "1"
    stream = answer["data"][0]
    assert stream["property"] == {"iot-device::iot-state": 1, "iot-device::iot-power": 1}
    assert stream["params"]["signaling_url"].startswith("wss://")
    olive = v4(standin, "/app/v4/camera/get_streams", token, ask, app_id=signing.OLIVE_APP_ID)
    assert olive["code"] == "1"
    assert v4(standin, "/app/v4/camera/get-streams", token, ask, tamper=True)["code"] == "2001"


def test_the_bolt_locks_and_unlocks_through_iot3(standin: StandIn) -> None:
    token = login(standin)
    target = {"targetInfo": {"id": "DX_LB2_7C78B2A90E51", "model": "DX_LB2"}}
    status = {**target, "payload": {"cmd": "get_property", "props": ["lock::lock-status"]}}
    assert v4(standin, "/app/v4/iot3/get-property", token, status,
              signing.OLIVE_APP_ID)["data"]["props"] == {"lock::lock-status": True}
    done = v4(standin, "/app/v4/iot3/run-action", token,
              {**target, "payload": {"cmd": "run_action", "action": "lock::unlock"}},
              signing.OLIVE_APP_ID)
    assert done["code"] == "1" and done["data"] is None
    assert v4(standin, "/app/v4/iot3/get-property", token, status,
              signing.OLIVE_APP_ID)["data"]["props"] == {"lock::lock-status": False}


def test_kinesis_hands_out_a_presigned_url_and_refuses_a_dead_token(standin: StandIn) -> None:
    token = login(standin)
    host = "ams-api.wyzecam.com"
    url = app(standin, "/api/v1/kinesis/live_replay_url/get", token, host, device_mac=FLOODLIGHT)
    assert url["data"]["url"].startswith("https://") and "X-Amz-Signature=" in url["data"]["url"]
    standin.advance_clock(2 * 86400 + 1)
    dead = app(standin, "/api/v1/kinesis/live_replay_url/get", token, host, device_mac=FLOODLIGHT)
    assert dead["code"] == "2001"
