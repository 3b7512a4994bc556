"""The stand-in's signed services over real HTTP on 127.0.0.1: Ford locks and olive hosts.

Requests are signed with wyzeproto.signing exactly as wyze-sdk and wyzeapy sign them
(tests/test_signing.py ties the two); the device ids are the made-up ones of
standin/default_state.yaml.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from standin import StandIn
from standin.scenarios import PLAIN
from wyzeproto import signing

LOCK_UUID = "5c8e1f0a3b7d4e29a6c0d1e2f3a4b5c6"
LOCK_MAC = f"YD.LO1.{LOCK_UUID}"
THERMOSTAT, SWITCH, VACUUM = "CO_EA1_3130334B52484D33", "LD_SS1_80482C9E1A3F", \
    "JA_RO2_4E5A7C1D9B02"
EARTH, SIRIUS = "wyze-earth-service.wyzecam.com", "wyze-sirius-service.wyzecam.com"
VENUS = "wyze-venus-service-vn.wyzecam.com"


@pytest.fixture
def token(standin: StandIn) -> str:
    r = requests.post(f"{standin.base_url}/api/user/login", json=PLAIN.auth_body(),
                      headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers},
                      timeout=5)
    return str(r.json()["access_token"])


def ford(s: StandIn, method: str, path: str, token: str, sign: bool = True,
         **fields: str) -> Any:
    params: dict[str, str] = {**fields, "key": signing.FORD_APP_KEY,
                              "timestamp": str(int(s.clock.now() * 1000))}
    params["access_token" if method == "GET" else "accessToken"] = token
    params["sign"] = signing.ford_sign(method, path, params) if sign else "0" * 32
    headers = {"Host": "yd-saas-toc.wyzecam.com"}
    if method == "GET":
        r = requests.get(f"{s.base_url}{path}", params=params, headers=headers, timeout=5)
    else:
        r = requests.request(method, f"{s.base_url}{path}", json=params, headers=headers,
                             timeout=5)
    return r.json()


def olive(s: StandIn, method: str, host: str, path: str, token: str,
          signature: str | None = None, **fields: Any) -> Any:
    fields["nonce"] = str(int(s.clock.now() * 1000))
    headers = {"Host": host, "appid": signing.OLIVE_APP_ID, "access_token": token}
    if method == "GET":
        query = {k: str(v) for k, v in fields.items()}
        headers["signature2"] = signature or signing.signature2(
            token, signing.sorted_params(query))
        r = requests.get(f"{s.base_url}{path}", params=query, headers=headers, timeout=5)
    else:
        body = json.dumps(fields, separators=(",", ":"))
        headers["signature2"] = signature or signing.signature2(token, body)
        headers["Content-Type"] = "application/json"
        r = requests.post(f"{s.base_url}{path}", data=body, headers=headers, timeout=5)
    return r.json()


def test_a_lock_locks_and_unlocks_and_records_each_in_its_history(
        standin: StandIn, token: str) -> None:
    def hardlock() -> int:
        info = ford(standin, "GET", "/openapi/lock/v1/info", token, uuid=LOCK_UUID)
        return int(info["device"]["locker_status"]["hardlock"])

    assert hardlock() == 1
    assert ford(standin, "POST", "/openapi/lock/v1/control", token, uuid=LOCK_UUID,
                action="remoteUnlock")["ErrNo"] == 0
    assert hardlock() == 2
    ford(standin, "POST", "/openapi/lock/v1/control", token, uuid=LOCK_UUID,
         action="remoteLock")
    assert hardlock() == 1
    records = ford(standin, "GET", "/openapi/v1/safety/family_record", token,
                   uuid=LOCK_UUID, begin="0", offset="0", limit="20")["family_record"]
    assert [r["eventid"] for r in records] == [2216, 2203]
    assert ford(standin, "GET", "/openapi/v1/safety/count", token, uuid=LOCK_UUID,
                begin="0")["cnt"] == 2


def test_a_keypad_code_is_added_listed_and_removed(standin: StandIn, token: str) -> None:
    added = ford(standin, "POST", "/openapi/lock/v1/pwd/operations/add", token,
                 uuid=LOCK_UUID, userid=PLAIN.user_id, name="Dog walker",
                 password="6b1f0e3a9c2d4e5f", permission='{"status":1,"type":1}')
    assert added["ErrNo"] == 0
    listed = ford(standin, "GET", "/openapi/lock/v1/pwd", token, uuid=LOCK_UUID)
    assert [p["name"] for p in listed["passwords"]] == ["Dog walker"]
    ford(standin, "POST", "/openapi/lock/v1/pwd/operations/delete", token, uuid=LOCK_UUID,
         passwordid=str(listed["passwords"][0]["id"]))
    assert ford(standin, "GET", "/openapi/lock/v1/pwd", token, uuid=LOCK_UUID)[
        "passwords"] == []


def test_a_bad_ford_sign_answers_14008_and_changes_nothing(
        standin: StandIn, token: str) -> None:
    bad = ford(standin, "POST", "/openapi/lock/v1/control", token, sign=False,
               uuid=LOCK_UUID, action="remoteUnlock")
    assert (bad["ErrNo"], bad["ErrMsg"]) == ("14008", "PARAM_SIGN_INVALID")
    assert standin.state.devices[LOCK_MAC].properties["hardlock"] == "1"


def test_a_ford_request_without_a_timestamp_answers_17001(
        standin: StandIn, token: str) -> None:
    params = {"uuid": LOCK_UUID, "access_token": token, "key": signing.FORD_APP_KEY}
    params["sign"] = signing.ford_sign("GET", "/openapi/lock/v1/info", params)
    r = requests.get(f"{standin.base_url}/openapi/lock/v1/info", params=params, timeout=5)
    assert r.json()["ErrNo"] == "17001"


def test_a_thermostat_set_point_and_mode_change_and_read_back(
        standin: StandIn, token: str) -> None:
    olive(standin, "POST", EARTH, "/plugin/earth/set_iot_prop_by_topic", token,
          did=THERMOSTAT, model="CO_EA1", props={"cool_sp": "74", "mode_sys": "cool"},
          is_sub_device=0)
    got = olive(standin, "GET", EARTH, "/plugin/earth/get_iot_prop", token, did=THERMOSTAT,
                keys="cool_sp,mode_sys,temperature")
    assert got["code"] == 1 and got["message"] == "Success"
    assert got["data"]["props"]["cool_sp"] == 74 and got["data"]["props"]["mode_sys"] == "cool"


def test_a_switch_toggles_and_a_vacuum_starts_and_docks(standin: StandIn, token: str) -> None:
    olive(standin, "POST", SIRIUS, "/plugin/sirius/set_iot_prop", token, did=SWITCH,
          model="LD_SS1", props={"switch-power": "1"}, is_sub_device=0)
    switch = olive(standin, "GET", SIRIUS, "/plugin/sirius/get_iot_prop", token, did=SWITCH,
                   keys="switch-power")
    assert switch["data"]["props"]["switch-power"] == "1"
    modes = []
    for value in (1, 3):
        olive(standin, "POST", VENUS, f"/plugin/venus/{VACUUM}/control", token, type=0,
              value=value)
        status = olive(standin, "GET", VENUS, f"/plugin/venus/{VACUUM}/status", token)
        modes.append(status["data"]["heartBeat"]["vacuum_work_status"])
    assert modes == [2, 4]  # wyze-sdk VacuumStatus: cleaning, then docked


def test_a_bad_signature2_answers_the_olive_token_error_and_changes_nothing(
        standin: StandIn, token: str) -> None:
    bad = olive(standin, "POST", EARTH, "/plugin/earth/set_iot_prop", token,
                signature="0" * 32, did=THERMOSTAT, model="CO_EA1", props={"heat_sp": "60"})
    assert bad["code"] == 2001 and bad["data"] is None
    assert standin.state.devices[THERMOSTAT].properties["heat_sp"] == "70"


def test_an_expired_token_is_refused_on_every_service(standin: StandIn, token: str) -> None:
    assert standin.expire_tokens() == 1
    assert ford(standin, "GET", "/openapi/lock/v1/info", token, uuid=LOCK_UUID)[
        "code"] == "2001"
    assert olive(standin, "GET", EARTH, "/plugin/earth/get_iot_prop", token, did=THERMOSTAT,
                 keys="temperature")["code"] == 2001
    app = requests.post(f"{standin.base_url}/app/v2/home_page/get_object_list",
                        json={"access_token": token}, timeout=5).json()
    assert app["code"] == "2001"


def test_an_offline_device_answers_3019_to_a_change_everywhere(
        standin: StandIn, token: str) -> None:
    standin.set_online(LOCK_MAC, False)
    standin.set_online(THERMOSTAT, False)
    assert ford(standin, "POST", "/openapi/lock/v1/control", token, uuid=LOCK_UUID,
                action="remoteUnlock")["ErrNo"] == "3019"
    assert olive(standin, "POST", EARTH, "/plugin/earth/set_iot_prop", token,
                 did=THERMOSTAT, model="CO_EA1", props={"heat_sp": "60"})["code"] == 3019
    reading = olive(standin, "GET", EARTH, "/plugin/earth/get_iot_prop", token,
                    did=THERMOSTAT, keys="temperature,iot_state")
    assert reading["data"]["props"]["iot_state"] == "disconnected"


def test_a_locked_account_refuses_logins_until_the_lockout_passes(standin: StandIn) -> None:
    standin.lock_account(PLAIN.email, seconds=60)

    def login() -> requests.Response:
        return requests.post(f"{standin.base_url}/api/user/login", json=PLAIN.auth_body(),
                             headers=PLAIN.key_headers, timeout=5)

    assert "Too many failed attempts" in login().json()["description"]
    standin.advance_clock(61)
    assert login().status_code == 200


def test_a_path_joined_with_a_double_slash_is_still_served(
        standin: StandIn, token: str) -> None:
    # wyze-sdk's FordServiceClient joins base_url + path, so a base URL ending in "/" gives //.
    params: dict[str, str] = {"uuid": LOCK_UUID, "access_token": token,
                              "key": signing.FORD_APP_KEY, "timestamp": "1733090000000"}
    params["sign"] = signing.ford_sign("GET", "/openapi/lock/v1/info", params)
    r = requests.get(f"{standin.base_url}//openapi/lock/v1/info", params=params, timeout=5)
    assert r.json()["ErrNo"] == 0


def test_a_thermostat_lists_its_room_sensor_and_the_batch_reads_answer_for_it(
        standin: StandIn, token: str) -> None:
    sensor = "CO_TH1_3F8B2A61C7E4"
    subs = olive(standin, "GET", EARTH, "/plugin/earth/get_sub_device", token,
                 device_id=THERMOSTAT)["data"]
    assert [s["device_id"] for s in subs] == [sensor]
    props = olive(standin, "GET", EARTH, "/plugin/earth/get_iot_prop/batch", token,
                  did=sensor, parent_did=THERMOSTAT, model="CO_EA1", keys="temperature")
    assert props["data"] == [{"did": sensor, "model": "CO_TH1",
                              "props": {"temperature": "6690"}}]
    info = olive(standin, "GET", EARTH, "/plugin/earth/device_info/batch", token,
                 device_id=sensor, parent_device_id=THERMOSTAT, model="CO_EA1",
                 keys="device_name")
    assert info["data"][0]["settings"] == {"device_name": "Demo Bedroom Sensor"}
    assert olive(standin, "GET", EARTH, "/plugin/earth/get_iot_prop/batch", token,
                 did="CO_TH1_000000000000", parent_did=THERMOSTAT, keys="temperature",
                 )["code"] == 3005


def test_an_air_purifier_reports_its_air_quality_and_the_last_hour(
        standin: StandIn, token: str) -> None:
    purifier = "CO_AP1_7C78B2F4A1D3"
    now = int(standin.clock.now())
    air = olive(standin, "GET", EARTH, "/plugin/earth/get_air_prop", token, deviceId=purifier,
                deviceModel="CO_AP1", propNames="aqi")
    assert air["data"]["settings"] == {"aqi": "23"}
    history = olive(standin, "GET", EARTH, "/plugin/earth/query_air_history", token,
                    device_id=purifier, begin_time=str(now - 899), last_time=str(now))
    samples = history["data"]
    assert len(samples) == 3  # one per 5-minute slot of the window
    assert all(now - 899 <= s["ts"] <= now and s["max_aqi"] in (31, 27, 29) for s in samples)
