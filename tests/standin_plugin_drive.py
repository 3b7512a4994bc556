"""Drives the stand-in's olive plugin hosts (scale, pluto, lockwood, venus maps, earth extras).

Used by tests/test_standin_schemas.py: every route here is requested once per outcome it
has (success, a tampered signature, a device the account does not own, an expired token),
each request shaped as the public client that uses it sends it (wyze-sdk for scale, pluto,
venus and the earth batch reads; wyzeapy for irrigation and the air purifier). The device
ids are the made-up ones of standin/default_state.yaml.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

import requests

from standin import StandIn
from standin.scenarios import PLAIN, default_state_dict
from wyzeproto import signing

SCALE_HOST, PLUTO_HOST = "wyze-scale-service.wyzecam.com", "wyze-pluto-service.wyzecam.com"
LOCKWOOD = "wyze-lockwood-service.wyzecam.com"
EARTH, SIRIUS = "wyze-earth-service.wyzecam.com", "wyze-sirius-service.wyzecam.com"
VENUS = "wyze-venus-service-vn.wyzecam.com"
SCALE, SCALE_S = "JA.SC2.C7E91D04A25B6F83", "WL_SC2_D83BC45E0F17"
SPRINKLER, PURIFIER = "BS_WK1_A4DA22F07C3E", "CO_AP1_7C78B2F4A1D3"
THERMOSTAT, SWITCH, VACUUM = "CO_EA1_3130334B52484D33", "LD_SS1_80482C9E1A3F", \
    "JA_RO2_4E5A7C1D9B02"
ROOM_SENSOR = "CO_TH1_3F8B2A61C7E4"
OLIVE_ERR = "common/olive.json#/$defs/error"


class Olive(Protocol):
    """What the drive needs of test_standin_schemas.Recorder."""

    def olive(self, method: str, host: str, path: str, expect: str, token: str,
              fields: dict[str, Any], tamper: bool = False) -> Any: ...


def _scale_calls(plugin: str, did: str, ts_ms: int) -> list[tuple[str, str, dict[str, Any]]]:
    me = PLAIN.user_id
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "get_device_setting", {"device_id": did}),
        ("GET", "get_device_member", {"device_id": did}),
        ("GET", "get_family_member", {"device_id": did}),
        ("GET", "get_user_preference", {"device_id": did}),
        ("GET", "get_user_device_relation", {"device_id": did, "user_id": me}),
        ("POST", "update_device_setting", {"device_id": did, "unit": "kg"}),
        ("GET", "get_goal_weight", {"family_member_id": me}),
        ("GET", "get_heart_rate_record_list", {"family_member_id": me, "record_number": "5"}),
        ("GET", "get_latest_record", {"family_member_id": me}),
        ("GET", "get_record_range", {"family_member_id": me, "start_time": "0",
                                     "end_time": str(ts_ms), "forward": "0"}),
    ]
    if plugin == "pluto":
        return [*calls, ("GET", "device_info", {"device_id": did})]
    return [*calls,
            ("GET", "get_token", {"device_id": did}),
            ("POST", "add_record", {"device_id": did, "mac": did.rsplit(".", 1)[-1],
                                    "family_member_id": me, "measure_ts": ts_ms,
                                    "measure_type": 1, "weight": 80.4}),
            ("POST", "delete_record", {"data_id_list": [48211907]}),
            ("POST", "add_heart_rate_record", {"device_id": did, "family_member_id": me,
                                               "measure_ts": ts_ms, "heart_rate": "71"}),
            ("GET", "delete_goal_weight", {"family_member_id": me})]


def drive_plugins(rec: Olive, token: str, now_ms: int) -> None:
    """Every plugin route with its success, and a bad signature per host."""
    for host, plugin, did in ((SCALE_HOST, "scale", SCALE), (PLUTO_HOST, "pluto", SCALE_S)):
        for method, name, fields in _scale_calls(plugin, did, now_ms):
            rec.olive(method, host, f"/plugin/{plugin}/{name}",
                      f"{plugin}/plugin/{plugin}/{name}.response.json", token, fields)
        rec.olive("POST", host, "/app/v2/platform/update_user_profile",
                  f"{plugin}/app/v2/platform/update_user_profile.response.json", token,
                  {"logo_url": "", "nickname": "Sam", "gender": "1", "birthDate": "1988-09-02",
                   "height": "178", "height_unit": "cm", "body_type": "1", "occupation": "2"})
        rec.olive("GET", host, f"/plugin/{plugin}/get_device_setting", OLIVE_ERR, token,
                  {"device_id": did}, tamper=True)
        rec.olive("GET", host, f"/plugin/{plugin}/get_device_setting", OLIVE_ERR, token,
                  {"device_id": "JA.SC2.000000000000DEAD"})
    rec.olive("GET", SCALE_HOST, "/app/v2/platform/get_user_profile",
              "scale/app/v2/platform/get_user_profile.response.json", token, {})
    base = "irrigation/plugin/irrigation/"
    for method, name, fields in [
            ("GET", "get_iot_prop", {"did": SPRINKLER, "keys": "iot_state,RSSI,IP,sn,ssid"}),
            ("GET", "device_info", {"device_id": SPRINKLER, "keys": "wiring,enable_schedules"}),
            ("GET", "zone", {"device_id": SPRINKLER}),
            ("POST", "quickrun", {"device_id": SPRINKLER,
                                  "zone_runs": [{"zone_number": 2, "duration": 300}]}),
            ("GET", "schedule_runs", {"device_id": SPRINKLER, "limit": 2}),
            ("POST", "runningschedule", {"device_id": SPRINKLER, "action": "STOP"})]:
        rec.olive(method, LOCKWOOD, f"/plugin/irrigation/{name}", f"{base}{name}.response.json",
                  token, fields)
    rec.olive("POST", LOCKWOOD, "/plugin/irrigation/quickrun", OLIVE_ERR, token,
              {"device_id": SPRINKLER, "zone_runs": [{"zone_number": 9, "duration": 60}]})
    rec.olive("GET", LOCKWOOD, "/plugin/irrigation/zone", OLIVE_ERR, token,
              {"device_id": SPRINKLER}, tamper=True)
    # The thermostat's room sensor, as wyze-sdk get_sensors asks; the switch by its own did.
    for host, plugin, subs, parent in ((EARTH, "earth", ROOM_SENSOR, THERMOSTAT),
                                       (SIRIUS, "sirius", SWITCH, None)):
        family = {} if parent is None else {"model": parent.rsplit("_", 1)[0]}
        rec.olive("GET", host, f"/plugin/{plugin}/get_iot_prop/batch",
                  f"{plugin}/plugin/{plugin}/get_iot_prop/batch.response.json", token,
                  {"did": subs, **family, **({"parent_did": parent} if parent else {}),
                   "keys": "temperature,humidity,temperature_unit,battery,switch-power"})
        rec.olive("GET", host, f"/plugin/{plugin}/device_info/batch",
                  f"{plugin}/plugin/{plugin}/device_info/batch.response.json", token,
                  {"device_id": subs, **family,
                   **({"parent_device_id": parent} if parent else {}), "keys": "device_name"})
    rec.olive("GET", EARTH, "/plugin/earth/get_air_prop",
              "earth/plugin/earth/get_air_prop.response.json", token,
              {"deviceId": PURIFIER, "deviceModel": "CO_AP1", "propNames": "aqi"})
    rec.olive("GET", EARTH, "/plugin/earth/query_air_history",
              "earth/plugin/earth/query_air_history.response.json", token,
              {"device_id": PURIFIER, "begin_time": str(now_ms // 1000 - 3600),
               "last_time": str(now_ms // 1000)})
    drive_venus(rec, token, now_ms)


def drive_venus(rec: Olive, token: str, now_ms: int) -> None:
    """The vacuum's maps, position, history and actions (wyze-sdk venus_service.py)."""
    base = "venus/plugin/venus/"
    for method, name, expect, fields in [
            ("GET", "memory_map/list", "memory_map/list", {"did": VACUUM}),
            ("GET", "memory_map/current_map", "memory_map/current_map.get", {"did": VACUUM}),
            ("POST", "memory_map/current_map", "memory_map/current_map.post",
             {"device_id": VACUUM, "map_id": 731592017}),
            ("GET", "memory_map/current_position", "memory_map/current_position",
             {"did": VACUUM}),
            ("GET", "sweep_record/query_data", "sweep_record/query_data",
             {"did": VACUUM, "purpose": "history_map", "count": 20, "last_time": now_ms}),
            ("POST", "set_iot_action", "set_iot_action",
             {"params": [{"ctrltype": 1, "value": 3}], "cmd": "set_preference", "did": VACUUM,
              "model": "JA_RO2", "is_sub_device": 0}),
            ("POST", "event_tracking", "event_tracking",
             {"uuid": "88DBF3344D20B5597DB7C8F0AFBB4030", "deviceId": VACUUM,
              "createTime": str(now_ms), "mcuSysVersion": "1.6.113", "appVersion": "2.19.14",
              "pluginVersion": "2.35.1", "phoneId": "3f0c9a4e-7b21-4d6a-9e58-c1d2e3f4a5b6",
              "phoneOsVersion": "16.0", "eventKey": "Clean", "eventType": 1,
              "arg11": "ios", "arg12": "iPhone 13 mini"})]:
        rec.olive(method, VENUS, f"/plugin/venus/{name}", f"{base}{expect}.response.json",
                  token, fields)
    rec.olive("POST", VENUS, "/plugin/venus/memory_map/current_map", OLIVE_ERR, token,
              {"device_id": VACUUM, "map_id": 1})
    rec.olive("GET", VENUS, "/plugin/venus/memory_map/list", OLIVE_ERR, token,
              {"did": VACUUM}, tamper=True)


def drive_plugins_expired(rec: Olive, token: str) -> None:
    """A correctly signed request with an expired token on each plugin host."""
    rec.olive("GET", SCALE_HOST, "/plugin/scale/get_family_member", OLIVE_ERR, token,
              {"device_id": SCALE})
    rec.olive("GET", PLUTO_HOST, "/plugin/pluto/get_family_member", OLIVE_ERR, token,
              {"device_id": SCALE_S})
    rec.olive("GET", LOCKWOOD, "/plugin/irrigation/zone", OLIVE_ERR, token,
              {"device_id": SPRINKLER})
    rec.olive("GET", VENUS, "/plugin/venus/memory_map/list", OLIVE_ERR, token, {"did": VACUUM})


def running_standin(clock_start: float) -> Iterator[StandIn]:
    """A started stand-in on the default state, its clock at ``clock_start`` (a fixture's
    body: ``yield from running_standin(...)``)."""
    state = default_state_dict(auth_limit=1000)
    state["clock"] = {"start": clock_start}
    s = StandIn(state)
    s.start()
    try:
        yield s
    finally:
        s.stop()


def login(base_url: str) -> str:
    """An access token for the plain account of the default state."""
    r = requests.post(f"{base_url}/api/user/login", json=PLAIN.auth_body(),
                      headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers},
                      timeout=5)
    return str(r.json()["access_token"])


def call(s: StandIn, method: str, host: str, path: str, token: str, tamper: bool = False,
         **fields: Any) -> Any:
    """One olive request signed as wyze-sdk signs it (`tamper` breaks the signature)."""
    fields["nonce"] = str(int(s.clock.now() * 1000))
    headers = {"Host": host, "appid": signing.OLIVE_APP_ID, "access_token": token}
    if method == "GET":
        query = {k: str(v) for k, v in fields.items()}
        headers["signature2"] = signing.signature2(token, signing.sorted_params(query))
        if tamper:
            query["nonce"] += "1"
        r = requests.get(f"{s.base_url}{path}", params=query, headers=headers, timeout=5)
    else:
        body = json.dumps(fields, separators=(",", ":"))
        headers["signature2"] = signing.signature2(token, body + (" " if tamper else ""))
        headers["Content-Type"] = "application/json"
        r = requests.post(f"{s.base_url}{path}", data=body, headers=headers, timeout=5)
    return r.json()
