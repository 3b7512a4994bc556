"""The stand-in's app API over real HTTP on 127.0.0.1: devices, tokens, errors, limits."""

from __future__ import annotations

import json
import re
from typing import Any

import requests

from standin import StandIn
from standin.scenarios import PLAIN, app_body, default_state_dict
from wyzeproto.redact import is_placeholder

APP = {"Host": "api.wyzecam.com"}
CAMERAS = {"WYZE_CAKP2JFUS", "HL_CAM4", "HL_PAN3", "WYZEDB3", "WYZEC1-JZ"}


def login(s: StandIn) -> dict[str, Any]:
    r = requests.post(f"{s.base_url}/api/user/login", json=PLAIN.auth_body(), timeout=5,
                      headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers})
    return dict(r.json())


def call(s: StandIn, path: str, token: str = "", **extra: Any) -> dict[str, Any]:
    r = requests.post(f"{s.base_url}{path}", json=app_body(path, token, **extra), headers=APP,
                      timeout=5)
    assert r.status_code == 200
    return dict(r.json())


def test_device_list_has_several_camera_models_and_other_device_types(
        standin: StandIn) -> None:
    body = call(standin, "/app/v2/home_page/get_object_list", login(standin)["access_token"])
    assert body["code"] == "1" and body["msg"] == "SUCCESS" and len(body["traceId"]) == 32
    data = body["data"]
    assert set(data) == {"device_list", "device_group_list", "device_sort_list"}
    models = {d["product_model"] for d in data["device_list"]}
    types = {d["product_type"] for d in data["device_list"]}
    assert models >= CAMERAS
    assert {"Camera", "Plug", "ContactSensor", "MeshLight"} <= types
    cam = data["device_list"][0]
    # Raw, realistic values, so a capture through the proxy must redact them for real.
    assert re.fullmatch(r"[A-Z0-9]{20}", cam["device_params"]["p2p_id"])
    assert not is_placeholder(cam["device_params"]["p2p_id"]) and not is_placeholder(cam["enr"])
    thumb = cam["device_params"]["camera_thumbnails"]["thumbnails_url"]
    assert "X-Amz-Signature=" in thumb and not is_placeholder(thumb)
    assert [s["device_id"] for s in data["device_sort_list"]] == \
        [d["mac"] for d in data["device_list"]]


def test_each_account_sees_only_its_own_devices(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    macs = {d["mac"] for d in call(standin, "/app/v2/home_page/get_object_list",
                                   token)["data"]["device_list"]}
    assert "2CAA8E3B5F62" not in macs and "2CAA8E4F1D07" in macs
    other = call(standin, "/app/v2/device/get_property_list", token,
                 device_mac="2CAA8E3B5F62", device_model="WYZE_CAKP2JFUS")
    assert other["code"] == "3005" and other["msg"] == "unauthorized operation"


def test_property_list_filters_by_pid_and_set_property_changes_it(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    cam = {"device_mac": "2CAA8E4F1D07", "device_model": "WYZE_CAKP2JFUS"}
    props = call(standin, "/app/v2/device/get_property_list", token, target_pid_list=["P3"],
                 **cam)["data"]["property_list"]
    assert [(p["pid"], p["value"]) for p in props] == [("P3", "1")]
    assert call(standin, "/app/v2/device/set_property", token, pid="P3", pvalue="0",
                **cam)["code"] == "1"
    props = call(standin, "/app/v2/device/get_property_list", token, target_pid_list=[],
                 **cam)["data"]["property_list"]
    assert {p["pid"]: p["value"] for p in props}["P3"] == "0"


def test_set_property_list_and_bulk_property_list(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    r = call(standin, "/app/v2/device/set_property_list", token, device_mac="7C78B2D40F86",
             device_model="WLPA19C", property_list=[{"pid": "P1501", "pvalue": "40"}])
    assert r["code"] == "1"
    bulk = call(standin, "/app/v2/device_list/get_property_list", token,
                device_list=["7C78B2D40F86", "7C78B2E5A40C"], target_pid_list=["P1501", "P3"])
    items = bulk["data"]["device_list"]
    assert [i["device_model"] for i in items] == ["WLPA19C", "WLPP1CFH"]
    assert {p["pid"]: p["value"] for p in items[0]["property_list"]}["P1501"] == "40"


def test_bulk_set_property_list_changes_several_devices_or_none(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    plug = {"device_mac": "7C78B2E5A40C", "device_model": "WLPP1CFH",
            "property_list": [{"pid": "P3", "pvalue": "0"}]}
    offline = {"device_mac": "2CAA8E0C7731", "device_model": "WYZEC1-JZ",
               "property_list": [{"pid": "P3", "pvalue": "0"}]}
    path = "/app/v2/device_list/set_property_list"
    assert call(standin, path, token, device_list=[plug, offline])["code"] == "3019"
    assert standin.state.devices["7C78B2E5A40C"].properties["P3"] == "1"
    assert call(standin, path, token, device_list=[plug])["code"] == "1"
    assert standin.state.devices["7C78B2E5A40C"].properties["P3"] == "0"
    assert call(standin, path, token, device_list=[])["code"] == "1001"


def test_run_action_list_sets_mesh_properties(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    action = {"instance_id": "7C78B2D40F86", "provider_key": "WLPA19C",
              "action_key": "set_mesh_property",
              "action_params": {"list": [{"mac": "7C78B2D40F86",
                                          "plist": [{"pid": "P1501", "pvalue": "15"}]}]}}
    r = call(standin, "/app/v2/auto/run_action_list", token, action_list=[action])
    assert r["code"] == "1"
    assert standin.state.devices["7C78B2D40F86"].properties["P1501"] == "15"
    bad = call(standin, "/app/v2/auto/run_action_list", token,
               action_list=[{**action, "action_key": "explode"}])
    assert bad["code"] == "1001"


def test_device_info_has_identity_and_properties(standin: StandIn) -> None:
    data = call(standin, "/app/v2/device/get_device_Info", login(standin)["access_token"],
                device_mac="7C78B2193E6F", device_model="HL_PAN3")["data"]
    assert data["product_model"] == "HL_PAN3" and data["ip"].startswith("192.168.")
    assert any(p["pid"] == "P5" for p in data["property_list"])


def test_run_action_power_off_turns_p3_off(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    r = call(standin, "/app/v2/auto/run_action", token, provider_key="HL_CAM4",
             instance_id="D03F27B81C5A", action_key="power_off", action_params={},
             custom_string="")
    assert r["code"] == "1" and r["data"]["result"] == 1
    props = call(standin, "/app/v2/device/get_property_list", token, device_mac="D03F27B81C5A",
                 device_model="HL_CAM4", target_pid_list=["P3"])["data"]["property_list"]
    assert props[0]["value"] == "0"


def test_unknown_action_is_a_parameter_error(standin: StandIn) -> None:
    r = call(standin, "/app/v2/auto/run_action", login(standin)["access_token"],
             provider_key="HL_CAM4", instance_id="D03F27B81C5A", action_key="self_destruct")
    assert r["code"] == "1001" and r["msg"] == "ParameterError" and r["data"] == {}


def test_changing_an_offline_camera_is_code_3019(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    offline = {"device_mac": "2CAA8E0C7731", "device_model": "WYZEC1-JZ"}
    r = call(standin, "/app/v2/auto/run_action", token, provider_key="WYZEC1-JZ",
             instance_id="2CAA8E0C7731", action_key="power_on")
    assert r["code"] == "3019" and r["msg"] == "DeviceIsOffline"
    assert call(standin, "/app/v2/device/set_property", token, pid="P3", pvalue="1",
                **offline)["code"] == "3019"
    props = call(standin, "/app/v2/device/get_property_list", token, target_pid_list=["P5"],
                 **offline)["data"]["property_list"]
    assert props == [{"pid": "P5", "value": "0", "ts": props[0]["ts"]}]


def test_missing_device_fields_and_non_json_bodies_are_code_1001(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    assert call(standin, "/app/v2/device/get_property_list", token)["code"] == "1001"
    r = requests.post(f"{standin.base_url}/app/v2/home_page/get_object_list", data=b"{",
                      headers=APP, timeout=5).json()
    assert r["code"] == "1001"


def test_missing_or_made_up_access_token_is_2001(standin: StandIn) -> None:
    body = call(standin, "/app/v2/home_page/get_object_list",
                "lvtx.REDACTED_access_token_0000000000000000")
    assert body["code"] == "2001" and body["msg"] == "access token is error"
    assert body["data"] == {}


def test_access_token_expires_after_two_days_and_refresh_gives_a_new_pair(
        standin: StandIn) -> None:
    tokens = login(standin)
    standin.clock.advance(2 * 86400 + 1)
    assert call(standin, "/app/v2/home_page/get_object_list",
                tokens["access_token"])["code"] == "2001"
    fresh = call(standin, "/app/user/refresh_token", tokens["access_token"],
                 refresh_token=tokens["refresh_token"])
    assert fresh["code"] == "1"
    new = fresh["data"]
    assert new["access_token"] != tokens["access_token"]
    assert call(standin, "/app/v2/home_page/get_object_list", new["access_token"])["code"] == "1"
    reused = call(standin, "/app/user/refresh_token", refresh_token=tokens["refresh_token"])
    assert reused["code"] == "2002"


def test_refresh_token_expires_after_thirty_days(standin: StandIn) -> None:
    tokens = login(standin)
    standin.clock.advance(30 * 86400 + 1)
    r = call(standin, "/app/user/refresh_token", refresh_token=tokens["refresh_token"])
    assert r["code"] == "2002" and r["msg"] == "refresh token is error"


def test_refresh_without_a_refresh_token_is_1001(standin: StandIn) -> None:
    assert call(standin, "/app/user/refresh_token")["code"] == "1001"


def test_clock_can_be_advanced_over_http_from_another_process(standin: StandIn) -> None:
    tokens = login(standin)
    r = requests.post(f"{standin.base_url}/__standin__/clock", json={"advance": 172801},
                      timeout=5)
    assert r.json()["now"] > 0
    assert call(standin, "/app/v2/home_page/get_object_list",
                tokens["access_token"])["code"] == "2001"


def test_user_info_then_logout_ends_the_session(standin: StandIn) -> None:
    tokens = login(standin)
    info = call(standin, "/app/user/get_user_info", tokens["access_token"])["data"]
    assert info["email"] == PLAIN.email and info["open_user_id"]
    assert call(standin, "/app/user/logout", tokens["access_token"])["code"] == "1"
    assert call(standin, "/app/user/get_user_info", tokens["access_token"])["code"] == "2001"
    assert call(standin, "/app/user/refresh_token",
                refresh_token=tokens["refresh_token"])["code"] == "2002"


def test_app_rate_limit_answers_code_1011() -> None:
    s = StandIn(default_state_dict(app_limit=2))
    s.start()
    try:
        token = login(s)["access_token"]
        codes = [call(s, "/app/v2/home_page/get_object_list", token)["code"] for _ in range(3)]
        assert codes == ["1", "1", "1011"]
        limited = call(s, "/app/v2/home_page/get_object_list", token)
        assert limited["msg"] == "system limit exceeded, please try again later."
        s.clock.advance(61)
        assert call(s, "/app/v2/home_page/get_object_list", token)["code"] == "1"
    finally:
        s.stop()


def test_unknown_endpoint_is_404_naming_it(standin: StandIn) -> None:
    r = requests.post(f"{standin.base_url}/app/v9/nothing", json={}, headers=APP, timeout=5)
    assert r.status_code == 404 and "/app/v9/nothing" in r.json()["msg"]


def test_no_value_the_stand_in_hands_out_is_shaped_like_a_placeholder(
        standin: StandIn) -> None:
    from wyzeproto.redact.kinds import PLACEHOLDER

    token = login(standin)["access_token"]
    answers = [call(standin, path, token) for path in (
        "/app/v2/home_page/get_object_list", "/app/user/get_user_info")]
    answers.append(call(standin, "/app/v2/device/get_event_list", token, device_mac_list=[],
                        begin_time=0, end_time=2**41, count=20, order_by=2))
    text = json.dumps(answers)

    def strings(node: object) -> list[str]:
        if isinstance(node, dict):
            return [s for v in node.values() for s in strings(v)]
        if isinstance(node, list):
            return [s for v in node for s in strings(v)]
        return [node] if isinstance(node, str) else []

    # Whole values and the pieces of URLs (a random 32-hex trace id may hold '0000' + 8 hex
    # by chance: only a value or piece that is placeholder-shaped as a whole counts).
    pieces = [p for s in strings(answers) for p in [s, *re.split(r"[/?&=#,\s]", s)] if p]
    shaped = [p for p in pieces if PLACEHOLDER.fullmatch(p)]
    assert shaped == []
    assert "@example.invalid" in text and re.search(r'"mac": "[0-9A-F]{12}"', text)
