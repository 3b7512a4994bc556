"""The stand-in's device management host: actions and properties of a devicemgmt camera."""

from __future__ import annotations

from typing import Any

import requests

from standin import StandIn
from standin.scenarios import PLAIN

FLOODLIGHT = "D03F27C45E19"


def login(s: StandIn) -> dict[str, Any]:
    r = requests.post(f"{s.base_url}/api/user/login", json=PLAIN.auth_body(), timeout=5,
                      headers={"Host": "auth-prod.api.wyze.com", **PLAIN.key_headers})
    return dict(r.json())


def test_devicemgmt_puts_a_floodlight_to_sleep_and_reports_it_off(standin: StandIn) -> None:
    token = login(standin)["access_token"]
    target = {"id": FLOODLIGHT, "productModel": "LD_CFP", "type": "DEVICE"}
    host = f"{standin.base_url}/devicemgmt-service-beta.wyze.com/device-management/api/"
    sleep = {"capabilities": [{"iid": 1, "name": "iot-device", "functions": [
        {"name": "sleep", "in": {"wakeup-live-view": "1"}}]}], "nonce": 1, "targetInfo": target}
    r = requests.post(host + "action/run_action", json=sleep, headers={"authorization": token},
                      timeout=5)
    assert r.json()["status"] == 200 and r.json()["code"] == 1
    ask = {"capabilities": [{"iid": 1, "name": "iot-device", "properties": ["iot-power"]}],
           "nonce": 2, "targetInfo": target}
    props = requests.post(host + "device-property/get_iot_prop", json=ask, timeout=5,
                          headers={"authorization": token}).json()["data"]["capabilities"]
    assert props == [{"iid": 1, "name": "iot-device", "properties": {"iot-power": 0}}]
    dead = requests.post(host + "action/run_action", json=sleep, timeout=5,
                         headers={"authorization": "lvtx.not-a-live-token"}).json()
    assert dead["status"] == 401 and "InvalidTokenError>" in dead["message"]
